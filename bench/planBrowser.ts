/**
 * The plan webview measured where it runs: the built page (dist/webview/plan.{js,css}) in
 * headless Chromium, as VS Code hosts it (strict CSP, theme variables, a stand-in host API),
 * given a 2,000-node analysed plan. Measures first paint (message received → the frame after
 * the graph is in the page) and a metric switch (select change → the next frame), each on a
 * fresh page, median of a few runs. Wall time in a shared, loaded machine: read it as an upper
 * bound.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import type { AddressInfo } from 'node:net';
import { chromium } from 'playwright-core';
import { chromiumLaunchOptions } from '../scripts/chromium';
import { themeCss } from '../scripts/webviewHarness';
import { DARK_THEME, fakeHostScript } from '../scripts/screenshot-plan';
import { buildPlanModel } from '../src/core/plan/model';
import { planPageHtml } from '../webview/plan/page';
import type { PlanView } from '../webview/plan/protocol';
import { median } from './types';

export interface BrowserPlanTiming {
  nodes: number;
  /** Plan message → DOM built (synchronous render). */
  buildMs: number;
  /** Plan message → the frame after it painted. */
  firstPaintMs: number;
  /** Metric select change → handler done. */
  recolourMs: number;
  /** Metric select change → the frame after it painted. */
  recolourPaintMs: number;
  /** Node boxes in the DOM after first paint (virtualised: only those in or near view). */
  drawn: number;
}

/** A plan view for the webview from EXPLAIN JSON. */
export function planViewOf(json: unknown, opened: string): PlanView {
  const { nodes: _n, ...model } = buildPlanModel(json);
  void _n;
  return { sql: 'SELECT 1', executedSql: 'SELECT 1', analyze: true, model, text: '', json: '', parameters: [], notes: [], schemaProblems: [], withIndexes: [], opened };
}

/** Renders `view` in headless Chromium `runs` times and returns the median timings. */
export async function measurePlanInBrowser(view: PlanView, runs = 3): Promise<BrowserPlanTiming> {
  const root = path.resolve(__dirname, '..');
  const js = path.join(root, 'dist/webview/plan.js');
  const css = path.join(root, 'dist/webview/plan.css');
  if (!fs.existsSync(js) || !fs.existsSync(css)) throw new Error('dist/webview/plan.{js,css} missing: run `node esbuild.js` first');
  const nonce = 'b3nch' + Date.now().toString(36);
  let origin = '';
  const files: Record<string, { type: string; body: string | Buffer }> = {
    '/plan.js': { type: 'text/javascript', body: fs.readFileSync(js) },
    '/plan.css': { type: 'text/css', body: fs.readFileSync(css) },
    '/theme.css': { type: 'text/css', body: themeCss(DARK_THEME) },
    '/host.js': { type: 'text/javascript', body: fakeHostScript({}) },
  };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/') {
      let html = planPageHtml({ cspSource: origin, nonce, scriptUri: `${origin}/plan.js`, styleUri: `${origin}/plan.css` });
      html = html.replace('<link rel="stylesheet"', `<link rel="stylesheet" href="${origin}/theme.css">\n<link rel="stylesheet"`);
      html = html.replace('<body>', '<body class="vscode-dark">');
      html = html.replace(`<script nonce="${nonce}"`, `<script nonce="${nonce}" src="${origin}/host.js"></script>\n<script nonce="${nonce}"`);
      return void res.writeHead(200, { 'content-type': 'text/html' }).end(html);
    }
    const f = files[url.pathname];
    if (!f) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': f.type }).end(f.body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await chromium.launch(chromiumLaunchOptions());
  const samples: BrowserPlanTiming[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(origin + '/');
      await page.waitForSelector('#root p');
      // No named inner functions: tsx would wrap them in a helper the page does not have.
      const t = await page.evaluate(async (v) => {
        const t0 = performance.now();
        window.dispatchEvent(new MessageEvent('message', { data: { type: 'plan', view: v } }));
        const t1 = performance.now();
        await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
        const t2 = performance.now();
        const drawn = document.querySelectorAll('svg.plan-graph g.node').length;
        await new Promise((r) => setTimeout(r, 300));
        const s = document.querySelector('.graph-toolbar select') as HTMLSelectElement;
        s.value = s.value === 'exclusiveCost' ? 'rows' : 'exclusiveCost';
        const t3 = performance.now();
        s.dispatchEvent(new Event('change'));
        const t4 = performance.now();
        await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
        const t5 = performance.now();
        return { nodes: 0, buildMs: t1 - t0, firstPaintMs: t2 - t0, recolourMs: t4 - t3, recolourPaintMs: t5 - t3, drawn };
      }, view);
      if (errors.length) throw new Error(`plan page errors: ${errors.join('; ')}`);
      samples.push({ ...t, nodes: view.model.root ? countNodes(view) : 0 });
      await page.close();
    }
  } finally {
    await browser.close();
    server.close();
  }
  const pick = (k: keyof BrowserPlanTiming) => median(samples.map((s) => s[k]));
  return { nodes: samples[0].nodes, buildMs: pick('buildMs'), firstPaintMs: pick('firstPaintMs'), recolourMs: pick('recolourMs'), recolourPaintMs: pick('recolourPaintMs'), drawn: pick('drawn') };
}

function countNodes(view: PlanView): number {
  let n = 0;
  const stack = [view.model.root];
  while (stack.length) {
    const x = stack.pop()!;
    n++;
    stack.push(...x.children);
  }
  return n;
}
