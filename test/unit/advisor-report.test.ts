/** Renderings of index advice: the workspace Markdown report, migration SQL and CLI text. */
import { strict as assert } from 'assert';
import { suggestionsText, workspaceReportMarkdown } from '../../src/core/advisor';
import { costChange, migrationSql } from '../../src/core/advisor/report';
import type { WorkspaceAdvice, WorkspaceSuggestion } from '../../src/core/advisor/types';

const suggestion: WorkspaceSuggestion = {
  table: 'orders',
  kind: 'composite',
  name: 'orders_user_id_created_at_idx',
  ddl: 'CREATE INDEX orders_user_id_created_at_idx ON orders (user_id, created_at)',
  costBefore: 3558.04,
  costAfter: 16.62,
  queries: ['SELECT * FROM orders WHERE user_id = $1', 'SELECT * FROM `orders`\n  WHERE user_id = ? ORDER BY created_at'],
  sources: [
    { file: 'a.sql', offset: 0, query: 0 },
    { file: 'src/repo.ts', offset: 10, query: 1 },
    { file: 'src/other.ts', offset: 99, query: 1 },
  ],
  planBefore: 'Sort → Seq Scan on orders',
  planAfter: 'Index Scan using orders_user_id_created_at_idx on orders',
  redundant: ['orders_user_id_idx'],
  reason: 'Equality on user_id first; then the sort keys.',
  used: true,
  writeCost: 'Write cost: every INSERT and DELETE on orders also updates this index. orders would have 2 indexes.',
};

const advice: WorkspaceAdvice = {
  suggestions: [suggestion],
  queriesAnalyzed: 3,
  skipped: [{ file: 'bad.sql', offset: 7, reason: 'could not parse the statement: unexpected "|"' }],
  notes: ['MySQL advice is verified on the PostgreSQL engine: costs and plans are an approximation.'],
};

describe('advisor: reports', () => {
  it('formats a cost change with its percentage', () => {
    assert.equal(costChange(3558.04, 16.62), '3,558.04 → 16.62 (−99.5%)');
    assert.equal(costChange(100, 50), '100 → 50 (−50%)');
    assert.equal(costChange(0, 0), '0 → 0 (−0%)');
  });

  it('writes a Markdown report with DDL, costs, plans, queries per file and skipped ones', () => {
    const md = workspaceReportMarkdown(advice, { generatedAt: new Date('2026-11-25T18:00:00Z') });
    assert.match(md, /^# Suggested indexes\n\n3 queries analysed on 2026-11-25 18:00 UTC; 1 index suggested\./);
    assert.match(md, /> MySQL advice is verified on the PostgreSQL engine/);
    assert.match(md, /## 1\. `orders_user_id_created_at_idx` on `orders` \(composite\)/);
    assert.match(md, /```sql\nCREATE INDEX orders_user_id_created_at_idx ON orders \(user_id, created_at\);\n```/);
    assert.match(md, /\*\*Estimated cost\*\* of the served queries: 3,558.04 → 16.62/);
    assert.match(md, /\*\*Makes redundant\*\*: `orders_user_id_idx`/);
    assert.match(md, /\*\*Write cost\*\*: every INSERT/);
    // A query holding backticks is wrapped in a longer fence, on one line, with all its files.
    assert.match(md, /  - `` SELECT \* FROM `orders` WHERE user_id = \? ORDER BY created_at `` — src\/repo\.ts, src\/other\.ts/);
    assert.match(md, /  - `SELECT \* FROM orders WHERE user_id = \$1` — a\.sql\n/);
    assert.match(md, /## Migration[\s\S]*-- makes redundant: orders_user_id_idx/);
    assert.match(md, /## Not analysed\n\n- bad\.sql \(offset 7\): could not parse/);
  });

  it('says so when there is nothing to suggest', () => {
    const md = workspaceReportMarkdown({ suggestions: [], queriesAnalyzed: 4, skipped: [], notes: [] });
    assert.match(md, /0 indexes suggested/);
    assert.match(md, /No index would lower the plan cost/);
    assert.doesNotMatch(md, /## Migration/);
  });

  it('migration SQL terminates every statement and comments each', () => {
    const sql = migrationSql([suggestion, { ...suggestion, ddl: 'CREATE INDEX b ON t (x)', table: 't', queries: ['q'], redundant: undefined }]);
    const statements = sql.split('\n').filter((l) => l && !l.startsWith('--'));
    // PostgreSQL tables take writes while the index builds: the migration builds CONCURRENTLY.
    assert.deepEqual(statements, ['CREATE INDEX CONCURRENTLY orders_user_id_created_at_idx ON orders (user_id, created_at);', 'CREATE INDEX CONCURRENTLY b ON t (x);']);
    assert.match(sql, /^-- composite on orders: cost 3,558.04 → 16.62 \(−99\.5%\), serves 2 queries$/m);
    assert.match(sql, /run outside a transaction/);
    const mysql = migrationSql([{ ...suggestion, ddl: 'CREATE INDEX b ON t (x)' }], undefined, 'mysql');
    assert.deepEqual(mysql.split('\n').filter((l) => l && !l.startsWith('--')), ['CREATE INDEX b ON t (x);']);
  });

  it('CLI text lists each index with cost, plan, reason and files', () => {
    const text = suggestionsText([suggestion]);
    assert.match(text, /^CREATE INDEX orders_user_id_created_at_idx ON orders \(user_id, created_at\);\n  composite on orders — cost 3,558.04 → 16.62 \(−99\.5%\)\n/);
    assert.match(text, /  plan: Sort → Seq Scan on orders  →  Index Scan using/);
    assert.match(text, /  serves 2 queries in a\.sql, src\/repo\.ts, src\/other\.ts/);
    assert.match(suggestionsText([]), /^No index suggestions/);
    assert.match(suggestionsText([{ ...suggestion, used: false, note: 'Not used by the planner, because x' }]), /NOT USED[\s\S]*note: Not used by the planner/);
  });
});
