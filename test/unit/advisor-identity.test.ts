/**
 * Query identity in workspace mode: statements with the same PostgreSQL fingerprint (same shape,
 * different constants) are one query whose occurrences are all kept.
 */
import { strict as assert } from 'assert';
import { workspaceReportMarkdown } from '../../src/core/advisor/report';
import type { WorkspaceAdvice } from '../../src/core/advisor/types';
import { distinctQueries } from '../../src/core/advisor/workspace';
import { buildCatalog } from '../../src/core/schema/catalog';

const catalog = buildCatalog([{ file: 's.sql', text: 'CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint, status text, total numeric);' }]);

describe('advisor: query identity', () => {
  it('treats statements with the same fingerprint as one query and keeps every occurrence', () => {
    const skipped: WorkspaceAdvice['skipped'] = [];
    const records = distinctQueries(
      [
        { sql: "SELECT id FROM orders WHERE status = 'PAID' AND user_id = 1", file: 'a.ts', offset: 10 },
        { sql: "select id\n  from orders where status = 'SHIPPED' and user_id = $1", file: 'b.ts', offset: 20 },
        { sql: 'SELECT id FROM orders WHERE status = $1 AND user_id = 7', file: 'c.sql', offset: 0 },
        { sql: 'SELECT id FROM orders WHERE total > 100', file: 'c.sql', offset: 60 },
      ],
      catalog,
      'postgresql',
      skipped,
    );
    assert.deepEqual(skipped, []);
    assert.deepEqual(records.map((r) => r.sources.length), [3, 1]);
    assert.deepEqual(records[0].sources.map((s) => s.file), ['a.ts', 'b.ts', 'c.sql']);
  });

  it('keeps MySQL statements apart unless their text is the same', () => {
    const records = distinctQueries(
      [
        { sql: "SELECT id FROM orders WHERE status = 'PAID'", file: 'a.ts', offset: 0 },
        { sql: "SELECT id FROM orders WHERE status = 'SHIPPED'", file: 'a.ts', offset: 50 },
        { sql: "SELECT  id FROM orders WHERE status = 'PAID'", file: 'b.ts', offset: 0 },
      ],
      catalog,
      'mysql',
      [],
    );
    assert.deepEqual(records.map((r) => r.sources.length), [2, 1]);
  });

  it('shows repeated queries with their count in the report', () => {
    const md = workspaceReportMarkdown({
      suggestions: [],
      queriesAnalyzed: 2,
      skipped: [],
      notes: [],
      queryOccurrences: [{ sql: 'SELECT id FROM orders WHERE status = $1', occurrences: 3 }, { sql: 'SELECT 1', occurrences: 1 }],
    });
    assert.match(md, /4 statements are 2 distinct queries/);
    assert.match(md, /`SELECT id FROM orders WHERE status = \$1` ×3/);
  });
});
