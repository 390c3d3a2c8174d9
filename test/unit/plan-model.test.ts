import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { buildPlanModel, type PlanModel } from '../../src/core/plan/model';
import { renderPlanText } from '../../src/core/plan/text';

// Real plans captured from PGlite by test/fixtures/plans/capture.ts.
const DIR = path.join(__dirname, '..', 'fixtures', 'plans');
const load = (name: string): unknown => JSON.parse(fs.readFileSync(path.join(DIR, `${name}.json`), 'utf8'));
const model = (name: string, ctx = {}): PlanModel => buildPlanModel(load(name), ctx);
const kinds = (m: PlanModel) => m.warnings.map((w) => w.kind);

describe('plan model', () => {
  it('accepts the EXPLAIN array, its element, the bare Plan node and a JSON string', () => {
    const raw = load('02-index-scan') as Record<string, unknown>[];
    for (const input of [raw, raw[0], raw[0].Plan, JSON.stringify(raw), { 'QUERY PLAN': raw }]) {
      const m = buildPlanModel(input);
      assert.equal(m.root.nodeType, 'Index Scan');
      assert.equal(m.root.index, 'users_pkey');
      assert.equal(m.root.label, 'Index Scan using users_pkey on users');
    }
  });

  it('rejects input that is not a plan with a clear message', () => {
    assert.throws(() => buildPlanModel('not json'), /not valid JSON/);
    assert.throws(() => buildPlanModel({ rows: [] }), /no "Plan" node/);
    assert.throws(() => buildPlanModel({ Plan: { Plans: [] } }), /no "Node Type"/);
  });

  it('types the fields and derives exclusive costs that add up to the total', () => {
    const m = model('04-hash-join-analyze');
    assert.equal(m.analyzed, true);
    assert.equal(m.root.nodeType, 'Hash Join');
    assert.equal(m.root.hashCond, '(o.user_id = u.id)');
    assert.ok(m.executionTime! > 0 && m.planningTime! >= 0);
    const sum = m.nodes.reduce((s, n) => s + n.exclusiveCost, 0);
    assert.ok(Math.abs(sum - m.totalCost) < 0.02, `exclusive costs ${sum} vs total ${m.totalCost}`);
    for (const n of m.nodes) {
      assert.equal(m.nodes[n.id], n);
      assert.ok(n.exclusiveTime !== undefined && n.exclusiveTime >= 0);
      assert.ok(n.buffers, 'BUFFERS were requested');
    }
  });

  it('finds the costliest node by exclusive cost and marks the path to it', () => {
    const m = model('04-hash-join-analyze');
    const hot = m.nodes[m.costliestId];
    assert.equal(hot.label, 'Seq Scan on orders o');
    assert.ok(m.nodes.every((n) => n.exclusiveCost <= hot.exclusiveCost));
    assert.equal(m.root.onCostliestPath, true);
    const hash = m.nodes.find((n) => n.nodeType === 'Hash')!;
    assert.equal(hash.onCostliestPath, false);
    assert.match(m.summary, /^\d+% of the estimated cost is in Seq Scan on orders o\.$/);
  });

  const sumOwn = (m: PlanModel) => m.nodes.reduce((s, n) => s + n.exclusiveCost, 0);

  for (const name of ['12-limit-nested-loop', '13-limit-nested-loop-analyze']) {
    it(`charges a Nested Loop under a Limit only the part the Limit consumes (${name})`, () => {
      const m = model(name);
      const [limit, loop, outer, memo, inner] = m.nodes;
      assert.deepEqual([limit.nodeType, loop.nodeType, memo.nodeType], ['Limit', 'Nested Loop', 'Memoize']);
      // PostgreSQL costs the loop to completion, far above the Limit that stops it after 20 rows.
      assert.ok(loop.totalCost > 1000 * limit.totalCost);
      assert.ok(Math.abs(sumOwn(m) - m.totalCost) < 1e-6, `own costs ${sumOwn(m)} vs total ${m.totalCost}`);
      for (const n of m.nodes) assert.ok(n.exclusiveCost >= 0 && n.exclusiveCost <= m.totalCost, `${n.label}: ${n.exclusiveCost}`);
      // The outer scan is read for ~20 of its 100,000 rows: startup plus a sliver of its run cost.
      assert.ok(outer.exclusiveCost >= outer.startupCost && outer.exclusiveCost < outer.startupCost + 1, `outer ${outer.exclusiveCost}`);
      assert.ok(inner.exclusiveCost > loop.exclusiveCost);
      const share = Number(/^(\d+)%/.exec(m.summary)?.[1]);
      assert.ok(share > 0 && share <= 100, m.summary);
      assert.doesNotMatch(m.summary, /Nested Loop/);
    });
  }

  it('under a Limit, reads a Hash in full but the probe side only as far as the Limit needs (EXISTS)', () => {
    const m = model('14-exists-semi-join');
    const join = m.nodes.find((n) => n.nodeType === 'Hash Join')!;
    assert.equal(join.joinType, 'Right Semi');
    const probe = join.children[0];
    const hashed = m.nodes.find((n) => n.nodeType === 'Hash')!.children[0];
    assert.ok(Math.abs(sumOwn(m) - m.totalCost) < 1e-6);
    assert.equal(hashed.exclusiveCost, hashed.totalCost, 'the hash table is built before the first row comes out');
    assert.ok(probe.exclusiveCost > 0 && probe.exclusiveCost < probe.totalCost / 10, `probe ${probe.exclusiveCost}`);
    assert.ok(join.exclusiveCost < m.totalCost);
  });

  it('charges an InitPlan once and a SubPlan once per row, inside their parent’s total', () => {
    const m = model('08-initplan-subplan');
    assert.ok(Math.abs(sumOwn(m) - m.totalCost) < 1e-3 * m.totalCost);
    const init = m.nodes.find((n) => n.subplanName === 'InitPlan 2')!;
    const sub = m.nodes.find((n) => n.subplanName === 'SubPlan 1')!;
    const subScan = sub.children[0];
    // The SubPlan's scan runs once per row of the heap scan (6,667 estimated).
    assert.ok(Math.abs(subScan.exclusiveCost - subScan.totalCost * m.root.planRows) < 1);
    assert.ok(init.exclusiveCost + init.children[0].exclusiveCost <= init.totalCost + 1e-9);
    assert.ok(m.root.exclusiveCost > 0 && m.root.exclusiveCost < 1000, `root ${m.root.exclusiveCost}`);
  });

  it('warns when a Seq Scan filters most rows away (executed plan)', () => {
    const m = model('01-seq-scan-filter-analyze');
    const w = m.warnings.find((x) => x.kind === 'seq-scan-filter');
    assert.ok(w);
    assert.match(w.message, /Seq Scan on users reads 20,000 rows to return 1\b/);
    assert.equal(w.nodeId, 0);
    assert.deepEqual(m.root.warnings.includes(w.message), true);
  });

  it('warns about a filtering Seq Scan in an estimated plan only when table sizes are known', () => {
    assert.deepEqual(kinds(model('11-seq-scan-filter')), []);
    const m = model('11-seq-scan-filter', { relationRows: { orders: 100000 } });
    assert.deepEqual(kinds(m), ['seq-scan-filter']);
    assert.match(m.warnings[0].message, /reads all ~100,000 rows to return an estimated \d+/);
  });

  it('flags row-estimate misses of 10x or more, in either direction', () => {
    const m = model('10-row-estimate-miss-analyze');
    const w = m.warnings.find((x) => x.kind === 'row-estimate');
    assert.ok(w);
    assert.match(w.message, /expected 1 row but got 100 \(under-estimated 100×\)/);
    assert.equal(m.root.estimateFactor, 100);
    assert.ok(!kinds(model('04-hash-join-analyze')).includes('row-estimate'));
  });

  it('flags a sort that spilled to disk', () => {
    const m = model('06-sort-spill-analyze');
    const sort = m.nodes.find((n) => n.nodeType === 'Sort')!;
    assert.equal(sort.sortSpaceType, 'Disk');
    assert.ok(kinds(m).includes('sort-spill'));
    assert.match(m.warnings.find((w) => w.kind === 'sort-spill')!.message, /total DESC, created_at/);
  });

  it('reads Index Only Scans, aggregates and sub-plans', () => {
    assert.equal(model('03-index-only-scan-analyze').root.nodeType, 'Index Only Scan');
    assert.equal(model('07-hash-aggregate').root.label, 'HashAggregate');
    const m = model('08-initplan-subplan');
    assert.deepEqual(m.nodes.filter((n) => n.subplanName).map((n) => n.subplanName), ['InitPlan 2', 'SubPlan 1']);
    assert.ok(m.nodes.every((n) => n.exclusiveCost >= 0));
  });

  it('labels a ModifyTable node by its operation and finds nothing to warn about in a small UPDATE', () => {
    const m = model('09-update-analyze');
    assert.equal(m.root.label, 'Update on users');
    assert.deepEqual(kinds(m), []);
  });
});

describe('plan text rendering', () => {
  // PostgreSQL's own text output was captured next to each estimated plan.
  for (const name of ['02-index-scan', '05-nested-loop', '07-hash-aggregate', '08-initplan-subplan', '11-seq-scan-filter']) {
    it(`matches PostgreSQL's text format for ${name}`, () => {
      const expected = fs.readFileSync(path.join(DIR, `${name}.txt`), 'utf8').trimEnd();
      assert.equal(renderPlanText(model(name)), expected);
    });
  }

  it('adds actual figures, removed rows and timing footers for executed plans', () => {
    const text = renderPlanText(model('01-seq-scan-filter-analyze'));
    assert.match(text, /^Seq Scan on users {2}\(cost=0\.00\.\.\d+\.\d\d rows=\d+ width=\d+\) \(actual time=[\d.]+\.\.[\d.]+ rows=1 loops=1\)$/m);
    assert.match(text, /^ {2}Rows Removed by Filter: 19999$/m);
    assert.match(text, /^Planning Time: [\d.]+ ms\nExecution Time: [\d.]+ ms$/m);
  });
});

describe('plan model under a LIMIT', () => {
  it('does not call an early-stopped node under a Limit an estimate miss', () => {
    const plan = {
      Plan: {
        'Node Type': 'Limit', 'Startup Cost': 10, 'Total Cost': 11, 'Plan Rows': 20, 'Plan Width': 8, 'Actual Startup Time': 1, 'Actual Total Time': 1, 'Actual Rows': 20, 'Actual Loops': 1,
        Plans: [{ 'Node Type': 'Sort', 'Startup Cost': 10, 'Total Cost': 12, 'Plan Rows': 5000, 'Plan Width': 8, 'Actual Startup Time': 1, 'Actual Total Time': 1, 'Actual Rows': 20, 'Actual Loops': 1, 'Sort Key': ['x'] }],
      },
    };
    assert.deepEqual(buildPlanModel(plan).warnings, []);
    const unlimited = { Plan: { ...plan.Plan.Plans[0] } };
    assert.deepEqual(buildPlanModel(unlimited).warnings.map((w) => w.kind), ['row-estimate']);
  });
});
