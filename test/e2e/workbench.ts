/**
 * What a user does and sees in the VS Code workbench, as Playwright operations on code-server's
 * DOM: open files, run commands, edit, read squiggles, the Problems panel, menus and webviews.
 * Every read is a snapshot; callers wrap them in `waitFor` to wait for the state they expect.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Frame, Locator, Page } from 'playwright-core';
import { E2EAssertionError, expect, waitFor } from './poll';

export type Severity = 'error' | 'warning' | 'info' | 'hint';

/** One entry of the Problems panel, as shown to the user. */
export interface ProblemRow {
  file: string;
  severity: Severity | 'unknown';
  message: string;
  source: string;
  code: string;
  line: number;
  column: number;
}

/** One squiggle in the active editor: 1-based line, start column, and exclusive end column. */
export interface Squiggle {
  severity: Severity;
  line: number;
  column: number;
  endColumn: number;
  text: string;
}

/**
 * tsx (esbuild with keepNames) wraps named functions in `__name(...)` calls; functions passed to
 * `page.evaluate` run in the browser, where that helper does not exist. Define it there.
 * Must be called before the first navigation.
 */
export async function installEvaluateShim(page: Page): Promise<void> {
  await page.addInitScript({ content: 'globalThis.__name = globalThis.__name || ((fn) => fn);' });
}

export class Workbench {
  private shotCounter = 0;

  constructor(
    readonly page: Page,
    private readonly shotsDir: string,
  ) {}

  /** Waits until the workbench is drawn and extensions have finished activating. */
  async ready(timeoutMs = 60_000): Promise<void> {
    await this.page.waitForSelector('.monaco-workbench', { timeout: timeoutMs });
    await this.page.waitForSelector('.statusbar', { timeout: timeoutMs });
  }

  /** Saves a screenshot under the run's screenshot folder; returns its path. */
  async screenshot(name: string): Promise<string> {
    fs.mkdirSync(this.shotsDir, { recursive: true });
    const file = path.join(this.shotsDir, `${String(++this.shotCounter).padStart(2, '0')}-${name}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  private quickInput(): Locator {
    return this.page.locator('.quick-input-widget .quick-input-box input');
  }

  /** Opens a workspace file through Quick Open (Ctrl+P), like a user would. */
  async openFile(relPath: string): Promise<void> {
    const base = path.posix.basename(relPath);
    await this.page.keyboard.press('Control+P');
    const input = this.quickInput();
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await input.fill(relPath);
    // The file index is built asynchronously (ripgrep); wait until our file is the first result.
    const first = this.page.locator('.quick-input-list .monaco-list-row[data-index="0"]');
    await waitFor(
      `Quick Open to list ${relPath}`,
      async () => (await first.getAttribute('aria-label', { timeout: 1000 })) ?? '',
      (label) => label.startsWith(`${base},`) || label.startsWith(`${base} `),
      30_000,
    );
    await this.page.keyboard.press('Enter');
    await waitFor(
      `the editor tab for ${base} to be active`,
      () => this.activeTabLabel(),
      (label) => label === base || label.startsWith(`${base},`),
      15_000,
    );
    await this.page.locator('.editor-group-container.active .monaco-editor .view-line').first().waitFor({ timeout: 15_000 });
  }

  /** The aria-label of the active editor tab (the file name), or '' when none. */
  async activeTabLabel(): Promise<string> {
    return this.page.evaluate(() => {
      const tab = document.querySelector('.editor-group-container.active .tab.active');
      return tab?.getAttribute('aria-label') ?? '';
    });
  }

  /**
   * Runs a command from the Command Palette by its visible title (e.g. "SQL Plan Advisor:
   * Explain this query"). Right after start-up the palette may not list contributed commands
   * yet (extensions are still being scanned), so it is reopened until the command shows.
   */
  async runCommand(title: string, timeoutMs = 30_000): Promise<void> {
    const row = this.page.locator('.quick-input-list .monaco-list-row').filter({
      has: this.page.locator('.label-name', { hasText: exactText(title) }),
    });
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await this.page.keyboard.press('F1');
      const input = this.quickInput();
      await input.waitFor({ state: 'visible', timeout: 10_000 });
      await input.fill(`>${title}`);
      try {
        await row.first().waitFor({ state: 'visible', timeout: 3000 });
        await row.first().click();
        return;
      } catch (err) {
        await this.page.keyboard.press('Escape');
        if (Date.now() > deadline) throw new E2EAssertionError(`the Command Palette never listed "${title}" (${String(err).split('\n')[0]})`);
      }
    }
  }

  /** Closes every editor, discarding unsaved changes, and waits until none is open. */
  async closeAllEditors(): Promise<void> {
    await this.page.keyboard.press('Escape');
    await this.runCommand('View: Close All Editors');
    // Dirty editors raise a save prompt; the scenarios never want their edits saved.
    const dontSave = this.page.locator('.monaco-dialog-box .monaco-button', { hasText: "Don't Save" });
    await waitFor(
      'all editors to close',
      async () => {
        if (await dontSave.count()) await dontSave.first().click();
        return this.page.locator('.tabs-container .tab').count();
      },
      (n) => n === 0,
      15_000,
    );
  }

  /** Focuses the active text editor (after panels or quick inputs took focus). */
  async focusEditor(): Promise<void> {
    await this.page.keyboard.press('Escape');
    await this.runCommand('View: Focus Active Editor Group');
    await this.page.locator('.editor-group-container.active .monaco-editor.focused').waitFor({ timeout: 10_000 });
  }

  /** Moves the cursor with "Go to Line/Column" (1-based). */
  async goTo(line: number, column: number): Promise<void> {
    await this.page.keyboard.press('Control+G');
    const input = this.quickInput();
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await input.fill(`:${line}:${column}`);
    await this.page.keyboard.press('Enter');
    await waitFor(
      `the cursor to be at Ln ${line}, Col ${column}`,
      () => this.cursorPosition(),
      (p) => p === `Ln ${line}, Col ${column}`,
      10_000,
    );
  }

  /** The status bar's cursor position, e.g. "Ln 3, Col 7". */
  async cursorPosition(): Promise<string> {
    return this.page.evaluate(() => {
      const item = document.querySelector('#status\\.editor\\.selection .statusbar-item-label');
      return (item?.textContent ?? '').trim().replace(/\s*\(.*\)$/, '');
    });
  }

  /** Types text at the cursor as keystrokes (auto-closing is off in the test settings). */
  async type(text: string): Promise<void> {
    await this.page.keyboard.type(text, { delay: 5 });
  }

  /** The active editor's visible text, lines joined with \n (files under test fit on screen). */
  async editorText(): Promise<string> {
    return this.page.evaluate(() => {
      const editor = document.querySelector('.editor-group-container.active .monaco-editor');
      if (!editor) return '';
      const lines = Array.from(editor.querySelectorAll<HTMLElement>('.view-lines .view-line'))
        .map((el) => ({ top: parseFloat(el.style.top), text: (el.textContent ?? '').replace(/\u00a0/g, ' ') }))
        .sort((a, b) => a.top - b.top);
      return lines.map((l) => l.text).join('\n');
    });
  }

  /** Squiggles drawn in the active editor, mapped back to line and columns from pixel positions. */
  async squiggles(): Promise<Squiggle[]> {
    return this.page.evaluate(() => {
      const editor = document.querySelector('.editor-group-container.active .monaco-editor');
      if (!editor) return [];
      const byTop = (sel: string) =>
        new Map(Array.from(editor.querySelectorAll<HTMLElement>(sel)).map((el) => [Math.round(parseFloat(el.style.top)), el]));
      const viewLines = byTop('.view-lines .view-line');
      const margins = byTop('.margin-view-overlays > div');
      /** Character boxes of a rendered line, so pixel edges map back to columns. */
      const charBoxes = (lineEl: HTMLElement) => {
        const boxes: { left: number; right: number }[] = [];
        const walker = document.createTreeWalker(lineEl, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const len = node.textContent?.length ?? 0;
          for (let i = 0; i < len; i++) {
            const range = document.createRange();
            range.setStart(node, i);
            range.setEnd(node, i + 1);
            const r = range.getBoundingClientRect();
            boxes.push({ left: r.left, right: r.right });
          }
        }
        return boxes;
      };
      const nearest = (values: number[], x: number) => {
        let best = 0;
        values.forEach((v, i) => {
          if (Math.abs(v - x) < Math.abs(values[best] - x)) best = i;
        });
        return best;
      };
      const out: { severity: string; line: number; column: number; endColumn: number; text: string }[] = [];
      for (const sq of Array.from(editor.querySelectorAll<HTMLElement>('.view-overlays [class*="squiggly-"]'))) {
        const sev = /squiggly-(error|warning|info|hint)/.exec(sq.className)?.[1];
        if (!sev) continue;
        const top = Math.round(parseFloat((sq.parentElement as HTMLElement).style.top));
        const lineEl = viewLines.get(top);
        const lineNo = parseInt(margins.get(top)?.querySelector('.line-numbers')?.textContent ?? '', 10);
        if (!lineEl || Number.isNaN(lineNo)) continue;
        const rect = sq.getBoundingClientRect();
        const boxes = charBoxes(lineEl);
        const text = (lineEl.textContent ?? '').replace(/\u00a0/g, ' ');
        if (boxes.length === 0) {
          out.push({ severity: sev, line: lineNo, column: 1, endColumn: 1, text: '' });
          continue;
        }
        const start = nearest(boxes.map((b) => b.left), rect.left);
        const end = nearest(boxes.map((b) => b.right), rect.right);
        out.push({ severity: sev, line: lineNo, column: start + 1, endColumn: end + 2, text: text.slice(start, end + 1) });
      }
      return out.sort((a, b) => a.line - b.line || a.column - b.column);
    }) as Promise<Squiggle[]>;
  }

  /** Makes the Problems panel visible (without leaving focus in it). */
  async showProblems(): Promise<void> {
    if (await this.page.locator('.markers-panel').isVisible()) return;
    await this.runCommand('View: Focus Problems (Errors, Warnings, Infos)');
    await this.page.locator('.markers-panel').waitFor({ state: 'visible', timeout: 10_000 });
  }

  /** Entries of the Problems panel (visible rows; the fixtures keep them few enough to fit). */
  async problems(): Promise<ProblemRow[]> {
    return this.page.evaluate(() => {
      const rows = Array.from(document.querySelectorAll<HTMLElement>('.markers-panel .monaco-list-row')).sort(
        (a, b) => Number(a.dataset.index) - Number(b.dataset.index),
      );
      const out: ProblemRow[] = [];
      let file = '';
      for (const row of rows) {
        const details = row.querySelector('.marker-message-details-container');
        if (!details) {
          file = (row.querySelector('.label-name')?.textContent ?? '').trim();
          continue;
        }
        const icon = row.querySelector('.marker-icon')?.className ?? '';
        const severity = (/\b(error|warning|info|hint)\b/.exec(icon)?.[1] ?? 'unknown') as ProblemRow['severity'];
        const pos = /Ln (\d+), Col (\d+)/.exec(row.querySelector('.marker-line')?.textContent ?? '');
        out.push({
          file,
          severity,
          message: (row.querySelector('.marker-message')?.textContent ?? '').trim(),
          source: (row.querySelector('.marker-source')?.textContent ?? '').trim(),
          code: (row.querySelector('.marker-code')?.textContent ?? '').trim(),
          line: pos ? Number(pos[1]) : 0,
          column: pos ? Number(pos[2]) : 0,
        });
      }
      return out;
    }) as Promise<ProblemRow[]>;
  }

  /** Problems panel entries for one file name. */
  async problemsFor(fileName: string): Promise<ProblemRow[]> {
    return (await this.problems()).filter((p) => p.file === fileName);
  }

  /** Screen point of the given 1-based line/column in the active editor (line must be visible). */
  async pointAt(line: number, column: number): Promise<{ x: number; y: number }> {
    const pt = await this.page.evaluate(
      ({ line, column }) => {
        const editor = document.querySelector('.editor-group-container.active .monaco-editor');
        if (!editor) return null;
        const margin = Array.from(editor.querySelectorAll<HTMLElement>('.margin-view-overlays > div')).find(
          (d) => d.querySelector('.line-numbers')?.textContent?.trim() === String(line),
        );
        if (!margin) return null;
        const top = Math.round(parseFloat(margin.style.top));
        const lineEl = Array.from(editor.querySelectorAll<HTMLElement>('.view-lines .view-line')).find(
          (el) => Math.round(parseFloat(el.style.top)) === top,
        );
        if (!lineEl) return null;
        let remaining = column - 1;
        const walker = document.createTreeWalker(lineEl, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const len = node.textContent?.length ?? 0;
          if (remaining < len) {
            const range = document.createRange();
            range.setStart(node, remaining);
            range.setEnd(node, remaining + 1);
            const r = range.getBoundingClientRect();
            return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
          }
          remaining -= len;
        }
        return null;
      },
      { line, column },
    );
    expect(pt, `line ${line}, column ${column} is not visible in the active editor`);
    return pt;
  }

  /**
   * Like `pointAt`, once the layout has settled: CodeLenses and decorations arrive after the
   * text is drawn and push lines down, so a point read too early lands on another line.
   */
  async stablePointAt(line: number, column: number): Promise<{ x: number; y: number }> {
    let previous = '';
    const pt = await waitFor(
      `Ln ${line}, Col ${column} to stay put on screen`,
      async () => {
        const p = await this.pointAt(line, column);
        const key = `${Math.round(p.x)},${Math.round(p.y)}`;
        const settled = key === previous;
        previous = key;
        return { p, settled };
      },
      (r) => r.settled,
      10_000,
      300,
    );
    return pt.p;
  }

  /**
   * Opens the editor context menu at a position in the active editor and picks an entry by its
   * label. Keyboard only: the cursor goes there with "Go to Line/Column" and the menu opens with
   * Shift+F10. A mouse click measured on screen can land on a CodeLens that arrives late and
   * pushes the line down — and a click on the "Explain Analyze" lens above a statement *runs*
   * it, so a second explain raced the one the scenario asked for.
   */
  async contextMenu(line: number, column: number, label: string): Promise<void> {
    const item = this.page.locator('.monaco-menu .action-item .action-label', { hasText: exactText(label) });
    let lastError: unknown;
    for (let attempt = 1; attempt <= 3; attempt++) {
      await this.goTo(line, column);
      await this.page.keyboard.press('Shift+F10');
      try {
        await item.first().waitFor({ state: 'visible', timeout: 5000 });
        await this.chooseMenuItem(label);
        return;
      } catch (err) {
        lastError = err;
        await this.page.keyboard.press('Escape');
      }
    }
    throw new E2EAssertionError(`no "${label}" entry in the editor context menu at Ln ${line}: ${String(lastError).split('\n')[0]}`);
  }

  /**
   * Picks an entry of the open context menu with the keyboard. A synthetic click right after the
   * menu opens can be swallowed (the menu guards against the opening right-click's mouse-up),
   * leaving the menu open; arrow keys and Enter are what keyboard users do anyway.
   */
  async chooseMenuItem(label: string): Promise<void> {
    const focused = this.page.locator('.monaco-menu .action-item.focused .action-label');
    const total = await this.page.locator('.monaco-menu .action-item').count();
    for (let i = 0; i <= total; i++) {
      await this.page.keyboard.press('ArrowDown');
      const text = ((await focused.first().textContent({ timeout: 2000 }).catch(() => '')) ?? '').trim();
      if (text === label) {
        await this.page.keyboard.press('Enter');
        await this.page.locator('.monaco-menu').first().waitFor({ state: 'hidden', timeout: 5000 });
        return;
      }
    }
    throw new Error(`"${label}" could not be focused in the context menu`);
  }

  /** Opens the quick-fix menu at the cursor (Ctrl+.) and returns the offered action titles. */
  async quickFixTitles(): Promise<string[]> {
    await this.page.keyboard.press('Control+.');
    const probe = async () => ({
      titles: await this.page.$$eval('.action-widget .monaco-list-row.action', (rows) =>
        rows.map((r) => (r.querySelector('.title')?.textContent ?? r.getAttribute('aria-label') ?? '').trim()),
      ),
      // VS Code's inline message when the providers returned nothing ("No code actions available").
      message: await this.page.evaluate(() => document.querySelector('.monaco-editor-overlaymessage .message')?.textContent ?? ''),
    });
    const seen = await waitFor('the quick-fix menu to open', probe, (s) => s.titles.length > 0 || s.message !== '', 10_000);
    if (seen.titles.length === 0) throw new E2EAssertionError(`Ctrl+. at ${await this.cursorPosition()} showed "${seen.message}" instead of quick fixes`);
    return seen.titles;
  }

  /**
   * Applies the quick fix whose title matches, from the open quick-fix menu. Uses the keyboard:
   * the menu's pointer-block layer swallows synthetic clicks while it animates in.
   */
  async applyQuickFix(title: string | RegExp): Promise<void> {
    const matches = (label: string) => (typeof title === 'string' ? label.includes(title) : title.test(label));
    const focused = this.page.locator('.action-widget .monaco-list-row.action.focused');
    const total = await this.page.locator('.action-widget .monaco-list-row.action').count();
    for (let i = 0; i <= total; i++) {
      const label = (await focused.getAttribute('aria-label', { timeout: 5000 })) ?? '';
      if (matches(label)) {
        await this.page.keyboard.press('Enter');
        await this.page.locator('.action-widget').waitFor({ state: 'hidden', timeout: 10_000 });
        return;
      }
      await this.page.keyboard.press('ArrowDown');
    }
    throw new E2EAssertionError(`no quick fix matching ${String(title)} in the menu`);
  }

  /**
   * Hover text shown when the mouse rests on a position of the active editor, once it contains
   * `expected`. The pointer is moved away and back on each try: a hover that opened before the
   * layout settled (CodeLenses arriving) closes when its line moves.
   */
  async hoverText(line: number, column: number, expected: string): Promise<string> {
    const read = () => this.page.evaluate(() => document.querySelector('.monaco-hover:not(.hidden) .monaco-hover-content')?.textContent ?? '');
    let last = '';
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      const { x, y } = await this.stablePointAt(line, column);
      await this.page.mouse.move(x, y + 200);
      await this.page.mouse.move(x, y);
      try {
        return await waitFor(`a hover at Ln ${line}, Col ${column} containing "${expected}"`, read, (t) => t.includes(expected), 3000);
      } catch {
        last = await read();
      }
    }
    throw new E2EAssertionError(`no hover containing "${expected}" at Ln ${line}, Col ${column}; last hover text: "${last}"`);
  }

  /** Frames of webviews (panels and views) whose document matches `selector`. */
  async webviewFramesWith(selector: string): Promise<Frame[]> {
    const found: Frame[] = [];
    for (const frame of this.page.frames()) {
      if (frame === this.page.mainFrame()) continue;
      try {
        if (await frame.$(selector)) found.push(frame);
      } catch {
        // Frames come and go while webviews load; a detached one is simply skipped.
      }
    }
    return found;
  }

  /** Waits until some webview shows `selector` and returns that frame. */
  async waitForWebview(what: string, selector: string, timeoutMs = 30_000): Promise<Frame> {
    const frames = await waitFor(what, () => this.webviewFramesWith(selector), (f) => f.length > 0, timeoutMs, 300);
    return frames[0];
  }

  /** Notification toasts currently shown (their messages). */
  async notifications(): Promise<string[]> {
    return this.page.$$eval('.notification-toast .notification-list-item-message', (els) => els.map((e) => (e.textContent ?? '').trim()));
  }
}

/** A regexp matching exactly `text` (for Playwright's hasText, which matches substrings otherwise). */
export function exactText(text: string): RegExp {
  return new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
}
