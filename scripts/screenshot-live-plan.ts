/**
 * Renders plans from live servers in the plan webview (headless Chromium, as VS Code hosts it):
 * a MariaDB `EXPLAIN FORMAT=JSON` converted into the plan model, and a PostgreSQL 15 plan, both
 * from throwaway servers the test harness starts. Checks that every node is drawn, the notes
 * name the server, MySQL's warnings show, and nothing violates the CSP; writes screenshots.
 *
 * Usage: node esbuild.js && npx tsx scripts/screenshot-live-plan.ts [outDir]   (default dist/screenshots)
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import type { AddressInfo } from 'node:net';
import { Client } from 'pg';
import { createConnection } from 'mysql2/promise';
import { chromium } from 'playwright-core';
import { chromiumLaunchOptions } from './chromium';
import { DARK_THEME, fakeHostScript } from './screenshot-plan';
import { checkText, cspViolations, themeCss } from './webviewHarness';
import { connectLive } from '../src/core/live/connect';
import { buildPlanModel } from '../src/core/plan/model';
import { renderPlanText } from '../src/core/plan/text';
import { planPageHtml } from '../webview/plan/page';
import type { PlanView } from '../webview/plan/protocol';
import { startMariadb, startPostgres } from '../test/support/servers';

const root = path.resolve(__dirname, '..');
const outDir = path.resolve(process.argv[2] ?? path.join(root, 'dist/screenshots'));

const MYSQL_QUERY = `SELECT o.id, u.email FROM orders o JOIN users u ON u.id = o.user_id
WHERE o.total > ? ORDER BY o.created_at DESC LIMIT 10`;
const PG_QUERY = `SELECT o.id, o.total, u.email FROM orders o JOIN users u ON u.id = o.user_id
WHERE o.status = $1 AND o.created_at > $2 ORDER BY o.created_at LIMIT 20`;

/** Explains `sql` on the server at `url` and builds the view the panel would send. */
async function liveView(url: string, sql: string): Promise<{ view: PlanView; nodes: number }> {
  const server = await connectLive(url);
  try {
    const result = await server.explain({ sql });
    const full = buildPlanModel(result.plan, { relationRows: result.relationRows });
    const { nodes, ...model } = full;
    // As the plan panel does: the header's badge names the server.
    model.source = `${server.capabilities.version} at ${server.target.display}`;
    return {
      view: {
        sql,
        executedSql: result.executedSql,
        analyze: false,
        model,
        text: renderPlanText(full),
        json: JSON.stringify(result.plan, null, 2),
        parameters: result.parameters ?? [],
        notes: result.notes ?? [],
        schemaProblems: [],
        withIndexes: [],
        origin: 'queries.sql:3',
      },
      nodes: nodes.length,
    };
  } finally {
    await server.close();
  }
}

async function render(view: PlanView, nodes: number, file: string, problems: string[]): Promise<void> {
  const nonce = 'n0nce' + Date.now().toString(36);
  let origin = '';
  const files: Record<string, { type: string; body: string | Buffer }> = {
    '/plan.js': { type: 'text/javascript', body: fs.readFileSync(path.join(root, 'dist/webview/plan.js')) },
    '/plan.css': { type: 'text/css', body: fs.readFileSync(path.join(root, 'dist/webview/plan.css')) },
    '/theme.css': { type: 'text/css', body: themeCss(DARK_THEME) },
    '/host.js': { type: 'text/javascript', body: fakeHostScript({ ready: [{ type: 'plan', view }, { type: 'suggestions', state: 'unavailable', message: 'Advice on a live server: run Suggest indexes.' }] }) },
  };
  const server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    if (url === '/') {
      let html = planPageHtml({ cspSource: origin, nonce, scriptUri: `${origin}/plan.js`, styleUri: `${origin}/plan.css` });
      html = html.replace('<link rel="stylesheet"', `<link rel="stylesheet" href="${origin}/theme.css">\n<link rel="stylesheet"`);
      html = html.replace(`<script nonce="${nonce}"`, `<script nonce="${nonce}" src="${origin}/host.js"></script>\n<script nonce="${nonce}"`);
      res.writeHead(200, { 'content-type': 'text/html' }).end(html);
      return;
    }
    const f = files[url];
    if (!f) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': f.type }).end(f.body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await chromium.launch(chromiumLaunchOptions());
  try {
    const page = await browser.newPage({ viewport: { width: 1000, height: 900 }, colorScheme: 'dark' });
    page.on('pageerror', (e) => problems.push(`${file}: page error: ${e.message}`));
    await page.goto(origin + '/');
    await page.waitForSelector('.node');
    const drawn = await page.locator('.node').count();
    if (drawn !== nodes) problems.push(`${file}: drew ${drawn} plan nodes, the model has ${nodes}`);
    // textContent: the notes sit in a collapsed "How this plan was made" section.
    const body = await page.evaluate(() => document.body.textContent ?? '');
    for (const note of view.notes) if (!body.includes(note)) problems.push(`${file}: note not shown: ${note}`);
    for (const w of view.model.warnings) if (!body.includes(w.message)) problems.push(`${file}: warning not shown: ${w.message}`);
    await checkText(page, `in ${file}`, problems);
    problems.push(...(await cspViolations(page)));
    await page.screenshot({ path: path.join(outDir, file), fullPage: true });
    const mysqlNode = view.model.root.mysql !== undefined;
    if (mysqlNode) {
      // A MySQL step's details speak MySQL: access type, key, rows examined, filtered, Extra.
      await page.locator('g.node.costliest').first().click();
      const details = await page.locator('.details-panel').first().textContent({ timeout: 5000 }).catch(() => '');
      for (const fact of ['Access type', 'Key', 'Rows examined per scan', 'Filtered']) {
        if (!details?.includes(fact)) problems.push(`${file}: node details lack "${fact}"`);
      }
      await page.locator('.details-panel').first().scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(outDir, file.replace(/\.png$/, '-details.png')), fullPage: true });
    }
  } finally {
    await browser.close();
    server.close();
  }
}

async function main(): Promise<void> {
  if (!fs.existsSync(path.join(root, 'dist/webview/plan.js'))) throw new Error('dist/webview/plan.js missing: run `node esbuild.js` first');
  fs.mkdirSync(outDir, { recursive: true });
  const problems: string[] = [];
  const maria = await startMariadb();
  try {
    const admin = await createConnection({ uri: maria.adminUrl, multipleStatements: true });
    await admin.query(fs.readFileSync(path.join(root, 'test/fixtures/live/mysql-shop.sql'), 'utf8'));
    await admin.end();
    const { view, nodes } = await liveView(maria.url, MYSQL_QUERY);
    await render(view, nodes, 'plan-live-mariadb.png', problems);
    console.log(`MariaDB: ${nodes} nodes, ${view.model.warnings.length} warnings`);
  } finally {
    await maria.stop();
  }
  const pg = await startPostgres();
  try {
    const admin = new Client({ connectionString: pg.adminUrl });
    await admin.connect();
    await admin.query(fs.readFileSync(path.join(root, 'test/fixtures/live/pg-shop.sql'), 'utf8'));
    await admin.end();
    const { view, nodes } = await liveView(pg.url, PG_QUERY);
    await render(view, nodes, 'plan-live-postgresql.png', problems);
    console.log(`PostgreSQL: ${nodes} nodes, ${view.model.warnings.length} warnings`);
  } finally {
    await pg.stop();
  }
  console.log(`screenshots in ${path.relative(root, outDir)}/`);
  if (problems.length) {
    console.error(problems.join('\n'));
    process.exit(1);
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.stack ?? e.message : e);
  process.exit(1);
});
