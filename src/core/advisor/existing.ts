/**
 * Leftmost-prefix reasoning against the indexes a table already has: does one of them already
 * serve the access path we would propose, and which of them would a new index make redundant?
 */
import type { IndexDef, IndexKey, Table } from '../schema/types';
import { normalizeExpression } from './expression';

/** True when a proposed key and an existing index key are the same column or expression. */
export function keyMatches(proposed: IndexKey, existing: IndexKey): boolean {
  if (proposed.column !== undefined) return existing.column === proposed.column;
  if (proposed.expression === undefined) return false;
  if (existing.expression !== undefined) return normalizeExpression(existing.expression) === normalizeExpression(proposed.expression);
  return false;
}

/** The access path an index must provide: `eqCount` leading keys in any order, then the rest in order. */
export interface AccessPath {
  keys: IndexKey[];
  eqCount: number;
  /** Constant predicates of the query (`status = 'PENDING'`), which a partial index may require. */
  constantPredicates: string[];
}

function isBtree(index: IndexDef): boolean {
  return !index.method || index.method.toLowerCase() === 'btree';
}

/** Does the existing index's partial predicate (if any) hold for every row the query reads? */
function whereSatisfied(index: IndexDef, path: AccessPath): boolean {
  if (!index.where) return true;
  const w = normalizeExpression(index.where);
  return path.constantPredicates.some((p) => normalizeExpression(p) === w);
}

/**
 * Returns an existing index that already serves the access path: its leading keys are the
 * equality keys (any order) followed by the remaining keys in order — or it is a unique index
 * whose every key is bound by equality (at most one row).
 */
export function servingIndex(table: Table, path: AccessPath): IndexDef | undefined {
  for (const index of table.indexes) {
    if (!isBtree(index) || !whereSatisfied(index, path)) continue;
    // A partial index's predicate pins the columns it names: they need no key of their own.
    const pinned = index.where ? columnsNamed(index.where) : new Set<string>();
    const eqKeys = path.keys.slice(0, path.eqCount).filter((k) => !(k.column && pinned.has(k.column)));
    const rest = path.keys.slice(path.eqCount);
    if (index.unique && index.keys.length > 0 && index.keys.every((k) => eqKeys.some((e) => keyMatches(e, k)))) return index;
    if (index.keys.length < eqKeys.length + rest.length) continue;
    const lead = index.keys.slice(0, eqKeys.length);
    const leadOk = eqKeys.every((e) => lead.some((k) => keyMatches(e, k)));
    const restOk = rest.every((k, i) => {
      const ex = index.keys[eqKeys.length + i];
      return keyMatches(k, ex) && !!ex.descending === !!k.descending;
    });
    if (leadOk && restOk) return index;
  }
  return undefined;
}

/** Identifiers named in a predicate's text (outside string literals). */
function columnsNamed(predicate: string): Set<string> {
  const bare = predicate.replace(/'(?:[^']|'')*'/g, ' ');
  return new Set((bare.match(/[A-Za-z_][A-Za-z0-9_$]*/g) ?? []).map((w) => w.toLowerCase()));
}

/**
 * Existing indexes a new index makes redundant: plain (non-unique, non-partial, declared)
 * btree indexes whose keys are a leftmost prefix of the new keys and whose INCLUDE columns
 * the new index also carries.
 */
export function redundantIndexes(table: Table, keys: IndexKey[], include: string[], where?: string): string[] {
  if (where) return [];
  const carried = new Set([...keys.map((k) => k.column).filter((c): c is string => !!c), ...include]);
  return table.indexes
    .filter(
      (index) =>
        isBtree(index) &&
        !index.unique &&
        !index.implicit &&
        !index.where &&
        index.keys.length > 0 &&
        index.keys.length <= keys.length &&
        index.keys.every((k, i) => keyMatches(keys[i], k) && !!k.descending === !!keys[i].descending) &&
        index.include.every((c) => carried.has(c)),
    )
    .map((index) => index.name);
}

/** True when some existing btree index has this column as its first key. */
export function leadsSomeIndex(table: Table, column: string): boolean {
  return table.indexes.some((index) => isBtree(index) && !index.where && index.keys[0]?.column === column);
}
