/**
 * blocking-index-build (migrations, PostgreSQL): `CREATE INDEX`, `DROP INDEX` or `REINDEX`
 * without `CONCURRENTLY` on a table that already held data when the migration ran. A table
 * created earlier in the same migration is empty, so building on it blocks nothing.
 */
import { registerRuleMeta } from './index';
import type { Finding, Fix } from './types';
import type { MigrationRule } from '../migrations/rule';
import { existedBefore, openTransactionAt, tableOfIndex, type MigrationFile } from '../migrations/set';
import type { DdlFact } from '../migrations/statements';
import { tokenize } from '../sql/tokens';

/** The `CONCURRENTLY` fix: inserted after the keyword PostgreSQL expects it behind. */
function concurrentlyFix(file: MigrationFile, fact: DdlFact, after: string[]): Fix[] | undefined {
  // Embedded SQL would need its string literal rewritten; plain SQL files get the edit.
  if (file.tool === 'knex' || file.tool === 'typeorm' || file.tool === 'sequelize') return undefined;
  // Inside a transaction the CONCURRENTLY form fails outright: the statement has to move first.
  if (openTransactionAt(file, fact.start)) return undefined;
  const toks = tokenize(file.text.slice(fact.start, fact.end));
  const at = toks.findIndex((t) => t.kind === 'word' && after.includes(t.value));
  if (at < 0 || toks.slice(0, at).some((t) => t.text === '(')) return undefined;
  const end = fact.start + toks[at].end;
  return [{ title: 'Use CONCURRENTLY', edits: [{ start: end, end, newText: ' CONCURRENTLY' }] }];
}

/** What to say when the statement also sits in a transaction, where CONCURRENTLY is refused. */
function outsideTransactionNote(file: MigrationFile, fact: DdlFact): string {
  if (openTransactionAt(file, fact.start)) return ' — after the COMMIT: PostgreSQL refuses it inside BEGIN … COMMIT';
  if (file.transactional) return ` — and take this migration out of ${file.tool === 'knex' ? 'Knex' : 'TypeORM'}'s transaction`;
  return '';
}

export const blockingIndexBuild: MigrationRule = {
  kind: 'migration',
  id: 'blocking-index-build',
  description: 'Flags CREATE INDEX, DROP INDEX and REINDEX without CONCURRENTLY on a PostgreSQL table that existed before the migration.',
  rationale:
    'A plain CREATE INDEX takes a SHARE lock: reads go on, but every INSERT, UPDATE and DELETE on the table waits until the whole build ' +
    'has read the table and sorted it — seconds on a small table, minutes to hours on a large one, an outage for the application. ' +
    'DROP INDEX and REINDEX take stronger locks (ACCESS EXCLUSIVE for DROP, reads that need the index wait during REINDEX). ' +
    'The CONCURRENTLY forms build or drop without blocking writes, at the price of running outside a transaction. ' +
    'A table created earlier in the same migration is empty, so the rule is silent for it. Migrations are read in the order the tool ' +
    'applies them (migration folder and timestamp order); a file outside a migration folder is one self-contained script.',
  defaultSeverity: 'warning',
  needsSchema: false,
  examples: {
    bad: ['-- migrations/002_index_orders.sql\nCREATE INDEX orders_customer_id_idx ON orders (customer_id);', 'DROP INDEX orders_status_idx;', 'REINDEX TABLE orders;'],
    good: [
      'CREATE INDEX CONCURRENTLY orders_customer_id_idx ON orders (customer_id);',
      'CREATE TABLE audit_log (id bigint PRIMARY KEY, at timestamptz);\nCREATE INDEX audit_log_at_idx ON audit_log (at);',
    ],
  },
  fix: 'Use CREATE INDEX CONCURRENTLY / DROP INDEX CONCURRENTLY / REINDEX … CONCURRENTLY, in a migration that runs outside a transaction.',
  check({ file, set }) {
    if (set.dialect !== 'postgresql') return [];
    const out: Omit<Finding, 'severity' | 'ruleId'>[] = [];
    for (const fact of file.facts) {
      if (fact.kind === 'create-index' && !fact.concurrently) {
        const table = fact.index.table;
        if (!existedBefore(set, file, fact.start, table)) continue;
        out.push({
          message:
            `CREATE INDEX on ${table} blocks every INSERT, UPDATE and DELETE on ${table} until the build finishes, ` +
            `and the build time grows with the table's size. Use CREATE INDEX CONCURRENTLY${outsideTransactionNote(file, fact)}.`,
          start: fact.start,
          end: fact.end,
          fixes: concurrentlyFix(file, fact, ['index']),
        });
      } else if (fact.kind === 'drop-index' && !fact.concurrently) {
        const tables = fact.names.map((n) => tableOfIndex(set, file, fact.start, n));
        if (tables.every((t) => t !== undefined && !existedBefore(set, file, fact.start, t))) continue;
        const on = tables.find((t) => t) ?? 'its table';
        out.push({
          message:
            `DROP INDEX takes an ACCESS EXCLUSIVE lock on ${on}: reads and writes wait for it, and it waits behind every running query on the table. ` +
            `Use DROP INDEX CONCURRENTLY${fact.names.length > 1 ? ' (one index per statement)' : ''}${outsideTransactionNote(file, fact)}.`,
          start: fact.start,
          end: fact.end,
          fixes: fact.names.length === 1 ? concurrentlyFix(file, fact, ['index']) : undefined,
        });
      } else if (fact.kind === 'reindex' && !fact.concurrently && fact.target !== 'system') {
        const table = fact.target === 'table' ? fact.name : fact.target === 'index' && fact.name ? tableOfIndex(set, file, fact.start, fact.name) : undefined;
        if (table && !existedBefore(set, file, fact.start, table)) continue;
        out.push({
          message:
            `REINDEX ${fact.target.toUpperCase()} blocks writes to ${table ?? 'the tables it rebuilds'} (and reads that use the index) for the whole rebuild, ` +
            `which grows with the table's size. Use REINDEX ${fact.target.toUpperCase()} CONCURRENTLY (PostgreSQL 12+)${outsideTransactionNote(file, fact)}.`,
          start: fact.start,
          end: fact.end,
          fixes: concurrentlyFix(file, fact, ['index', 'table', 'schema', 'database']),
        });
      }
    }
    return out;
  },
};

registerRuleMeta(blockingIndexBuild);
