/**
 * Renders the built selection webview (dist/webview/selection.{js,css}) in headless Chromium,
 * as VS Code would host it: the same HTML shell and CSP, a stand-in `acquireVsCodeApi`, and the
 * Dark Modern theme's CSS variables. The state comes from the real signal scan of
 * examples/shop. It checks that the page renders with no CSP violation or script error, that
 * changing an answer re-ranks, then writes screenshots.
 *
 * Usage: node esbuild.js && npx tsx scripts/screenshot-selection.ts [outDir]   (default test-results/selection)
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import type { AddressInfo } from 'node:net';
import { chromium } from 'playwright-core';
import { chromiumLaunchOptions } from './chromium';
import { checkText, cspViolations, themeCss } from './webviewHarness';
import { buildCatalog } from '../src/core/schema/catalog';
import { computeSignals } from '../src/core/selection/signals';
import { prefilledAnswers } from '../src/core/selection/questions';
import { selectionPageHtml, makeNonce } from '../src/core/selection/page';
import type { SelectionState } from '../src/core/selection/protocol';
import type { QuestionId } from '../src/core/selection/types';

const root = path.resolve(__dirname, '..');
const outDir = path.resolve(process.argv[2] ?? path.join(root, 'test-results/selection'));

/** The subset of VS Code's Dark Modern theme variables the view uses. */
const DARK_THEME: Record<string, string> = {
  '--vscode-font-family': "-apple-system, BlinkMacSystemFont, 'Segoe UI', system-ui, Ubuntu, 'Droid Sans', sans-serif",
  '--vscode-font-size': '13px',
  '--vscode-editor-font-family': "'Droid Sans Mono', monospace",
  '--vscode-foreground': '#cccccc',
  '--vscode-descriptionForeground': '#9d9d9d',
  '--vscode-sideBar-background': '#181818',
  '--vscode-editor-background': '#1f1f1f',
  '--vscode-sideBarSectionHeader-foreground': '#cccccc',
  '--vscode-focusBorder': '#0078d4',
  '--vscode-button-background': '#0078d4',
  '--vscode-button-foreground': '#ffffff',
  '--vscode-button-hoverBackground': '#026ec1',
  '--vscode-button-border': '#ffffff12',
  '--vscode-button-secondaryBackground': '#313131',
  '--vscode-button-secondaryForeground': '#cccccc',
  '--vscode-button-secondaryHoverBackground': '#3c3c3c',
  '--vscode-dropdown-background': '#313131',
  '--vscode-dropdown-foreground': '#cccccc',
  '--vscode-dropdown-border': '#3c3c3c',
  '--vscode-checkbox-selectBackground': '#0078d4',
  '--vscode-badge-background': '#616161',
  '--vscode-badge-foreground': '#f8f8f8',
  '--vscode-statusBarItem-warningBackground': '#7a6400',
  '--vscode-statusBarItem-warningForeground': '#ffffff',
  '--vscode-panel-border': '#2b2b2b',
  '--vscode-editorWidget-background': '#202020',
  '--vscode-progressBar-background': '#0078d4',
  '--vscode-textCodeBlock-background': '#2b2b2b',
  '--vscode-testing-iconPassed': '#73c991',
  '--vscode-errorForeground': '#f85149',
};

/** The same variables from VS Code's Light Modern theme: the view must follow whichever is active. */
const LIGHT_THEME: Record<string, string> = {
  ...DARK_THEME,
  '--vscode-foreground': '#3b3b3b',
  '--vscode-descriptionForeground': '#3b3b3b',
  '--vscode-sideBar-background': '#f8f8f8',
  '--vscode-editor-background': '#ffffff',
  '--vscode-sideBarSectionHeader-foreground': '#3b3b3b',
  '--vscode-focusBorder': '#005fb8',
  '--vscode-button-background': '#005fb8',
  '--vscode-button-hoverBackground': '#0258a8',
  '--vscode-button-border': '#0000001a',
  '--vscode-button-secondaryBackground': '#e5e5e5',
  '--vscode-button-secondaryForeground': '#3b3b3b',
  '--vscode-button-secondaryHoverBackground': '#cccccc',
  '--vscode-dropdown-background': '#ffffff',
  '--vscode-dropdown-foreground': '#3b3b3b',
  '--vscode-dropdown-border': '#cecece',
  '--vscode-checkbox-selectBackground': '#005fb8',
  '--vscode-badge-background': '#cccccc',
  '--vscode-badge-foreground': '#3b3b3b',
  '--vscode-statusBarItem-warningBackground': '#725102',
  '--vscode-panel-border': '#e5e5e5',
  '--vscode-editorWidget-background': '#e5e5e5',
  '--vscode-progressBar-background': '#005fb8',
  '--vscode-textCodeBlock-background': '#f0f0f0',
  '--vscode-testing-iconPassed': '#388a34',
  '--vscode-errorForeground': '#f85149',
};

/** Reads examples/shop the way the extension reads a workspace. */
function shopState(): SelectionState {
  const dir = path.join(root, 'examples/shop');
  const files = (sub: string) =>
    fs.existsSync(path.join(dir, sub))
      ? fs.readdirSync(path.join(dir, sub)).filter((f) => f.endsWith('.sql')).sort().map((f) => ({ file: `${sub}/${f}`, text: fs.readFileSync(path.join(dir, sub, f), 'utf8') }))
      : [];
  const schema = files('schema');
  const queries = [...schema, ...files('queries')].map((f) => f.text);
  const signals = computeSignals({ catalog: buildCatalog(schema), queries });
  return {
    answers: prefilledAnswers(signals),
    signals: signals.signals,
    fromWorkspace: Object.keys(signals.answers) as QuestionId[],
    shardKeyHint: signals.shardKeyHint?.column,
    scanning: false,
  };
}

/** A stand-in for the webview host API: records messages and answers `ready` with the state. */
function fakeHostScript(state: SelectionState): string {
  return `
    window.__posted = [];
    let saved;
    window.acquireVsCodeApi = () => ({
      postMessage(msg) {
        window.__posted.push(msg);
        if (msg.type === 'ready') setTimeout(() => window.postMessage({ type: 'state', state: ${JSON.stringify(state)} }, '*'), 0);
      },
      getState() { return saved; },
      setState(s) { saved = s; },
    });
    document.addEventListener('securitypolicyviolation', (e) => { (window.__csp = window.__csp || []).push(e.violatedDirective + ' ' + e.blockedURI); });
  `;
}

async function main(): Promise<void> {
  const js = path.join(root, 'dist/webview/selection.js');
  const css = path.join(root, 'dist/webview/selection.css');
  if (!fs.existsSync(js) || !fs.existsSync(css)) throw new Error('dist/webview/selection.{js,css} missing: run `node esbuild.js` first');
  const state = shopState();
  const nonce = makeNonce();
  const files: Record<string, { type: string; body: string | Buffer }> = {
    '/selection.js': { type: 'text/javascript', body: fs.readFileSync(js) },
    '/selection.css': { type: 'text/css', body: fs.readFileSync(css) },
    '/theme.css': { type: 'text/css', body: themeCss(DARK_THEME) },
    '/theme-light.css': { type: 'text/css', body: themeCss(LIGHT_THEME) },
    '/host.js': { type: 'text/javascript', body: fakeHostScript(state) },
  };
  const server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    if (url === '/' || url === '/?light') {
      let html = selectionPageHtml({ cspSource: origin, nonce, scriptUri: `${origin}/selection.js`, styleUri: `${origin}/selection.css` });
      // What VS Code adds around a webview: theme variables, and the host API before our script.
      html = html.replace('<link rel="stylesheet"', `<link rel="stylesheet" href="${origin}/${url === '/?light' ? 'theme-light' : 'theme'}.css">\n<link rel="stylesheet"`);
      html = html.replace(`<script nonce="${nonce}"`, `<script nonce="${nonce}" src="${origin}/host.js"></script>\n<script nonce="${nonce}"`);
      res.writeHead(200, { 'content-type': 'text/html' }).end(html);
      return;
    }
    const f = files[url];
    // Chromium asks for a favicon on its own; VS Code webviews have none.
    if (url === '/favicon.ico') return void res.writeHead(204).end();
    if (!f) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': f.type }).end(f.body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const browser = await chromium.launch(chromiumLaunchOptions());
  const problems: string[] = [];
  try {
    const page = await browser.newPage({ viewport: { width: 380, height: 900 }, colorScheme: 'dark' });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
    });
    await page.goto(origin + '/');
    await page.waitForSelector('[data-testid="ranking"]');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="signal"]').length > 0);
    fs.mkdirSync(outDir, { recursive: true });
    const first = await page.locator('[data-testid="ranking"]').first().getAttribute('data-db');
    await checkText(page, 'initially', problems);
    await page.screenshot({ path: path.join(outDir, 'selection-top.png') });
    await page.screenshot({ path: path.join(outDir, 'selection-full.png'), fullPage: true });

    // Keyboard-only: focus the latency select and pick "Sub-millisecond", then the data shape.
    await page.focus('#q-latency');
    await page.selectOption('#q-latency', 'sub-ms');
    await page.selectOption('#q-dataShape', 'key-value');
    await page.locator('#q-patterns-joins').uncheck();
    const after = await page.locator('[data-testid="ranking"]').first().getAttribute('data-db');
    await page.screenshot({ path: path.join(outDir, 'selection-changed.png') });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(outDir, 'selection-changed-top.png') });
    await page.evaluate(() => document.getElementById('ranking-section')?.scrollIntoView());
    await page.screenshot({ path: path.join(outDir, 'selection-changed-ranking.png') });
    const posted = await page.evaluate(() => (window as unknown as { __posted: Array<{ type: string }> }).__posted.map((m) => m.type));
    await checkText(page, 'after changing answers', problems);
    problems.push(...(await cspViolations(page)));
    // Escaping: hostile text from a workspace (a table named like markup) must stay text.
    const hostile = '<img src=x onerror="window.__pwned=1">`<b>t</b>`';
    await page.evaluate((st) => window.postMessage({ type: 'state', state: st }, '*'), { ...state, signals: [{ id: 'evil', text: hostile }] });
    await page.waitForSelector('[data-signal="evil"]');
    const escaped = await page.evaluate(() => ({
      elements: document.querySelectorAll('#signals img, #signals b').length,
      text: document.querySelector('[data-signal="evil"]')?.textContent ?? '',
      pwned: (window as unknown as { __pwned?: number }).__pwned,
    }));
    if (escaped.elements > 0 || escaped.pwned || escaped.text !== hostile.replace(/`/g, '')) problems.push(`signal text was not escaped: ${JSON.stringify(escaped)}`);
    const light = await browser.newPage({ viewport: { width: 380, height: 900 }, colorScheme: 'light' });
    await light.goto(origin + '/?light');
    await light.waitForSelector('[data-testid="signal"]');
    await light.screenshot({ path: path.join(outDir, 'selection-light.png') });
    console.log(`signals shown: ${state.signals.length}; winner before: ${first}; after sub-ms + key-value: ${after}`);
    console.log(`messages to host: ${posted.join(', ')}`);
    if (first === after) problems.push('changing answers did not re-rank');
    if (!posted.includes('answers')) problems.push('answer changes were not posted to the host');
    console.log(`screenshots in ${path.relative(root, outDir)}/`);
  } finally {
    await browser.close();
    server.close();
  }
  if (problems.length) {
    console.error(problems.join('\n'));
    process.exit(1);
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
