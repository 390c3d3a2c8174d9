/**
 * concurrent-index-in-transaction (migrations, PostgreSQL): `CREATE/DROP INDEX CONCURRENTLY`
 * (or `REINDEX … CONCURRENTLY`) inside an explicit BEGIN … COMMIT, or in a migration that its
 * tool wraps in a transaction (Knex and TypeORM by default). PostgreSQL refuses the statement
 * there ("cannot run inside a transaction block"), so the migration fails at deploy time.
 */
import { registerRuleMeta } from './index';
import type { Finding } from './types';
import type { MigrationRule } from '../migrations/rule';
import { openTransactionAt } from '../migrations/set';
import { TRANSACTION_OPT_OUT } from '../migrations/layout';
import { LineIndex } from '../sql/locate';

const TOOL_NAMES = { knex: 'Knex', typeorm: 'TypeORM', sequelize: 'Sequelize' } as const;

export const concurrentIndexInTransaction: MigrationRule = {
  kind: 'migration',
  id: 'concurrent-index-in-transaction',
  description: 'Flags CREATE/DROP INDEX CONCURRENTLY inside a transaction block or in a migration its tool runs in a transaction.',
  rationale:
    'A concurrent index build commits several times internally and waits for other transactions in between, so PostgreSQL refuses it ' +
    'inside a transaction block: "CREATE INDEX CONCURRENTLY cannot run inside a transaction block" (SQLSTATE 25001) — the migration fails ' +
    'when it is deployed. Explicit BEGIN … COMMIT does this, and so do migration tools that wrap each migration in a transaction: ' +
    'Knex (opt out per file with `exports.config = { transaction: false }`) and TypeORM (opt out per migration class with ' +
    '`transaction = false` under `migrationsTransactionMode: "each"`, or run with mode "none").',
  defaultSeverity: 'error',
  needsSchema: false,
  examples: {
    bad: [
      'BEGIN;\nCREATE INDEX CONCURRENTLY orders_customer_id_idx ON orders (customer_id);\nCOMMIT;',
      "// migrations/20240501120000_orders_index.js (Knex)\nexports.up = (knex) => knex.raw('CREATE INDEX CONCURRENTLY orders_customer_id_idx ON orders (customer_id)');",
    ],
    good: [
      'CREATE INDEX CONCURRENTLY orders_customer_id_idx ON orders (customer_id);',
      "exports.config = { transaction: false };\nexports.up = (knex) => knex.raw('CREATE INDEX CONCURRENTLY orders_customer_id_idx ON orders (customer_id)');",
    ],
  },
  fix: 'Move the statement after COMMIT (into a migration of its own), or disable the tool\'s transaction for this one migration.',
  check({ file, set }) {
    if (set.dialect !== 'postgresql') return [];
    const out: Omit<Finding, 'severity' | 'ruleId'>[] = [];
    let lines: LineIndex | undefined;
    for (const fact of file.facts) {
      if (!((fact.kind === 'create-index' || fact.kind === 'drop-index' || fact.kind === 'reindex') && fact.concurrently)) continue;
      const what = fact.kind === 'create-index' ? 'CREATE INDEX CONCURRENTLY' : fact.kind === 'drop-index' ? 'DROP INDEX CONCURRENTLY' : 'REINDEX … CONCURRENTLY';
      const begin = openTransactionAt(file, fact.start);
      if (begin) {
        lines ??= new LineIndex(file.text);
        out.push({
          message:
            `PostgreSQL refuses ${what} inside a transaction block (BEGIN on line ${lines.position(begin.start).line + 1}): ` +
            `the migration fails with "cannot run inside a transaction block". Move it after COMMIT, into a migration of its own.`,
          start: fact.start,
          end: fact.end,
        });
      } else if (file.transactional && (file.tool === 'knex' || file.tool === 'typeorm')) {
        out.push({
          message:
            `${TOOL_NAMES[file.tool]} runs this migration inside a transaction, where PostgreSQL refuses ${what}. ` +
            `To run it outside one, ${TRANSACTION_OPT_OUT[file.tool]}.`,
          start: fact.start,
          end: fact.end,
        });
      }
    }
    return out;
  },
};

registerRuleMeta(concurrentIndexInTransaction);
