import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { buildPlanModel, type PlanModel } from '../../src/core/plan/model';
import { parseLabel, parsePlanInput } from '../../src/core/plan/parseText';
import { renderPlanText } from '../../src/core/plan/text';

// Captured plans: the .txt files are PostgreSQL's own text output of the same plans as the .json.
const DIR = path.join(__dirname, '..', 'fixtures', 'plans');
const read = (f: string) => fs.readFileSync(path.join(DIR, f), 'utf8');
const fromJson = (name: string): PlanModel => buildPlanModel(JSON.parse(read(`${name}.json`)));
const fromText = (text: string): PlanModel => buildPlanModel(parsePlanInput(text).plan);

/** The facts both formats carry, per node, for comparing a text-parsed plan with the JSON one. */
function shape(m: PlanModel) {
  return m.nodes.map((n) => ({
    depth: n.depth,
    nodeType: n.nodeType,
    label: n.label,
    relation: n.relation,
    alias: n.alias,
    index: n.index,
    joinType: n.joinType,
    parent: n.parentRelationship,
    subplan: n.subplanName,
    cost: [n.startupCost, n.totalCost, n.planRows, n.planWidth],
    actual: [n.actualStartupTime, n.actualTotalTime, n.actualRows, n.actualLoops],
    conds: [n.filter, n.indexCond, n.recheckCond, n.hashCond, n.joinFilter, n.sortKey?.join('|'), n.groupKey?.join('|')],
    removed: n.rowsRemovedByFilter,
    sort: [n.sortMethod, n.sortSpaceType, n.sortSpaceUsed],
    buffers: n.buffers && [n.buffers.sharedHit, n.buffers.sharedRead, n.buffers.tempRead, n.buffers.tempWritten],
    exclusiveCost: Math.round(n.exclusiveCost * 100),
  }));
}

describe('opening a plan from text', () => {
  for (const name of ['02-index-scan', '05-nested-loop', '07-hash-aggregate', '08-initplan-subplan', '11-seq-scan-filter', '12-limit-nested-loop', '14-exists-semi-join']) {
    it(`reads PostgreSQL's captured text of ${name} into the same model as its JSON`, () => {
      const text = fromText(read(`${name}.txt`));
      const json = fromJson(name);
      // The text format has no buffers/actuals for these plain EXPLAINs; compare what it has.
      assert.deepEqual(shape(text), shape(json));
      assert.equal(text.costliestId, json.costliestId);
      assert.deepEqual(text.warnings.map((w) => w.kind), json.warnings.map((w) => w.kind));
    });
  }

  for (const name of ['01-seq-scan-filter-analyze', '03-index-only-scan-analyze', '04-hash-join-analyze', '06-sort-spill-analyze', '10-row-estimate-miss-analyze']) {
    it(`round-trips the EXPLAIN ANALYZE text of ${name} (actual times, rows, loops, sort, buffers)`, () => {
      const json = fromJson(name);
      const text = fromText(renderPlanText(json));
      assert.deepEqual(shape(text), shape(json));
      assert.equal(text.analyzed, true);
      assert.equal(text.executionTime, json.executionTime);
      assert.equal(text.slowestId, json.slowestId);
      assert.deepEqual(text.warnings.map((w) => w.message), json.warnings.map((w) => w.message));
    });
  }

  it('accepts psql output as pasted: header, + continuations, (N rows) footer, JIT and triggers', () => {
    const pasted = [
      '                                   QUERY PLAN',
      '--------------------------------------------------------------------------------',
      ' Hash Left Join  (cost=10.50..52.10 rows=120 width=40) (actual time=0.110..0.410 rows=118 loops=1)',
      '   Hash Cond: (o.user_id = u.id)',
      '   Buffers: shared hit=12 read=3',
      '   ->  Parallel Seq Scan on public.orders o  (cost=0.00..40.00 rows=120 width=12) (actual time=0.010..0.200 rows=118 loops=1)',
      "         Filter: ((status = ANY ('{paid,sent}'::text[])) AND (total > 10))",
      '         Rows Removed by Filter: 882',
      '   ->  Hash  (cost=8.00..8.00 rows=200 width=36) (actual time=0.090..0.090 rows=200 loops=1)',
      '         Buckets: 1024  Batches: 2  Memory Usage: 21kB',
      '         ->  Index Scan Backward using users_pkey on users u  (cost=0.15..8.00 rows=200 width=36) (never executed)',
      ' Planning Time: 0.321 ms',
      ' JIT:',
      '   Functions: 4',
      '   Timing: Generation 0.5 ms, Inlining 0.0 ms, Optimization 1.2 ms, Emission 3.3 ms, Total 5.0 ms',
      ' Trigger orders_audit: time=1.250 calls=3',
      ' Execution Time: 0.900 ms',
      '(16 rows)',
    ].join('\n');
    const m = fromText(pasted);
    assert.deepEqual(m.nodes.map((n) => n.label), [
      'Hash Left Join',
      'Parallel Seq Scan on orders o',
      'Hash',
      'Index Scan Backward using users_pkey on users u',
    ]);
    const [join, scan, hash, idx] = m.nodes;
    assert.equal(join.joinType, 'Left');
    assert.deepEqual(join.buffers && [join.buffers.sharedHit, join.buffers.sharedRead], [12, 3]);
    assert.equal(scan.schema, 'public');
    assert.equal(scan.filter, "((status = ANY ('{paid,sent}'::text[])) AND (total > 10))");
    assert.equal(scan.rowsRemovedByFilter, 882);
    assert.equal(scan.parentRelationship, 'Outer');
    assert.equal(hash.parentRelationship, 'Inner');
    assert.equal(hash.hashBatches, 2);
    assert.equal(idx.actualLoops, 0);
    assert.equal(m.planningTime, 0.321);
    assert.equal(m.executionTime, 0.9);
    assert.deepEqual(m.jit, { functions: 4, totalTime: 5 });
    assert.deepEqual(m.triggers, [{ name: 'orders_audit', relation: undefined, time: 1.25, calls: 3 }]);
    assert.ok(m.warnings.some((w) => w.kind === 'hash-spill'));
  });

  it('reads psql-framed FORMAT JSON output and plain JSON', () => {
    const json = read('02-index-scan.json');
    const framed = ['      QUERY PLAN', '----------------------', ...json.trim().split('\n').map((l) => ` ${l} +`), '(1 row)'].join('\n');
    assert.equal(parsePlanInput(framed).format, 'json');
    assert.equal(buildPlanModel(parsePlanInput(framed).plan).root.label, 'Index Scan using users_pkey on users');
    assert.equal(parsePlanInput(json).format, 'json');
  });

  it('splits sort keys at top-level commas only', () => {
    const m = fromText(["Sort  (cost=1.00..2.00 rows=10 width=8)", "  Sort Key: (COALESCE(a, b)), c DESC", '  ->  Seq Scan on t  (cost=0.00..1.00 rows=10 width=8)'].join('\n'));
    assert.deepEqual(m.root.sortKey, ['(COALESCE(a, b))', 'c DESC']);
  });

  it('names node kinds as PostgreSQL does', () => {
    assert.deepEqual(parseLabel('GroupAggregate'), { 'Node Type': 'Aggregate', Strategy: 'Sorted' });
    assert.deepEqual(parseLabel('Finalize HashAggregate'), { 'Node Type': 'Aggregate', Strategy: 'Hashed', 'Partial Mode': 'Finalize' });
    assert.deepEqual(parseLabel('Nested Loop Anti Join'), { 'Node Type': 'Nested Loop', 'Join Type': 'Anti' });
    assert.deepEqual(parseLabel('Hash Right Semi Join'), { 'Node Type': 'Hash Join', 'Join Type': 'Right Semi' });
    assert.deepEqual(parseLabel('Update on users'), { 'Node Type': 'ModifyTable', Operation: 'Update', 'Relation Name': 'users', Alias: 'users' });
    assert.deepEqual(parseLabel('CTE Scan on recent r'), { 'Node Type': 'CTE Scan', 'CTE Name': 'recent', Alias: 'r' });
    assert.deepEqual(parseLabel('Gather Merge'), { 'Node Type': 'Gather Merge' });
  });

  it('rejects what is not a plan with a clear message', () => {
    assert.throws(() => parsePlanInput(''), /empty/);
    assert.throws(() => parsePlanInput('{"Plan": '), /looks like JSON but does not parse/);
    assert.throws(() => parsePlanInput('[{"rows": 1}]'), /no "Plan" node/);
    assert.throws(() => parsePlanInput('Seq Scan on t  (cost=0.00..1.00 rows=1 width=4)\nhello there'), /line 2: expected a plan node|not a plan/);
  });
});
