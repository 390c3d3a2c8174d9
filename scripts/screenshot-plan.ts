/**
 * Renders the built plan webview (dist/webview/plan.{js,css}) in headless Chromium as VS Code
 * would host it — the same page skeleton and CSP, a stand-in `acquireVsCodeApi`, VS Code's
 * Dark Modern and Light Modern theme variables — with real plans: examples/shop loaded into
 * the engine, an EXPLAIN ANALYZE of a join, the index advisor's verified suggestions and the
 * plan with the suggested index, a pasted psql text plan, and a synthetic 2,000-node plan.
 * Checks that the page renders with no CSP violation or script error, that every plan node is
 * drawn, that the costliest node and path are marked, that metric switching, keyboard
 * navigation, grid sorting and Compare work, and that hostile text stays text; measures the
 * 2,000-node render and the metric re-colour in the browser; then writes screenshots.
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
import { parsePlanInput } from '../src/core/plan/parseText';
import { renderPlanText } from '../src/core/plan/text';
import { buildCatalog } from '../src/core/schema/catalog';
import { planPageHtml } from '../webview/plan/page';
import type { HostToWebview, PlanView, WebviewToHost } from '../webview/plan/protocol';

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

/** VS Code's Light Modern theme: the same variables as DARK_THEME. */
const LIGHT_THEME: Record<string, string> = {
  ...DARK_THEME,
  '--vscode-foreground': '#3b3b3b',
  '--vscode-descriptionForeground': '#3b3b3b',
  '--vscode-editor-background': '#ffffff',
  '--vscode-editorWidget-background': '#f8f8f8',
  '--vscode-focusBorder': '#005fb8',
  '--vscode-button-background': '#005fb8',
  '--vscode-button-hoverBackground': '#0258a8',
  '--vscode-button-border': '#0000001a',
  '--vscode-button-secondaryBackground': '#e5e5e5',
  '--vscode-button-secondaryForeground': '#3b3b3b',
  '--vscode-button-secondaryHoverBackground': '#cccccc',
  '--vscode-badge-background': '#cccccc',
  '--vscode-badge-foreground': '#3b3b3b',
  '--vscode-panel-border': '#e5e5e5',
  '--vscode-panelTitle-activeBorder': '#005fb8',
  '--vscode-textCodeBlock-background': '#f8f8f8',
  '--vscode-textLink-foreground': '#005fb8',
  '--vscode-editorWarning-foreground': '#bf8803',
  '--vscode-inputValidation-warningBackground': '#f6f5d2',
  '--vscode-errorForeground': '#f85149',
  '--vscode-charts-green': '#388a34',
};

/** VS Code's Dark High Contrast theme: black, white text, orange active borders. */
const HC_THEME: Record<string, string> = {
  ...DARK_THEME,
  '--vscode-foreground': '#ffffff',
  '--vscode-descriptionForeground': '#ffffff',
  '--vscode-editor-background': '#000000',
  '--vscode-editorWidget-background': '#0c141f',
  '--vscode-focusBorder': '#f38518',
  '--vscode-contrastActiveBorder': '#f38518',
  '--vscode-contrastBorder': '#6fc3df',
  '--vscode-panel-border': '#6fc3df',
  '--vscode-button-background': '#000000',
  '--vscode-button-border': '#6fc3df',
};

/** A plan as pasted from psql: header, aligned output, footer. */
const PASTED = `                                                      QUERY PLAN
-----------------------------------------------------------------------------------------------------------------------
 Limit  (cost=3021.45..3021.50 rows=20 width=30) (actual time=41.210..41.216 rows=20 loops=1)
   Buffers: shared hit=745
   ->  Sort  (cost=3021.45..3046.45 rows=10000 width=30) (actual time=41.208..41.212 rows=20 loops=1)
         Sort Key: o.total_cents DESC
         Sort Method: top-N heapsort  Memory: 27kB
         Buffers: shared hit=745
         ->  Hash Join  (cost=364.00..2755.36 rows=10000 width=30) (actual time=6.101..38.870 rows=9874 loops=1)
               Hash Cond: (o.user_id = u.id)
               Buffers: shared hit=745
               ->  Seq Scan on orders o  (cost=0.00..2365.00 rows=10000 width=20) (actual time=0.012..26.540 rows=9874 loops=1)
                     Filter: ((total_cents > 5000) AND (status = 'PAID'::text))
                     Rows Removed by Filter: 90126
                     Buffers: shared hit=615
               ->  Hash  (cost=239.00..239.00 rows=10000 width=26) (actual time=5.980..5.981 rows=10000 loops=1)
                     Buckets: 16384  Batches: 1  Memory Usage: 714kB
                     Buffers: shared hit=114
                     ->  Seq Scan on users u  (cost=0.00..239.00 rows=10000 width=26) (actual time=0.006..1.870 rows=10000 loops=1)
                           Buffers: shared hit=114
 Planning Time: 0.412 ms
 Execution Time: 41.301 ms
(20 rows)`;

function engineView(sql: string, result: Awaited<ReturnType<Awaited<ReturnType<typeof createEngine>>['explain']>>, analyze: boolean, schemaProblems: PlanView['schemaProblems'], withIndexes: string[] = []): PlanView {
  const full = buildPlanModel(result.plan, { relationRows: result.relationRows });
  const { nodes: _nodes, ...model } = full;
  void _nodes;
  return {
    sql,
    executedSql: result.executedSql,
    analyze,
    model,
    text: renderPlanText(full),
    json: JSON.stringify([result.plan], null, 2),
    parameters: result.parameters ?? [],
    notes: result.notes ?? [],
    schemaProblems,
    withIndexes,
    origin: 'src/orders.ts:12',
    originLink: true,
    definitions: { tables: ['orders', 'users'], indexes: ['users_pkey'] },
  };
}

interface Real {
  view: PlanView;
  withIndex?: PlanView;
  suggestions: IndexSuggestion[];
  chosen?: IndexSuggestion;
  nodes: number;
  costliestLabel: string;
}

/** A real plan, real suggestions and the plan with the covering (else first) suggestion, for the example shop. */
async function realViews(): Promise<Real> {
  const dir = path.join(root, 'examples/shop/schema');
  const sources = fs.readdirSync(dir).filter((f) => f.endsWith('.sql')).sort().map((f) => ({ file: `schema/${f}`, text: fs.readFileSync(path.join(dir, f), 'utf8') }));
  const catalog = buildCatalog(sources);
  const engine = await createEngine(sources, catalog, { rows: { orders: 50_000, users: 10_000 }, cacheDir: path.join(os.tmpdir(), 'sql-plan-advisor') });
  try {
    const result = await engine.explain({ sql: QUERY, analyze: true });
    const full = buildPlanModel(result.plan, { relationRows: result.relationRows });
    const suggestions = await suggestIndexes(QUERY, catalog, engine, { dialect: 'postgresql' });
    const chosen = suggestions.find((s) => s.kind === 'covering') ?? suggestions[0];
    let withIndex: PlanView | undefined;
    if (chosen) {
      const r2 = await engine.explain({ sql: QUERY, analyze: true, withIndexes: [chosen.ddl] });
      withIndex = engineView(QUERY, r2, true, engine.schemaProblems, [chosen.ddl]);
    }
    return {
      view: engineView(QUERY, result, true, engine.schemaProblems),
      withIndex,
      suggestions,
      chosen,
      nodes: full.nodes.length,
      costliestLabel: full.nodes[full.costliestId].label,
    };
  } finally {
    await engine.close();
  }
}

/** A synthetic plan of about `size` nodes (joins of scans, sorts and aggregates), analysed. */
function bigPlanView(size: number): PlanView {
  let id = 0;
  const make = (depth: number): Record<string, unknown> => {
    id++;
    const leaf = id >= size || depth > 40;
    const rows = 10 + ((id * 7919) % 50_000);
    const time = 0.01 + ((id * 104729) % 1000) / 100;
    const n: Record<string, unknown> = {
      'Node Type': leaf ? 'Seq Scan' : id % 3 ? 'Hash Join' : 'Nested Loop',
      'Join Type': 'Inner',
      'Startup Cost': 0,
      'Total Cost': 1000 + id,
      'Plan Rows': rows,
      'Plan Width': 16,
      'Actual Startup Time': 0.01,
      'Actual Total Time': time,
      'Actual Rows': rows * (1 + (id % 5)),
      'Actual Loops': 1 + (id % 3),
      'Shared Hit Blocks': id * 3,
    };
    if (leaf) {
      n['Relation Name'] = `t${id % 50}`;
      n['Alias'] = `t${id}`;
    } else {
      n['Plans'] = [make(depth + 1), make(depth + 1)];
    }
    return n;
  };
  const plan = [{ Plan: make(0), 'Planning Time': 1, 'Execution Time': 1000 }];
  const full = buildPlanModel(plan);
  const { nodes: _n, ...model } = full;
  void _n;
  return { sql: 'SELECT 1', executedSql: 'SELECT 1', analyze: true, model, text: '', json: '', parameters: [], notes: [], schemaProblems: [], withIndexes: [], opened: 'synthetic 2,000-node plan' };
}

function countNodes(n: PlanView['model']['root']): number {
  return 1 + n.children.reduce((s, c) => s + countNodes(c), 0);
}

/** Stand-in for the webview host API: records messages and answers them from `replies`. */
export function fakeHostScript(replies: Partial<Record<WebviewToHost['type'], HostToWebview[]>>): string {
  return `
    window.__posted = [];
    const replies = ${JSON.stringify(replies).replace(/</g, '\\u003c')};
    let saved;
    window.acquireVsCodeApi = () => ({
      postMessage(msg) {
        window.__posted.push(msg);
        (replies[msg.type] || []).forEach((m, i) => setTimeout(() => window.postMessage(m, '*'), 10 * i));
      },
      getState() { return saved; },
      setState(s) { saved = s; },
    });
    document.addEventListener('securitypolicyviolation', (e) => { (window.__csp = window.__csp || []).push(e.violatedDirective + ' ' + e.blockedURI); });
  `;
}

type Page = Awaited<ReturnType<Awaited<ReturnType<typeof chromium.launch>>['newPage']>>;

async function main(): Promise<void> {
  const js = path.join(root, 'dist/webview/plan.js');
  const css = path.join(root, 'dist/webview/plan.css');
  if (!fs.existsSync(js) || !fs.existsSync(css)) throw new Error('dist/webview/plan.{js,css} missing: run `node esbuild.js` first');
  const real = await realViews();
  const { view, suggestions, nodes, costliestLabel } = real;
  const pasted = buildPlanModel(parsePlanInput(PASTED).plan);
  const { nodes: _p, ...pastedModel } = pasted;
  void _p;
  const pastedView: PlanView = { sql: '', executedSql: '', analyze: true, model: pastedModel, text: renderPlanText(pasted), json: JSON.stringify(parsePlanInput(PASTED).plan, null, 2), parameters: [], notes: [], schemaProblems: [], withIndexes: [], opened: 'Pasted from the clipboard (psql text)' };
  const big = bigPlanView(2000);

  const cases: Record<string, Partial<Record<WebviewToHost['type'], HostToWebview[]>>> = {
    explain: {
      ready: [{ type: 'plan', view }, { type: 'suggestions', state: 'done', suggestions }],
      ...(real.withIndex ? { explainWithIndex: [{ type: 'loading', sql: QUERY, analyze: true, message: 'Planning with the hypothetical index…' }, { type: 'plan', view: real.withIndex }] } : {}),
    },
    pasted: { ready: [{ type: 'plan', view: pastedView }] },
    big: { ready: [] },
  };
  const nonce = 'n0nce' + Date.now().toString(36);
  let origin = '';
  const files: Record<string, { type: string; body: string | Buffer }> = {
    '/plan.js': { type: 'text/javascript', body: fs.readFileSync(js) },
    '/plan.css': { type: 'text/css', body: fs.readFileSync(css) },
    '/theme-dark.css': { type: 'text/css', body: themeCss(DARK_THEME) },
    '/theme-light.css': { type: 'text/css', body: themeCss(LIGHT_THEME) },
    '/theme-high-contrast.css': { type: 'text/css', body: themeCss(HC_THEME) },
  };
  for (const [name, replies] of Object.entries(cases)) files[`/host-${name}.js`] = { type: 'text/javascript', body: fakeHostScript(replies) };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/') {
      const theme = url.searchParams.get('theme') ?? 'dark';
      const c = url.searchParams.get('case') ?? 'explain';
      let html = planPageHtml({ cspSource: origin, nonce, scriptUri: `${origin}/plan.js`, styleUri: `${origin}/plan.css` });
      // What VS Code adds around a webview: theme variables and body class, and the host API before our script.
      html = html.replace('<link rel="stylesheet"', `<link rel="stylesheet" href="${origin}/theme-${theme}.css">\n<link rel="stylesheet"`);
      html = html.replace('<body>', `<body class="vscode-${theme}">`);
      html = html.replace(`<script nonce="${nonce}"`, `<script nonce="${nonce}" src="${origin}/host-${c}.js"></script>\n<script nonce="${nonce}"`);
      res.writeHead(200, { 'content-type': 'text/html' }).end(html);
      return;
    }
    if (url.pathname === '/favicon.ico') return void res.writeHead(204).end();
    const f = files[url.pathname];
    if (!f) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': f.type }).end(f.body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const browser = await chromium.launch(chromiumLaunchOptions());
  const problems: string[] = [];
  const open = async (c: string, theme: 'dark' | 'light' | 'high-contrast', width = 1200, height = 900): Promise<Page> => {
    const page = await browser.newPage({ viewport: { width, height }, colorScheme: theme === 'light' ? 'light' : 'dark' });
    page.on('pageerror', (e) => problems.push(`${c}/${theme}: page error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`${c}/${theme}: console error: ${m.text()}`);
    });
    await page.goto(`${origin}/?case=${c}&theme=${theme}`);
    return page;
  };
  fs.mkdirSync(outDir, { recursive: true });
  const shot = (page: Page, name: string, full = false) => page.screenshot({ path: path.join(outDir, `${name}.png`), fullPage: full });
  const figures: string[] = [];
  try {
    for (const theme of ['dark', 'light'] as const) {
      // 1. The join plan as a graph, costliest path marked.
      const page = await open('explain', theme);
      await page.waitForSelector('svg.plan-graph g.node');
      await page.waitForSelector('.suggestions h2');
      await page.waitForTimeout(100);
      const drawn = await page.locator('svg.plan-graph g.node').count();
      if (drawn !== nodes) problems.push(`drew ${drawn} plan nodes, the model has ${nodes}`);
      const hot = (await page.locator('g.node.costliest title').first().textContent()) ?? '';
      if (!hot.endsWith(costliestLabel)) problems.push(`costliest node shows "${hot}", expected "${costliestLabel}"`);
      const hotEdges = await page.locator('path.edge.hot').count();
      if (hotEdges < 1) problems.push('no edge of the costliest path is marked');
      await checkText(page, 'on the graph tab', problems);
      await shot(page, `plan-graph-${theme}`);

      // Metric switch re-colours without re-layout; measure it in the browser.
      const before = await page.evaluate(() => Array.from(document.querySelectorAll('g.node')).map((g) => g.getAttribute('class')).join('|'));
      const switchMs = await page.evaluate(() => {
        const s = document.querySelector('.graph-toolbar select') as HTMLSelectElement;
        s.value = 'rows';
        const t0 = performance.now();
        s.dispatchEvent(new Event('change'));
        return performance.now() - t0;
      });
      const after = await page.evaluate(() => Array.from(document.querySelectorAll('g.node')).map((g) => g.getAttribute('class')).join('|'));
      if (before === after) problems.push('switching the metric to Rows did not re-colour any node');
      const caption = (await page.locator('g.node .metric-text').first().textContent()) ?? '';
      if (!/rows out/.test(caption)) problems.push(`metric caption after switching to Rows: "${caption}"`);
      if (theme === 'dark') figures.push(`metric switch (${nodes} nodes): ${switchMs.toFixed(2)} ms`);

      // Export: SVG text with its own styles, and a PNG drawn through a canvas under the CSP.
      if (theme === 'dark') {
        await page.getByRole('button', { name: 'Save the graph as an SVG picture' }).click();
        await page.getByRole('button', { name: 'Save the graph as a PNG picture' }).click();
        const exports = await page.waitForFunction(() => {
          const posted = (window as unknown as { __posted: { type: string; format?: string; data?: string }[] }).__posted.filter((m) => m.type === 'export');
          return posted.length >= 2 ? posted.map((m) => ({ format: m.format, head: (m.data ?? '').slice(0, 40), size: (m.data ?? '').length })) : undefined;
        });
        const [svgExport, pngExport] = (await exports.jsonValue()) as { format: string; head: string; size: number }[];
        if (svgExport.format !== 'svg' || !svgExport.head.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')) problems.push(`SVG export: ${JSON.stringify(svgExport)}`);
        if (pngExport.format !== 'png' || !pngExport.head.startsWith('data:image/png;base64,') || pngExport.size < 5000) problems.push(`PNG export: ${JSON.stringify(pngExport)}`);
        figures.push(`exports: SVG ${Math.round(svgExport.size / 1024)} KB, PNG ${Math.round((pngExport.size * 3) / 4 / 1024)} KB`);
        const png = await page.evaluate(() => (window as unknown as { __posted: { format?: string; data?: string }[] }).__posted.find((m) => m.format === 'png')?.data ?? '');
        fs.writeFileSync(path.join(outDir, 'plan-export.png'), Buffer.from(png.replace(/^data:image\/png;base64,/, ''), 'base64'));
      }

      // Keyboard: focus the root, ↓ goes to its first input, Enter opens the details.
      await page.locator('g.node[data-id="0"]').focus();
      await page.keyboard.press('ArrowDown');
      const focused = await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset?.id);
      if (focused !== '1') problems.push(`ArrowDown from the root focused node ${focused}, expected 1`);
      await page.keyboard.press('Enter');
      await page.waitForSelector('.details-panel');
      const label = await page.locator('g.node[data-id="1"]').getAttribute('aria-label');
      if (!label || !/input|leaf/.test(label)) problems.push(`node has no useful screen-reader label: ${label}`);
      // Select the costliest node for the details screenshot.
      await page.locator('g.node.costliest').click();
      await page.waitForSelector('.details-panel table.fields');
      await shot(page, `plan-details-${theme}`);

      // 2. Grid sorted by exclusive time (the default for an analysed plan); check the order.
      await page.getByRole('tab', { name: 'Grid' }).click();
      await page.waitForSelector('table.grid tbody tr');
      const times = await page.evaluate(() => {
        const idx = Array.from(document.querySelectorAll('table.grid thead th')).findIndex((th) => /Own time/.test(th.textContent ?? ''));
        return Array.from(document.querySelectorAll('table.grid tbody tr')).map((tr) => (tr.children[idx] as HTMLElement).textContent ?? '');
      });
      const ms = times.map((t) => parseFloat(t.replace(/,/g, '')));
      if (ms.some((v, i) => i > 0 && v > ms[i - 1])) problems.push(`grid not sorted by own time: ${times.join(', ')}`);
      const sortState = await page.locator('th[aria-sort="descending"]').textContent();
      if (!/Own time/.test(sortState ?? '')) problems.push(`grid sort header: ${sortState}`);
      await checkText(page, 'on the grid tab', problems);
      await shot(page, `plan-grid-${theme}`);

      // Stats and icicle.
      await page.getByRole('tab', { name: 'Stats' }).click();
      await page.waitForSelector('.stats-tab table');
      await checkText(page, 'on the stats tab', problems);
      await shot(page, `plan-stats-${theme}`);
      await page.getByRole('tab', { name: 'Icicle' }).click();
      await page.waitForSelector('svg.plan-icicle g');
      await shot(page, `plan-icicle-${theme}`);

      // 3. Compare for the suggested (covering) index.
      if (real.withIndex && real.chosen) {
        await page.getByRole('tab', { name: 'Graph' }).click();
        await page.getByRole('button', { name: 'Compare with this index' }).first().click();
        await page.waitForSelector('.compare-tab .compare-sides svg');
        const summary = (await page.locator('.compare-summary').textContent()) ?? '';
        if (!/^Cost /.test(summary)) problems.push(`compare summary: ${summary}`);
        const marked = await page.locator('.compare-side g.change-changed, .compare-side g.change-removed, .compare-side g.change-added').count();
        if (marked < 1) problems.push('compare view marks no changed/removed/added node');
        await checkText(page, 'on the compare tab', problems);
        await shot(page, `plan-compare-${theme}`, true);
        if (theme === 'dark') figures.push(`compare (${real.chosen.kind} index ${real.chosen.ddl}): ${summary}`);
      } else problems.push('the advisor suggested no index: no compare screenshot');
      await page.close();

      // 4. A pasted psql text plan.
      const p2 = await open('pasted', theme);
      await p2.waitForSelector('svg.plan-graph g.node');
      const pn = await p2.locator('svg.plan-graph g.node').count();
      if (pn !== pasted.nodes.length) problems.push(`pasted plan: drew ${pn} nodes of ${pasted.nodes.length}`);
      await p2.waitForTimeout(100);
      await shot(p2, `plan-pasted-${theme}`);
      await p2.close();
    }

    // High contrast: the graph only.
    const hc = await open('explain', 'high-contrast');
    await hc.waitForSelector('svg.plan-graph g.node');
    await hc.waitForTimeout(100);
    await checkText(hc, 'in high contrast', problems);
    await shot(hc, 'plan-graph-high-contrast');
    await hc.close();

    // 5. 2,000 nodes: render and metric switch, measured in the browser.
    const p3 = await open('big', 'dark');
    await p3.waitForSelector('#root');
    const timing = await p3.evaluate(async (v) => {
      const t0 = performance.now();
      window.dispatchEvent(new MessageEvent('message', { data: { type: 'plan', view: v } }));
      const t1 = performance.now();
      await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
      const t2 = performance.now();
      const s = document.querySelector('.graph-toolbar select') as HTMLSelectElement;
      s.value = 'exclusiveCost';
      const t3 = performance.now();
      s.dispatchEvent(new Event('change'));
      const t4 = performance.now();
      await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
      const t5 = performance.now();
      return { build: t1 - t0, painted: t2 - t0, recolour: t4 - t3, recolourPainted: t5 - t3, drawn: document.querySelectorAll('g.node').length };
    }, big);
    const bigNodes = countNodes(big.model.root);
    figures.push(`${bigNodes}-node plan in Chromium: DOM built ${timing.build.toFixed(0)} ms, first paint ${timing.painted.toFixed(0)} ms (${timing.drawn} boxes drawn in view); metric switch ${timing.recolour.toFixed(1)} ms (painted ${timing.recolourPainted.toFixed(0)} ms)`);
    if (bigNodes < 2000) problems.push(`big plan has ${bigNodes} nodes`);
    // Only what is near the view is drawn; fitting the whole plan draws every box, bare.
    if (timing.drawn < 1 || timing.drawn >= bigNodes) problems.push(`big plan drew ${timing.drawn} of ${bigNodes} boxes at first: not virtualised`);
    await p3.waitForTimeout(100);
    if ((await p3.locator('.minimap canvas').count()) !== 1) problems.push('the 2,000-node plan has no minimap');
    await p3.locator('.graph-tab').screenshot({ path: path.join(outDir, 'plan-big-dark.png') });
    await p3.getByRole('button', { name: 'Fit the whole plan in view (0)' }).click();
    const fitted = await p3.evaluate(() => ({ boxes: document.querySelectorAll('svg.plan-graph g.node').length, texts: document.querySelectorAll('svg.plan-graph g.node text').length }));
    // (The focused root keeps its text: it is pinned so keyboard focus is never lost.)
    if (fitted.boxes !== bigNodes || fitted.texts > 4) problems.push(`fitted big plan: ${fitted.boxes} boxes, ${fitted.texts} texts (expected ${bigNodes} bare boxes)`);
    await p3.locator('.graph-tab').screenshot({ path: path.join(outDir, 'plan-big-fit-dark.png') });
    // Walking down the tree by keyboard pans the view: nodes far from the first view get drawn.
    await p3.keyboard.press('+');
    await p3.locator('g.node[data-id="0"]').focus();
    for (let i = 0; i < 30; i++) await p3.keyboard.press('ArrowDown');
    const walked = await p3.evaluate(() => ({ id: (document.activeElement as HTMLElement | null)?.dataset?.id, text: document.activeElement?.querySelector('.label')?.textContent }));
    if (walked.id !== '30' || !walked.text) problems.push(`keyboard walk in the big plan ended on ${JSON.stringify(walked)}, expected node 30 drawn with its text`);
    await p3.locator('.graph-tab').screenshot({ path: path.join(outDir, 'plan-big-walked-dark.png') });
    await p3.close();

    // Escaping: hostile text in SQL, plan and warnings must stay text.
    const page = await open('explain', 'dark');
    await page.waitForSelector('svg.plan-graph g.node');
    const hostile = '<img src=x onerror="window.__pwned=1"><b>bold</b>';
    const evil: PlanView = {
      ...view,
      sql: hostile,
      executedSql: hostile,
      origin: hostile,
      model: {
        ...view.model,
        summary: hostile,
        warnings: [{ nodeId: 0, kind: 'seq-scan-filter', message: hostile }],
        root: { ...view.model.root, label: hostile, filter: hostile, warnings: [hostile], fields: { [hostile]: hostile } },
      },
      notes: [hostile],
    };
    await page.evaluate((m) => window.postMessage(m, '*'), { type: 'plan', view: evil } as HostToWebview);
    await page.waitForFunction((h) => document.querySelector('.summary')?.textContent === h, hostile);
    await page.locator('g.node[data-id="0"]').click();
    await page.waitForSelector('.details-panel');
    for (const tab of ['Grid', 'Query', 'Compare']) await page.getByRole('tab', { name: tab }).click();
    const escaped = await page.evaluate(() => ({
      elements: document.querySelectorAll('#root img, #root b').length,
      pwned: (window as unknown as { __pwned?: number }).__pwned,
    }));
    if (escaped.elements > 0 || escaped.pwned) problems.push(`hostile text was rendered as markup: ${JSON.stringify(escaped)}`);
    problems.push(...(await cspViolations(page)));
    console.log(`plan: ${nodes} nodes, costliest "${costliestLabel}", ${view.model.warnings.length} warnings, ${suggestions.length} suggestions`);
    for (const f of figures) console.log(f);
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
