import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { diffPlans, family } from '../../src/core/plan/diff';
import { edgeWidth, layoutPlan, MAX_EDGE_WIDTH } from '../../src/core/plan/layout';
import { availableMetrics, HEAT_LEVELS, metricScale, misestimate } from '../../src/core/plan/metrics';
import { buildPlanModel, type PlanModel } from '../../src/core/plan/model';
import { graphNodeScene, icicleScene, type SvgEl } from '../../src/core/plan/scene';
import { nodeRows, planStats, queryRows } from '../../src/core/plan/stats';

const DIR = path.join(__dirname, '..', 'fixtures', 'plans');
const model = (name: string): PlanModel => buildPlanModel(JSON.parse(fs.readFileSync(path.join(DIR, `${name}.json`), 'utf8')));

/** A plan node in EXPLAIN JSON's shape. */
function node(type: string, cost: number, rows: number, extra: Record<string, unknown> = {}, plans: unknown[] = []): Record<string, unknown> {
  return { 'Node Type': type, 'Startup Cost': 0, 'Total Cost': cost, 'Plan Rows': rows, 'Plan Width': 8, ...extra, ...(plans.length ? { Plans: plans } : {}) };
}

// The shop's top-orders query before and after a covering index on orders(status, total) INCLUDE (user_id):
// the Seq Scan becomes an Index Only Scan, the Sort disappears, the Hash Join becomes a Nested Loop.
const BEFORE = buildPlanModel({
  Plan: node('Limit', 2600, 20, {}, [
    node('Sort', 2599, 2000, { 'Sort Key': ['o.total DESC'] }, [
      node('Hash Join', 2522, 2000, { 'Join Type': 'Inner', 'Hash Cond': '(o.user_id = u.id)' }, [
        node('Seq Scan', 1887, 2000, { 'Relation Name': 'orders', Alias: 'o', Filter: "(status = 'paid')", 'Parent Relationship': 'Outer' }),
        node('Hash', 380, 20000, { 'Parent Relationship': 'Inner' }, [node('Seq Scan', 380, 20000, { 'Relation Name': 'users', Alias: 'u', 'Parent Relationship': 'Outer' })]),
      ]),
    ]),
  ]),
});
const AFTER = buildPlanModel({
  Plan: node('Limit', 60, 20, {}, [
    node('Nested Loop', 3000, 2000, { 'Join Type': 'Inner' }, [
      node('Index Only Scan', 80, 2000, { 'Relation Name': 'orders', Alias: 'o', 'Index Name': 'orders_status_total_idx', 'Scan Direction': 'Backward', 'Parent Relationship': 'Outer' }),
      node('Index Scan', 1.2, 1, { 'Relation Name': 'users', Alias: 'u', 'Index Name': 'users_pkey', 'Parent Relationship': 'Inner' }),
    ]),
  ]),
});

describe('plan graph layout', () => {
  for (const direction of ['TB', 'LR'] as const) {
    it(`places every node without overlaps, parents centred over their children (${direction})`, () => {
      const m = model('08-initplan-subplan');
      const l = layoutPlan(m.root, m.nodes.length, { direction });
      assert.equal(l.boxes.filter(Boolean).length, m.nodes.length);
      for (const a of l.boxes) {
        assert.ok(a.x >= 0 && a.y >= 0 && a.x + a.w <= l.width && a.y + a.h <= l.height, `box ${a.id} inside the graph`);
        for (const b of l.boxes) {
          if (a.id >= b.id) continue;
          const overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
          assert.ok(!overlap, `boxes ${a.id} and ${b.id} overlap`);
        }
      }
      for (const n of m.nodes) {
        if (!n.children.length) continue;
        const p = l.boxes[n.id];
        const kids = n.children.map((c) => l.boxes[c.id]);
        if (direction === 'TB') {
          assert.ok(kids.every((k) => k.y > p.y), 'children below their parent');
          const mid = (kids[0].x + kids[kids.length - 1].x) / 2;
          assert.equal(p.x, mid);
        } else {
          assert.ok(kids.every((k) => k.x > p.x), 'children right of their parent');
        }
      }
      assert.equal(l.edges.length, m.nodes.length - 1);
    });
  }

  it('draws thicker edges where more rows flow', () => {
    const m = model('04-hash-join-analyze');
    const l = layoutPlan(m.root, m.nodes.length);
    const byChild = new Map(l.edges.map((e) => [e.child, e]));
    const scan = m.nodes.find((n) => n.relation === 'orders')!;
    const hash = m.nodes.find((n) => n.nodeType === 'Hash')!;
    assert.equal(byChild.get(scan.id)!.rows, 1991);
    assert.equal(byChild.get(hash.id)!.rows, hash.actualRows);
    assert.ok(byChild.get(hash.id)!.width > byChild.get(scan.id)!.width, 'the 20,000-row edge is thicker than the 1,991-row one');
    assert.equal(edgeWidth(0, 100), 1);
    assert.equal(edgeWidth(100, 100), MAX_EDGE_WIDTH);
  });

  it('lays out a 2,000-node deep plan without recursion limits', () => {
    let plan: Record<string, unknown> = node('Seq Scan', 1, 1, { 'Relation Name': 't0' });
    for (let i = 1; i < 2000; i++) plan = node('Nested Loop', i + 1, 1, {}, [plan, node('Seq Scan', 1, 1, { 'Relation Name': `t${i}` })].slice(0, i % 2 ? 2 : 1));
    const m = buildPlanModel({ Plan: plan });
    const l = layoutPlan(m.root, m.nodes.length);
    assert.equal(l.boxes.filter(Boolean).length, m.nodes.length);
    assert.ok(m.nodes.length > 2000);
  });
});

describe('plan metrics', () => {
  it('offers time, misfactor, loops and buffers only for executed plans that carry them', () => {
    const est = model('05-nested-loop');
    assert.deepEqual(availableMetrics(est.nodes, est.analyzed).map((m) => m.id), ['exclusiveCost', 'rows']);
    const run = model('04-hash-join-analyze');
    assert.deepEqual(availableMetrics(run.nodes, run.analyzed).map((m) => m.id), ['exclusiveCost', 'exclusiveTime', 'rows', 'misestimate', 'buffers', 'loops']);
  });

  it('puts the node with the largest value at the top heat level and nodes without a value at 0', () => {
    const m = model('04-hash-join-analyze');
    for (const id of ['exclusiveCost', 'exclusiveTime', 'rows', 'buffers'] as const) {
      const s = metricScale(m.nodes, id);
      const hottest = s.values.indexOf(s.max);
      assert.equal(s.heat[hottest], HEAT_LEVELS - 1, `${id}: hottest node`);
      assert.ok(s.heat.every((h) => h >= 0 && h < HEAT_LEVELS));
    }
    const cost = metricScale(m.nodes, 'exclusiveCost');
    assert.equal(cost.values.indexOf(cost.max), m.costliestId);
  });

  it('measures estimate misses in either direction and keeps small misses cold', () => {
    const m = model('10-row-estimate-miss-analyze');
    const s = metricScale(m.nodes, 'misestimate');
    const worst = m.nodes.reduce((a, b) => ((misestimate(b) ?? 0) > (misestimate(a) ?? 0) ? b : a));
    assert.ok(misestimate(worst)! >= 10);
    assert.equal(s.heat[worst.id], HEAT_LEVELS - 1);
    for (const n of m.nodes) if ((misestimate(n) ?? 1) < 2) assert.equal(s.heat[n.id], 0);
  });
});

describe('plan icicle', () => {
  it('gives the root the full width and each input its share of its parent', () => {
    const m = model('04-hash-join-analyze');
    const svg = icicleScene(m, 'exclusiveTime', 1000);
    const bars = new Map<number, { x: number; w: number }>();
    for (const g of svg.children as SvgEl[]) {
      const x = Number(/translate\(([\d.]+),/.exec(String(g.attrs.transform))![1]);
      const w = Number((g.children!.find((c) => c.tag === 'rect')!.attrs.width as number) + 1);
      bars.set(Number(g.attrs['data-id']), { x, w });
    }
    assert.equal(bars.size, m.nodes.length);
    assert.equal(bars.get(0)!.w, 1000);
    for (const n of m.nodes) {
      if (!n.children.length) continue;
      const sum = n.children.reduce((s, c) => s + bars.get(c.id)!.w, 0);
      const own = (n.exclusiveTime! / m.nodes.reduce((s, x) => s + x.exclusiveTime!, 0)) * 1000;
      assert.ok(Math.abs(bars.get(n.id)!.w - sum - own) < 1.5, `node ${n.id}: children and own time fill its bar`);
    }
  });
});

describe('plan stats and grid rows', () => {
  it('groups exclusive cost and time per table, index and node type; shares add up to 1', () => {
    const m = model('04-hash-join-analyze');
    const s = planStats(m, m.nodes);
    assert.deepEqual(s.byTable.map((g) => g.name).sort(), ['orders', 'users']);
    const types = Object.fromEntries(s.byNodeType.map((g) => [g.name, g.count]));
    assert.deepEqual(types, { 'Hash Join': 1, 'Seq Scan': 2, Hash: 1 });
    const share = s.byNodeType.reduce((a, g) => a + g.costShare, 0);
    assert.ok(Math.abs(share - 1) < 1e-9);
    const timeShare = s.byNodeType.reduce((a, g) => a + (g.timeShare ?? 0), 0);
    assert.ok(Math.abs(timeShare - 1) < 1e-9);
    assert.equal(s.executionTime, m.executionTime);
    assert.deepEqual(planStats(model('03-index-only-scan-analyze'), model('03-index-only-scan-analyze').nodes).byIndex.map((g) => g.count), [1]);
  });

  it('sorts grid rows by exclusive time, descending, and filters by relation or node type', () => {
    const m = model('04-hash-join-analyze');
    const rows = nodeRows(m.nodes);
    const sorted = queryRows(rows, { sortBy: 'exclusiveTime', descending: true });
    assert.equal(sorted[0].id, m.slowestId);
    for (let i = 1; i < sorted.length; i++) assert.ok(sorted[i - 1].exclusiveTime! >= sorted[i].exclusiveTime!);
    assert.deepEqual(queryRows(rows, { filter: 'ORDERS' }).map((r) => r.relation), ['orders']);
    assert.deepEqual(queryRows(rows, { filter: 'hash' }).map((r) => r.nodeType), ['Hash Join', 'Hash']);
    const scan = rows.find((r) => r.relation === 'orders')!;
    assert.equal(scan.rowsRemoved, 98009);
    assert.equal(scan.actualRows, 1991);
  });

  it('puts rows without the sort value last', () => {
    const rows = nodeRows(model('04-hash-join-analyze').nodes);
    const byRemoved = queryRows(rows, { sortBy: 'rowsRemoved', descending: true });
    assert.equal(byRemoved[0].rowsRemoved, 98009);
    assert.ok(byRemoved.slice(1).every((r) => r.rowsRemoved === undefined));
  });
});

describe('plan compare', () => {
  it('matches a covering index plan to the original: scans changed, sort and hash removed', () => {
    const d = diffPlans(BEFORE, AFTER);
    const label = (m: PlanModel, id: number | undefined) => (id === undefined ? undefined : m.nodes[id].label);
    const pairs = d.pairs.map((p) => [label(BEFORE, p.before), label(AFTER, p.after), p.change]);
    assert.deepEqual(pairs, [
      ['Limit', 'Limit', 'same'],
      ['Hash Join', 'Nested Loop', 'changed'],
      ['Seq Scan on orders o', 'Index Only Scan Backward using orders_status_total_idx on orders o', 'changed'],
      ['Seq Scan on users u', 'Index Scan using users_pkey on users u', 'changed'],
      ['Sort', undefined, 'removed'],
      ['Hash', undefined, 'removed'],
    ]);
    assert.deepEqual(d.counts, { same: 1, changed: 3, removed: 2, added: 0 });
    assert.equal(d.cost.delta, 60 - 2600);
    assert.match(d.summary, /^Cost 2,600 → 60 \(−98%\): 3 nodes changed, 2 removed, 0 added, 1 unchanged\.$/);
    const scanPair = d.pairs.find((p) => p.before === BEFORE.nodes.find((n) => n.relation === 'orders')!.id)!;
    // The Limit reads 60 / 3000 of the Nested Loop, so the index scan under it is charged that part.
    assert.ok(Math.abs(scanPair.costDelta! - (80 * (60 / 3000) - 1887)) < 1e-9, `${scanPair.costDelta}`);
    assert.equal(d.afterOf[scanPair.before!], scanPair.after);
  });

  it('finds nothing changed between a plan and itself, and everything when plans share nothing', () => {
    const m = model('08-initplan-subplan');
    const same = diffPlans(m, m);
    assert.deepEqual(same.counts, { same: m.nodes.length, changed: 0, removed: 0, added: 0 });
    const other = model('06-sort-spill-analyze');
    const d = diffPlans(model('02-index-scan'), other);
    assert.equal(d.counts.same + d.counts.changed, 0);
    assert.equal(d.counts.added, other.nodes.length);
  });

  it("charges a Nested Loop's inner side once per outer row it reads, not to the loop", () => {
    const loopJson = node('Nested Loop', 3000, 2000, { 'Join Type': 'Inner' }, [
      node('Index Only Scan', 80, 2000, { 'Relation Name': 'orders', 'Parent Relationship': 'Outer' }),
      node('Index Scan', 1.2, 1, { 'Relation Name': 'users', 'Parent Relationship': 'Inner' }),
    ]);
    const alone = buildPlanModel({ Plan: loopJson });
    assert.ok(Math.abs(alone.root.exclusiveCost - (3000 - 80 - 2000 * 1.2)) < 1e-9);
    assert.ok(Math.abs(alone.nodes[2].exclusiveCost - 2000 * 1.2) < 1e-9);
    // Under a Limit that needs 60 of its 3000: 2% of the outer rows, so 40 inner runs.
    const limited = buildPlanModel({ Plan: node('Limit', 60, 20, {}, [loopJson]) });
    const [, loop, outer, inner] = limited.nodes;
    assert.ok(Math.abs(outer.exclusiveCost - 80 * 0.02) < 1e-9);
    assert.ok(Math.abs(inner.exclusiveCost - 40 * 1.2) < 1e-9);
    assert.ok(Math.abs(loop.exclusiveCost - (60 - 1.6 - 48)) < 1e-9);
  });

  it('puts the change tag on the box edge, clear of the text lines, and draws bare boxes without text', () => {
    const d = diffPlans(BEFORE, AFTER);
    const loop = AFTER.nodes[1];
    const layout = layoutPlan(AFTER.root, AFTER.nodes.length, { nodeWidth: 190 });
    const scale = metricScale(AFTER.nodes, 'exclusiveCost');
    const g = graphNodeScene(loop, layout.boxes[loop.id], AFTER, scale, d.afterChange[loop.id]);
    const tag = g.children!.find((c) => c.attrs.class === 'change-tag')!;
    assert.equal(tag.children![1].text, 'changed');
    const [, ty] = /translate\(([-\d.]+),([-\d.]+)\)/.exec(String(tag.attrs.transform))!.slice(1).map(Number);
    const texts = g.children!.filter((c) => c.tag === 'text');
    assert.deepEqual(texts.map((t) => t.attrs.class), ['label', 'sub', 'metric-text']);
    // The tag (15 high) ends above the top of the first line's capitals (12px font: ~9 above the baseline).
    assert.ok(ty + 15 <= Number(texts[0].attrs.y) - 9, `tag at ${ty}`);
    const bare = graphNodeScene(loop, layout.boxes[loop.id], AFTER, scale, undefined, 'box');
    assert.deepEqual(bare.children!.map((c) => c.tag), ['rect']);
    assert.match(String(bare.attrs.class), /\bheat-\d\b/);
    assert.ok(String(bare.attrs['aria-label']).startsWith('Nested Loop'));
  });

  it('groups node types into families', () => {
    assert.equal(family('Index Only Scan'), family('Seq Scan'));
    assert.equal(family('Nested Loop'), family('Merge Join'));
    assert.notEqual(family('Sort'), family('Hash'));
  });
});
