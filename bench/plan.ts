/**
 * Plan viewer benchmark: a synthetic analysed plan of 2,000+ nodes (hash joins and nested
 * loops over scans, 40 levels deep) — building the model, laying it out and building its SVG
 * (what the graph view and the CLI's HTML page do), re-colouring for another metric (what a
 * metric switch does), diffing it against itself, and parsing its psql text form; then the
 * same plan in the built webview in headless Chromium (bench/planBrowser.ts): first paint and
 * a metric switch as the user sees them.
 */
import { diffPlans } from '../src/core/plan/diff';
import { layoutPlan } from '../src/core/plan/layout';
import { metricScale } from '../src/core/plan/metrics';
import { buildPlanModel } from '../src/core/plan/model';
import { parsePlanInput } from '../src/core/plan/parseText';
import { graphScene, metricCaption, svgMarkup } from '../src/core/plan/scene';
import { renderPlanText } from '../src/core/plan/text';
import { measurePlanInBrowser, planViewOf } from './planBrowser';
import { median, round, timeMs, type BenchRow } from './types';

const RUNS = 7;

/** An EXPLAIN ANALYZE JSON plan with about `size` nodes. */
export function syntheticPlan(size: number): unknown {
  let id = 0;
  const make = (depth: number): Record<string, unknown> => {
    id++;
    const leaf = id >= size || depth > 40;
    const rows = 10 + ((id * 7919) % 50_000);
    const n: Record<string, unknown> = {
      'Node Type': leaf ? 'Seq Scan' : id % 3 ? 'Hash Join' : 'Nested Loop',
      'Join Type': 'Inner',
      'Startup Cost': 0,
      'Total Cost': 1000 + id,
      'Plan Rows': rows,
      'Plan Width': 16,
      'Actual Startup Time': 0.01,
      'Actual Total Time': 0.01 + ((id * 104729) % 1000) / 100,
      'Actual Rows': rows * (1 + (id % 5)),
      'Actual Loops': 1 + (id % 3),
      'Shared Hit Blocks': id * 3,
    };
    if (leaf) {
      n['Relation Name'] = `t${id % 50}`;
      n['Alias'] = `t${id}`;
      n['Filter'] = `(c${id % 7} > ${id})`;
      n['Rows Removed by Filter'] = id * 11;
    } else n['Plans'] = [make(depth + 1), make(depth + 1)];
    return n;
  };
  return [{ Plan: make(0), 'Planning Time': 1.2, 'Execution Time': 900 }];
}

export async function run(): Promise<BenchRow[]> {
  const json = syntheticPlan(2000);
  const model = buildPlanModel(json);
  const n = model.nodes.length;
  const rows: BenchRow[] = [];
  rows.push({ name: `plan model, ${n} nodes`, value: round(median(Array.from({ length: RUNS }, () => timeMs(() => buildPlanModel(json))))), unit: 'ms' });
  let size = 0;
  const render = median(
    Array.from({ length: RUNS }, () =>
      timeMs(() => {
        const layout = layoutPlan(model.root, n);
        size = svgMarkup(graphScene(model, layout, metricScale(model.nodes, 'exclusiveTime'))).length;
      }),
    ),
  );
  rows.push({ name: `graph render (layout + SVG), ${n} nodes`, value: round(render), unit: 'ms', target: '< 1000 ms', ok: render < 1000 });
  rows.push({ name: `graph SVG size, ${n} nodes`, value: Math.round(size / 1024), unit: 'KB' });
  const metrics = ['rows', 'exclusiveCost', 'misestimate', 'buffers', 'loops', 'exclusiveTime'] as const;
  let i = 0;
  const recolour = median(
    Array.from({ length: RUNS * 2 }, () =>
      timeMs(() => {
        const scale = metricScale(model.nodes, metrics[i++ % metrics.length]);
        for (const node of model.nodes) metricCaption(node, scale, model);
      }),
    ),
  );
  rows.push({ name: `metric switch (heat + captions), ${n} nodes`, value: round(recolour), unit: 'ms', target: '< 50 ms', ok: recolour < 50 });
  rows.push({ name: `plan diff, ${n} vs ${n} nodes`, value: round(median(Array.from({ length: 3 }, () => timeMs(() => diffPlans(model, model))))), unit: 'ms' });
  const text = renderPlanText(model);
  rows.push({ name: `psql text plan parse, ${n} nodes`, value: round(median(Array.from({ length: 3 }, () => timeMs(() => buildPlanModel(parsePlanInput(text).plan))))), unit: 'ms' });
  const web = await measurePlanInBrowser(planViewOf(json, 'synthetic 2,000-node plan'));
  rows.push({ name: `webview first paint in Chromium, ${web.nodes} nodes (${web.drawn} drawn in view)`, value: round(web.firstPaintMs), unit: 'ms', target: '< 1000 ms', ok: web.firstPaintMs < 1000 });
  rows.push({ name: `webview metric switch in Chromium, ${web.nodes} nodes`, value: round(web.recolourMs), unit: 'ms', target: '< 50 ms', ok: web.recolourMs < 50 });
  rows.push({ name: `webview metric switch to next frame, ${web.nodes} nodes`, value: round(web.recolourPaintMs), unit: 'ms' });
  return rows;
}
