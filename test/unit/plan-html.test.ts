import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { chromium } from 'playwright-core';
import { chromiumLaunchOptions } from '../../scripts/chromium';
import { runExplain } from '../../src/cli/explain';
import { bufferIO } from '../../src/cli/io';
import { renderPlanHtml } from '../../src/core/plan/html';
import { buildPlanModel } from '../../src/core/plan/model';

const FIXTURE = path.join(__dirname, '..', 'fixtures', 'plans', '04-hash-join-analyze.json');

describe('plan as a self-contained HTML page', () => {
  it('escapes every plan string, embeds the plan JSON and allows only its own nonce', () => {
    const hostile = '</script><img src=x onerror=alert(1)>';
    const plan = JSON.parse(fs.readFileSync(FIXTURE, 'utf8'));
    plan[0].Plan['Hash Cond'] = hostile;
    plan[0].Plan.Plans[0]['Alias'] = hostile;
    const html = renderPlanHtml({ model: buildPlanModel(plan), plan, sql: `SELECT '${hostile}'`, nonce: 'abc123' });
    assert.ok(!html.includes('<img'), 'hostile markup is escaped');
    assert.equal(html.split('</script>').length - 1, 3, 'only our three script elements close');
    const csp = /http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html)![1].replace(/&#39;/g, "'");
    assert.equal(csp, "default-src 'none'; style-src 'nonce-abc123'; script-src 'nonce-abc123'; img-src data:");
    assert.ok(!/(src|href)="(https?:)?\/\//.test(html), 'nothing is loaded from anywhere');
    const embedded = /<script type="application\/json" id="plan-json">([\s\S]*?)<\/script>/.exec(html)![1];
    assert.deepEqual(JSON.parse(embedded), plan);
  });

  describe('explain --format html in headless Chromium', function () {
    this.timeout(240_000);
    let dir: string;
    before(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spa-html-'));
      fs.writeFileSync(
        path.join(dir, 'schema.sql'),
        `CREATE TABLE users (id serial PRIMARY KEY, email text NOT NULL, status text NOT NULL);
         CREATE TABLE orders (id serial PRIMARY KEY, user_id int NOT NULL REFERENCES users (id), total numeric(10,2), status text NOT NULL);`,
      );
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('opens with no network request and shows the graph, the metric switch and the grid', async () => {
      const io = bufferIO(dir);
      const sql = "SELECT u.email, o.total FROM orders o JOIN users u ON u.id = o.user_id WHERE o.status = 'paid' ORDER BY o.total DESC LIMIT 20";
      const code = await runExplain(['--schema', 'schema.sql', '--rows', 'users=2000,orders=20k', '--analyze', '--format', 'html', sql], io);
      assert.equal(code, 0, io.stderr());
      const file = path.join(dir, 'plan.html');
      fs.writeFileSync(file, io.stdout());
      const nodes = (io.stdout().match(/<g class="node /g) ?? []).length;
      assert.ok(nodes >= 4, `the page has ${nodes} graph nodes`);

      const browser = await chromium.launch(chromiumLaunchOptions());
      try {
        const page = await browser.newPage();
        const requests: string[] = [];
        const errors: string[] = [];
        page.on('request', (r) => requests.push(r.url()));
        page.on('pageerror', (e) => errors.push(e.message));
        page.on('console', (m) => {
          if (m.type() === 'error') errors.push(m.text());
        });
        const url = pathToFileURL(file).href;
        await page.goto(url);
        assert.deepEqual(requests, [url], 'the page loads nothing but itself');
        assert.equal(await page.locator('svg.plan-graph g.node').count(), nodes);
        assert.equal(await page.locator('svg.plan-graph g.node.costliest').count(), 1);
        assert.ok((await page.locator('svg.plan-graph path.edge.hot').count()) >= 1, 'the costliest path is marked');
        assert.equal(await page.locator('table.grid tbody tr').count(), nodes);

        // The inline script runs under the nonce CSP: switching metric re-captions the nodes.
        await page.selectOption('#metric', 'rows');
        const caption = await page.locator('svg g.node .metric-text').first().textContent();
        assert.match(caption ?? '', /rows out$/);
        // …and the grid sorts by a column (first click: largest first).
        await page.locator('th', { hasText: 'Own time' }).click();
        const sorted = await page.evaluate(() => {
          const th = Array.from(document.querySelectorAll('#grid th'));
          const i = th.findIndex((h) => h.textContent === 'Own time');
          return Array.from(document.querySelectorAll('#grid tbody tr')).map((tr) => Number((tr as HTMLTableRowElement).cells[i].dataset.k));
        });
        assert.deepEqual(sorted, [...sorted].sort((a, b) => b - a));
        assert.deepEqual(errors, []);
        assert.deepEqual(requests, [url], 'interacting loads nothing either');
      } finally {
        await browser.close();
      }
    });
  });
});
