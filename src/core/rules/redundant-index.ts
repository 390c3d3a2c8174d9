/**
 * redundant-index (migrations and schema files): an index whose key columns are a leftmost
 * prefix of another index on the same table — same method, no narrower predicate, compatible
 * opclasses and collations — or that duplicates the primary key or a unique constraint.
 * Every index costs work on each write; this one buys no read the other does not already serve.
 */
import { registerRuleMeta } from './index';
import type { Finding } from './types';
import type { MigrationRule } from '../migrations/rule';
import type { MigrationSet } from '../migrations/set';
import type { IndexKeyFact } from '../migrations/statements';
import type { IndexDef, Table } from '../schema/types';

/** Opclass and collation of each key, from the CREATE INDEX statement (defaults when declared inline). */
function keyDetails(set: MigrationSet, ix: IndexDef): (IndexKeyFact | undefined)[] {
  const file = ix.source && set.byFile.get(ix.source.file);
  const fact = file?.facts.find((f) => f.start === ix.source!.offset && f.kind === 'create-index');
  return fact && fact.kind === 'create-index' ? fact.index.keys : [];
}

function sameKey(a: IndexDef, b: IndexDef, i: number, da: (IndexKeyFact | undefined)[], db: (IndexKeyFact | undefined)[]): boolean {
  const ka = a.keys[i];
  const kb = b.keys[i];
  if (!ka || !kb) return false;
  const sameTarget = ka.column !== undefined ? ka.column === kb.column : ka.expression !== undefined && ka.expression === kb.expression;
  return sameTarget && !!ka.descending === !!kb.descending && da[i]?.opclass === db[i]?.opclass && da[i]?.collation === db[i]?.collation;
}

/** True when `cover` serves every lookup `ix` serves (see the module comment). */
function covers(set: MigrationSet, ix: IndexDef, cover: IndexDef): boolean {
  if (ix.method !== cover.method || (ix.where ?? '') !== (cover.where ?? '')) return false;
  if (ix.keys.length > cover.keys.length) return false;
  // Only B-trees serve a prefix of their keys; other methods only an exact duplicate.
  if (ix.keys.length < cover.keys.length && ix.method !== 'btree') return false;
  // A unique index enforces uniqueness of its own keys; a longer index does not.
  if (ix.unique && !(cover.unique && cover.keys.length === ix.keys.length)) return false;
  const di = keyDetails(set, ix);
  const dc = keyDetails(set, cover);
  for (let i = 0; i < ix.keys.length; i++) if (!sameKey(ix, cover, i, di, dc)) return false;
  const carried = new Set([...cover.keys.map((k) => k.column), ...cover.include]);
  return ix.include.every((c) => carried.has(c));
}

function describe(ix: IndexDef, table: Table): string {
  const keys = `(${ix.keys.map((k) => k.column ?? k.expression ?? '?').join(', ')})`;
  if (!ix.implicit) return `${ix.name} ${keys}`;
  const pk = table.primaryKey.length === ix.keys.length && table.primaryKey.every((c, i) => ix.keys[i].column === c);
  return `${pk ? 'the primary key' : 'the unique constraint'} ${keys}`;
}

export const redundantIndex: MigrationRule = {
  kind: 'migration',
  id: 'redundant-index',
  description: 'Flags an index whose keys are a leftmost prefix of another index on the same table, or that duplicates the primary key or a unique constraint.',
  rationale:
    'A B-tree on (customer_id, created_at) answers every lookup a B-tree on (customer_id) answers, so the shorter index only adds work: ' +
    'every INSERT, every DELETE and every UPDATE of its column writes to it, it takes disk and cache, and the planner has one more path to weigh. ' +
    'The rule only reports an index the other one truly covers: same access method, same (or no) partial-index predicate, same opclasses, ' +
    'collations and sort order, INCLUDE columns carried by the other index, and a UNIQUE index only when the other enforces the same uniqueness.',
  defaultSeverity: 'warning',
  needsSchema: true,
  examples: {
    bad: [
      'CREATE INDEX orders_customer_idx ON orders (customer_id);\nCREATE INDEX orders_customer_created_idx ON orders (customer_id, created_at);',
      'CREATE TABLE users (id bigint PRIMARY KEY, email text UNIQUE);\nCREATE INDEX users_email_idx ON users (email);',
    ],
    good: [
      'CREATE INDEX orders_customer_created_idx ON orders (customer_id, created_at);\nCREATE INDEX orders_created_idx ON orders (created_at);',
      "CREATE INDEX orders_pending_idx ON orders (customer_id) WHERE status = 'PENDING';\nCREATE INDEX orders_customer_created_idx ON orders (customer_id, created_at);",
    ],
  },
  fix: 'Drop the redundant index (DROP INDEX CONCURRENTLY on PostgreSQL) after checking nothing forces it by name.',
  check({ file, set, catalog }) {
    const out: Omit<Finding, 'severity' | 'ruleId'>[] = [];
    for (const table of catalog.tables.values()) {
      table.indexes.forEach((ix, i) => {
        if (ix.implicit || !ix.source || ix.source.file !== file.file) return;
        // An exact duplicate is reported on the later of the two; a prefix on the shorter one.
        const cover = table.indexes.find((other, j) => other !== ix && covers(set, ix, other) && (other.keys.length > ix.keys.length || other.implicit || j < i));
        if (!cover) return;
        const exact = cover.keys.length === ix.keys.length;
        out.push({
          message:
            `Index ${ix.name} on ${table.name} is redundant: ${describe(cover, table)} ${exact ? 'already indexes the same keys' : 'leads with the same keys'} and serves every lookup it serves. ` +
            `Dropping it saves its upkeep on every INSERT, UPDATE and DELETE on ${table.name}.`,
          start: ix.source.offset,
          end: ix.source.end ?? ix.source.offset,
        });
      });
    }
    return out.sort((a, b) => a.start - b.start);
  },
};

registerRuleMeta(redundantIndex);
