/**
 * Renders an index proposal as ready-to-run DDL for the dialect and gives it a stable,
 * readable name (`orders_user_id_created_at_idx`), which is also how the verifier recognises
 * the index in a plan.
 */
import type { Dialect } from '../dialect';
import type { IndexKey, Table } from '../schema/types';
import { quoteIfNeeded } from './expression';

/** PostgreSQL truncates identifiers at 63 bytes; we stay under it so plans show our exact name. */
const MAX_NAME = 63;

/** A readable index name from the table, keys, INCLUDE and partial predicate. */
export function indexName(table: string, keys: IndexKey[], opts: { include?: string[]; where?: string; taken?: Set<string> } = {}): string {
  const parts = keys.map((k) => words(k.column ?? k.expression ?? 'expr') + (k.descending ? '_desc' : ''));
  if (opts.where) parts.push(words(opts.where.replace(/\bis\s+null\b/i, 'null').replace(/^[^=]*=\s*/, '')) || 'partial');
  if (opts.include?.length) parts.push('incl');
  let base = `${words(table)}_${parts.filter(Boolean).join('_')}`.slice(0, MAX_NAME - 4) + '_idx';
  base = base.replace(/_+/g, '_');
  let name = base;
  for (let i = 2; opts.taken?.has(name); i++) name = `${base.slice(0, MAX_NAME - 1 - String(i).length)}${i}`;
  opts.taken?.add(name);
  return name;
}

function words(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/** SQL for one key part: a column, or an expression in parentheses (valid in both dialects). */
export function keySql(key: IndexKey, dialect: Dialect): string {
  const body = key.column !== undefined ? quoteIfNeeded(key.column, dialect) : `(${key.expression})`;
  return key.descending ? `${body} DESC` : body;
}

/** `CREATE INDEX name ON table (keys) [INCLUDE (…)] [WHERE …]` for the dialect. */
export function indexDdl(
  table: Table,
  name: string,
  keys: IndexKey[],
  include: string[],
  where: string | undefined,
  dialect: Dialect,
): string {
  const qualified = (table.schema && table.schema !== 'public' ? quoteIfNeeded(table.schema, dialect) + '.' : '') + quoteIfNeeded(table.name, dialect);
  let ddl = `CREATE INDEX ${quoteIfNeeded(name, dialect)} ON ${qualified} (${keys.map((k) => keySql(k, dialect)).join(', ')})`;
  if (include.length && dialect === 'postgresql') ddl += ` INCLUDE (${include.map((c) => quoteIfNeeded(c, dialect)).join(', ')})`;
  if (where && dialect === 'postgresql') ddl += ` WHERE ${where}`;
  return ddl;
}

/** Human-readable key list, e.g. `(user_id, created_at DESC)`. */
export function keyList(keys: IndexKey[], dialect: Dialect = 'postgresql'): string {
  return `(${keys.map((k) => (k.column !== undefined ? keySql(k, dialect) : `${k.expression}${k.descending ? ' DESC' : ''}`)).join(', ')})`;
}
