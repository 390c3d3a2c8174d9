/**
 * Checks shared by the webview screenshot scripts, which serve a built webview page with
 * VS Code's theme variables and a stand-in host API, then look for rendering bugs.
 */
import type { Page } from 'playwright-core';

/** A stylesheet setting VS Code theme variables on the page, as VS Code does around a webview. */
export function themeCss(theme: Record<string, string>): string {
  return `html {\n${Object.entries(theme).map(([k, v]) => `  ${k}: ${v};`).join('\n')}\n}\n`;
}

/** A stray `undefined`/`NaN`/`null`/`[object Object]` in the visible text means a rendering bug. */
export async function checkText(page: Page, when: string, problems: string[]): Promise<void> {
  const stray = await page.evaluate(() => /\b(undefined|NaN|null)\b|\[object Object\]/.exec(document.body.innerText)?.[0]);
  if (stray) problems.push(`page shows "${stray}" ${when}`);
}

/** CSP violations the stand-in host script recorded in `window.__csp`, as problem lines. */
export async function cspViolations(page: Page): Promise<string[]> {
  const csp = await page.evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? []);
  return csp.map((c) => `CSP violation: ${c}`);
}
