/**
 * Renders the built plan webview (dist/webview/plan.{js,css}) in headless Chromium as VS Code
 * would host it — the same page skeleton and CSP, a stand-in `acquireVsCodeApi`, the Dark
 * Modern theme's CSS variables — with a real plan: examples/shop loaded into the engine, an
 * EXPLAIN ANALYZE of a join, and the index advisor's verified suggestions. Checks that the
 * page renders with no CSP violation or script error, that every plan node is drawn, that the
 * costliest node is highlighted, that tabs and the "Re-explain with this index" button work and
 * that hostile text stays text; then writes screenshots.
 *
 * Usage: node esbuild.js && npx tsx scripts/screenshot-plan.ts [outDir]   (default dist/screenshots)
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AddressInfo } from 'node:net';
import { chromium } from 'playwright-core';
import { chromiumLaunchOptions } from './chromium';
import { checkText, cspViolations, themeCss } from './webviewHarness';
import { suggestIndexes } from '../src/core/advisor';
import type { IndexSuggestion } from '../src/core/advisor/types';
import { createEngine } from '../src/core/engine/pgliteEngine';
import { buildPlanModel } from '../src/core/plan/model';
import { renderPlanText } from '../src/core/plan/text';
import { buildCatalog } from '../src/core/schema/catalog';
import { planPageHtml } from '../webview/plan/page';
import type { HostToWebview, PlanView } from '../webview/plan/protocol';

const root = path.resolve(__dirname, '..');
const outDir = path.resolve(process.argv[2] ?? path.join(root, 'dist/screenshots'));

const QUERY = `SELECT o.id, o.total_cents, u.email
FROM orders o JOIN users u ON u.id = o.user_id
WHERE o.status = $1 AND o.total_cents > $2
ORDER BY o.total_cents DESC
LIMIT 20`;

/** The subset of VS Code's Dark Modern theme variables the view uses. */
export const DARK_THEME: Record<string, string> = {
  '--vscode-font-family': "-apple-system, BlinkMacSystemFont, 'Segoe UI', system-ui, Ubuntu, 'Droid Sans', sans-serif",
  '--vscode-font-size': '13px',
  '--vscode-editor-font-family': "'Droid Sans Mono', monospace",
  '--vscode-editor-font-size': '12px',
  '--vscode-foreground': '#cccccc',
  '--vscode-descriptionForeground': '#9d9d9d',
  '--vscode-editor-background': '#1f1f1f',
  '--vscode-editorWidget-background': '#202020',
  '--vscode-focusBorder': '#0078d4',
  '--vscode-button-background': '#0078d4',
  '--vscode-button-foreground': '#ffffff',
  '--vscode-button-hoverBackground': '#026ec1',
  '--vscode-button-border': '#ffffff12',
  '--vscode-button-secondaryBackground': '#313131',
  '--vscode-button-secondaryForeground': '#cccccc',
  '--vscode-button-secondaryHoverBackground': '#3c3c3c',
  '--vscode-badge-background': '#616161',
  '--vscode-badge-foreground': '#f8f8f8',
  '--vscode-panel-border': '#2b2b2b',
  '--vscode-panelTitle-activeBorder': '#0078d4',
  '--vscode-textCodeBlock-background': '#2b2b2b',
  '--vscode-textLink-foreground': '#4daafc',
  '--vscode-editorWarning-foreground': '#cca700',
  '--vscode-inputValidation-warningBackground': '#352a05',
  '--vscode-errorForeground': '#f85149',
  '--vscode-progressBar-background': '#0078d4',
  '--vscode-charts-red': '#f14c4c',
  '--vscode-charts-orange': '#d18616',
  '--vscode-charts-blue': '#3794ff',
  '--vscode-charts-purple': '#b180d7',
};

/** A real plan and real suggestions for the example shop. */
async function realView(): Promise<{ view: PlanView; suggestions: IndexSuggestion[]; nodes: number; costliestLabel: string }> {
  const dir = path.join(root, 'examples/shop/schema');
  const sources = fs.readdirSync(dir).filter((f) => f.endsWith('.sql')).sort().map((f) => ({ file: `schema/${f}`, text: fs.readFileSync(path.join(dir, f), 'utf8') }));
  const catalog = buildCatalog(sources);
  const engine = await createEngine(sources, catalog, { rows: { orders: 50_000, users: 10_000 }, cacheDir: path.join(os.tmpdir(), 'sql-plan-advisor') });
  try {
    const result = await engine.explain({ sql: QUERY, analyze: true });
    const full = buildPlanModel(result.plan, { relationRows: result.relationRows });
    const { nodes, ...model } = full;
    const suggestions = await suggestIndexes(QUERY, catalog, engine, { dialect: 'postgresql' });
    return {
      view: {
        sql: QUERY,
        executedSql: result.executedSql,
        analyze: true,
        model,
        text: renderPlanText(full),
        json: JSON.stringify([result.plan], null, 2),
        parameters: result.parameters ?? [],
        notes: result.notes ?? [],
        schemaProblems: engine.schemaProblems,
        withIndexes: [],
        origin: 'queries/orders.sql:12',
      },
      suggestions,
      nodes: nodes.length,
      costliestLabel: nodes[full.costliestId].label,
    };
  } finally {
    await engine.close();
  }
}

/** Stand-in for the webview host API: records messages; answers `ready` with the plan and suggestions. */
export function fakeHostScript(messages: HostToWebview[]): string {
  return `
    window.__posted = [];
    let saved;
    window.acquireVsCodeApi = () => ({
      postMessage(msg) {
        window.__posted.push(msg);
        if (msg.type === 'ready') ${JSON.stringify(messages)}.forEach((m, i) => setTimeout(() => window.postMessage(m, '*'), 10 * i));
      },
      getState() { return saved; },
      setState(s) { saved = s; },
    });
    document.addEventListener('securitypolicyviolation', (e) => { (window.__csp = window.__csp || []).push(e.violatedDirective + ' ' + e.blockedURI); });
  `;
}

async function main(): Promise<void> {
  const js = path.join(root, 'dist/webview/plan.js');
  const css = path.join(root, 'dist/webview/plan.css');
  if (!fs.existsSync(js) || !fs.existsSync(css)) throw new Error('dist/webview/plan.{js,css} missing: run `node esbuild.js` first');
  const { view, suggestions, nodes, costliestLabel } = await realView();
  const messages: HostToWebview[] = [
    { type: 'plan', view },
    { type: 'suggestions', state: 'done', suggestions },
  ];
  const nonce = 'n0nce' + Date.now().toString(36);
  let origin = '';
  const files: Record<string, { type: string; body: string | Buffer }> = {
    '/plan.js': { type: 'text/javascript', body: fs.readFileSync(js) },
    '/plan.css': { type: 'text/css', body: fs.readFileSync(css) },
    '/theme.css': { type: 'text/css', body: themeCss(DARK_THEME) },
    '/host.js': { type: 'text/javascript', body: fakeHostScript(messages) },
  };
  const server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    if (url === '/') {
      let html = planPageHtml({ cspSource: origin, nonce, scriptUri: `${origin}/plan.js`, styleUri: `${origin}/plan.css` });
      // What VS Code adds around a webview: theme variables, and the host API before our script.
      html = html.replace('<link rel="stylesheet"', `<link rel="stylesheet" href="${origin}/theme.css">\n<link rel="stylesheet"`);
      html = html.replace(`<script nonce="${nonce}"`, `<script nonce="${nonce}" src="${origin}/host.js"></script>\n<script nonce="${nonce}"`);
      res.writeHead(200, { 'content-type': 'text/html' }).end(html);
      return;
    }
    if (url === '/favicon.ico') return void res.writeHead(204).end();
    const f = files[url];
    if (!f) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': f.type }).end(f.body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const browser = await chromium.launch(chromiumLaunchOptions());
  const problems: string[] = [];
  try {
    const page = await browser.newPage({ viewport: { width: 1000, height: 1100 }, colorScheme: 'dark' });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
    });
    await page.goto(origin + '/');
    await page.waitForSelector('.node');
    await page.waitForSelector('.suggestions h2');
    fs.mkdirSync(outDir, { recursive: true });
    const drawn = await page.locator('.node').count();
    if (drawn !== nodes) problems.push(`drew ${drawn} plan nodes, the model has ${nodes}`);
    const hot = (await page.locator('.node.costliest .node-type').first().textContent()) ?? '';
    if (hot !== costliestLabel) problems.push(`costliest node shows "${hot}", expected "${costliestLabel}"`);
    await checkText(page, 'on the plan tab', problems);
    await page.screenshot({ path: path.join(outDir, 'plan-tree.png') });
    await page.screenshot({ path: path.join(outDir, 'plan-full.png'), fullPage: true });

    await page.getByRole('tab', { name: 'Text' }).click();
    const text = (await page.locator('pre.raw').textContent()) ?? '';
    if (text !== view.text) problems.push('the Text tab does not show the classic text plan');
    await page.screenshot({ path: path.join(outDir, 'plan-text.png') });
    await page.getByRole('tab', { name: 'Plan' }).click();

    const reexplain = page.getByRole('button', { name: 'Re-explain with this index' });
    if (suggestions.length) {
      await reexplain.first().click();
      const posted = await page.evaluate(() => (window as unknown as { __posted: { type: string; ddl?: string }[] }).__posted);
      const last = posted[posted.length - 1];
      if (last?.type !== 'explainWithIndex' || last.ddl !== suggestions[0].ddl) problems.push(`re-explain posted ${JSON.stringify(last)}`);
    }

    // Escaping: hostile text in SQL, plan and warnings must stay text.
    const hostile = '<img src=x onerror="window.__pwned=1"><b>bold</b>';
    const evil: PlanView = {
      ...view,
      sql: hostile,
      executedSql: hostile,
      model: { ...view.model, summary: hostile, warnings: [{ nodeId: 0, kind: 'seq-scan-filter', message: hostile }], root: { ...view.model.root, label: hostile, filter: hostile, warnings: [hostile] } },
      notes: [hostile],
    };
    await page.evaluate((m) => window.postMessage(m, '*'), { type: 'plan', view: evil } as HostToWebview);
    await page.waitForFunction((h) => document.querySelector('.summary')?.textContent === h, hostile);
    const escaped = await page.evaluate(() => ({
      elements: document.querySelectorAll('#root img, #root b').length,
      pwned: (window as unknown as { __pwned?: number }).__pwned,
    }));
    if (escaped.elements > 0 || escaped.pwned) problems.push(`hostile text was rendered as markup: ${JSON.stringify(escaped)}`);
    problems.push(...(await cspViolations(page)));
    console.log(`plan: ${nodes} nodes, costliest "${costliestLabel}", ${view.model.warnings.length} warnings, ${suggestions.length} suggestions`);
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

// Run as a script; imported (scripts/screenshot-live-plan.ts) it only lends its theme and host stand-in.
if (require.main === module) {
  main().catch((e) => {
    console.error(e instanceof Error ? e.stack ?? e.message : e);
    process.exit(1);
  });
}
