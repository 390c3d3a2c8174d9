/**
 * A self-contained HTML page of one plan, for `sql-plan-advisor explain --format html`: the
 * SVG graph (coloured by a metric you can switch), the grid (sortable), the warnings, the
 * statement and the plan JSON embedded. Styles and the small script are inline under a
 * nonce CSP; nothing is loaded from anywhere, so the file works as a CI artifact offline.
 */
import { formatCount, formatMs } from './describe';
import { layoutPlan } from './layout';
import { availableMetrics, metricScale } from './metrics';
import type { PlanModel } from './model';
import { escapeXml, graphScene, metricCaption, standaloneGraphCss, svgMarkup } from './scene';
import { nodeRows } from './stats';

export interface PlanPageInput {
  model: PlanModel;
  /** The EXPLAIN JSON, embedded for whoever opens the page later. */
  plan: unknown;
  sql: string;
  executedSql?: string;
  /** Page nonce for the inline style and script (a fresh random one per page). */
  nonce: string;
  title?: string;
}

/** The whole page as one HTML string; every plan-derived string is escaped. */
export function renderPlanHtml(p: PlanPageInput): string {
  const { model } = p;
  const e = escapeXml;
  const layout = layoutPlan(model.root, model.nodes.length);
  const metrics = availableMetrics(model.nodes, model.analyzed);
  const first = model.analyzed ? 'exclusiveTime' : 'exclusiveCost';
  const scales = Object.fromEntries(metrics.map((m) => [m.id, metricScale(model.nodes, m.id)]));
  const svg = svgMarkup(graphScene(model, layout, scales[first]));
  // Per metric: heat level and caption per node, so switching needs no plan logic in the page.
  const switchData = Object.fromEntries(
    metrics.map((m) => [m.id, model.nodes.map((n) => [scales[m.id].heat[n.id], metricCaption(n, scales[m.id], model)])]),
  );
  const rows = nodeRows(model.nodes);
  const num = (v: number | undefined, f: (v: number) => string) => (v === undefined ? '' : f(v));
  const cols: [string, (r: (typeof rows)[number]) => [string, number | string | undefined]][] = [
    ['#', (r) => [String(r.id), r.id]],
    ['Node', (r) => [r.label, r.label]],
    ['Own cost', (r) => [r.exclusiveCost.toFixed(2), r.exclusiveCost]],
    ['Total cost', (r) => [r.totalCost.toFixed(2), r.totalCost]],
    ...(model.analyzed
      ? ([
          ['Own time', (r) => [num(r.exclusiveTime, formatMs), r.exclusiveTime]],
          ['Total time', (r) => [num(r.totalTime, formatMs), r.totalTime]],
        ] as typeof cols)
      : []),
    ['Rows est.', (r) => [formatCount(r.planRows), r.planRows]],
    ...(model.analyzed
      ? ([
          ['Rows actual', (r) => [num(r.actualRows, formatCount), r.actualRows]],
          ['Misestimate', (r) => [num(r.misestimate, (v) => (v < 1.05 ? '—' : `${v >= 10 ? Math.round(v) : v.toFixed(1)}×`)), r.misestimate]],
          ['Loops', (r) => [num(r.loops, formatCount), r.loops]],
          ['Buffers', (r) => [num(r.buffers, formatCount), r.buffers]],
        ] as typeof cols)
      : []),
    ['Removed by filter', (r) => [num(r.rowsRemoved, formatCount), r.rowsRemoved]],
  ];
  const grid = [
    '<table class="grid" id="grid"><thead><tr>',
    ...cols.map(([h], i) => `<th scope="col" data-col="${i}"${i === 1 ? '' : ' class="num"'}><button type="button">${e(h)}</button></th>`),
    '</tr></thead><tbody>',
    ...rows.map(
      (r) =>
        `<tr${r.id === model.costliestId ? ' class="costliest"' : ''}>` +
        cols.map(([, f], i) => {
          const [text, key] = f(r);
          const sortKey = key === undefined ? '' : ` data-k="${e(String(key))}"`;
          return `<td${i === 1 ? ` class="node d${Math.min(r.depth, 12)}"` : ' class="num"'}${sortKey}>${e(text)}</td>`;
        }).join('') +
        '</tr>',
    ),
    '</tbody></table>',
  ].join('');
  const facts = [`Total cost ${model.totalCost.toFixed(2)}`, `${model.nodes.length} nodes`];
  if (model.executionTime !== undefined) facts.push(`execution ${formatMs(model.executionTime)}`);
  if (model.planningTime !== undefined) facts.push(`planning ${formatMs(model.planningTime)}`);
  const title = p.title ?? (model.analyzed ? 'EXPLAIN ANALYZE' : 'EXPLAIN');
  const json = (v: unknown) => JSON.stringify(v).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
  const csp = `default-src 'none'; style-src 'nonce-${p.nonce}'; script-src 'nonce-${p.nonce}'; img-src data:`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${e(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${e(title)} — SQL Plan Advisor</title>
<style nonce="${e(p.nonce)}">
${PAGE_CSS}
${standaloneGraphCss('light')}
@media (prefers-color-scheme: dark) {
${PAGE_CSS_DARK}
${standaloneGraphCss('dark')}
}
</style>
</head>
<body>
<header>
<h1>${e(title)}</h1>
<p class="facts">${e(facts.join(' · '))}</p>
<p class="summary">${e(model.summary)}</p>
</header>
${model.warnings.length ? `<section><h2>Warnings (${model.warnings.length})</h2><ul>${model.warnings.map((w) => `<li>${e(w.message)}</li>`).join('')}</ul></section>` : ''}
<details><summary>Statement</summary><pre>${e(p.executedSql ?? p.sql)}</pre></details>
<section>
<h2>Graph</h2>
<label>Colour by <select id="metric">${metrics.map((m) => `<option value="${m.id}"${m.id === first ? ' selected' : ''}>${e(m.label)}</option>`).join('')}</select></label>
<div class="graph">${svg}</div>
</section>
<section>
<h2>Grid</h2>
${grid}
</section>
<script type="application/json" id="plan-json">${json(p.plan)}</script>
<script type="application/json" id="metric-data">${json(switchData)}</script>
<script nonce="${e(p.nonce)}">
${PAGE_SCRIPT}
</script>
</body>
</html>
`;
}

const PAGE_CSS = `
body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;font-size:14px;margin:16px 24px;color:#1f2328;background:#fff}
h1{font-size:18px;margin:0 0 4px}h2{font-size:12px;text-transform:uppercase;letter-spacing:.05em;color:#59636e;margin:20px 0 6px}
.facts{color:#59636e;margin:0}.summary{font-weight:600}
pre{background:#f6f8fa;padding:8px;white-space:pre-wrap}
.graph{overflow:auto;border:1px solid #d1d9e0;border-radius:4px;max-height:80vh;margin-top:6px}
table.grid{border-collapse:collapse;font-variant-numeric:tabular-nums}
.grid th,.grid td{padding:3px 8px;border-bottom:1px solid #d1d9e0;text-align:left}
.grid .num{text-align:right}.grid th button{all:unset;cursor:pointer;font-weight:600}
.grid tr.costliest td:first-child{box-shadow:inset 3px 0 0 #cf222e}
select{font:inherit}
${Array.from({ length: 13 }, (_, d) => `.grid td.d${d}{padding-left:${8 + d * 12}px}`).join('')}
`;

const PAGE_CSS_DARK = `
body{color:#e6e6e6;background:#1f1f1f}h2,.facts{color:#a0a0a0}pre{background:#2b2b2b}
.graph,.grid th,.grid td{border-color:#454545}select{background:#2b2b2b;color:#e6e6e6}
`;

/** Metric switch (swap heat class and caption per node) and grid sorting; no plan logic. */
const PAGE_SCRIPT = `
(function () {
  var data = JSON.parse(document.getElementById('metric-data').textContent);
  var nodes = document.querySelectorAll('svg g.node');
  document.getElementById('metric').addEventListener('change', function (ev) {
    var d = data[ev.target.value];
    nodes.forEach(function (g) {
      var v = d[Number(g.getAttribute('data-id'))];
      g.setAttribute('class', g.getAttribute('class').replace(/\\bheat-\\d\\b/, 'heat-' + v[0]));
      var t = g.querySelector('.metric-text');
      if (t) t.textContent = v[1];
    });
  });
  var table = document.getElementById('grid');
  var body = table.tBodies[0];
  var dir = {};
  table.querySelectorAll('th').forEach(function (th) {
    th.addEventListener('click', function () {
      var c = Number(th.getAttribute('data-col'));
      var desc = dir[c] = !dir[c];
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = a.cells[c].getAttribute('data-k'), y = b.cells[c].getAttribute('data-k');
        if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
        var nx = Number(x), ny = Number(y);
        var r = isNaN(nx) || isNaN(ny) ? x.localeCompare(y) : nx - ny;
        return desc ? -r : r;
      });
      rows.forEach(function (r) { body.appendChild(r); });
      table.querySelectorAll('th').forEach(function (h) { h.removeAttribute('aria-sort'); });
      th.setAttribute('aria-sort', desc ? 'descending' : 'ascending');
    });
  });
})();
`;
