/**
 * How a query block reaches each known table: which columns it constrains by equality, which by
 * a range, which it sorts by under a LIMIT — and whether an existing index can serve that.
 * Shared by `missing-index` and `leftmost-prefix`, which must agree on when a table is served.
 */
import type { ColumnExpr, QueryBlock, Range } from '../query/model';
import { blockScope, resolveColumn } from '../query/scope';
import { conjuncts, isConstant, predicateRoots } from '../query/walk';
import { normalizeExpression } from '../sql/tokens';
import { findColumn } from '../schema/catalog';
import { createIndexDdl, indexesLeadingWith, isOrderedIndex, quoteIdent } from '../schema/indexes';
import type { Dialect } from '../dialect';
import type { Catalog, IndexDef, Table } from '../schema/types';

export interface ColumnUse {
  column: string;
  /** Source range of the column reference in the statement. */
  range?: Range;
}

export interface TableAccess {
  table: Table;
  equality: ColumnUse[];
  range: ColumnUse[];
  sort: ColumnUse[];
  /** Normalised text of the block's top-level AND conditions (to match partial-index predicates). */
  conditions: Set<string>;
}

const EQUALITY_OPS = new Set(['=', 'IN', 'IS']);
const RANGE_OPS = new Set(['<', '>', '<=', '>=', 'BETWEEN']);

function push(list: ColumnUse[], use: ColumnUse): void {
  if (!list.some((u) => u.column === use.column)) list.push(use);
}

/**
 * True when some ordered index on the table leads with the column and applies to the query: a
 * partial index counts only when the query repeats its predicate (`WHERE status = 'PENDING'`).
 */
export function hasLeadingIndex(table: Table, column: string, conditions?: Set<string>): boolean {
  return indexesLeadingWith(table, column).some((ix) => !ix.where || !conditions || conditions.has(normalizeExpression(ix.where)));
}

const accessCache = new WeakMap<QueryBlock, { catalog: Catalog; accesses: TableAccess[] }>();

/** Boolean-like columns (`boolean`, MySQL `tinyint(1)`, `bit(1)`). */
function isTwoValued(table: Table, column: string): boolean {
  const type = findColumn(table, column)?.type ?? '';
  return /^(bool|boolean|tinyint\(1\)|bit|bit\(1\))$/.test(type);
}

/** What the accesses are computed from: the block, the statement text and the catalog. */
export interface AccessContext {
  text: string;
  dialect: Dialect;
  catalog: Catalog;
}

/** Collects, per known table, the columns a block constrains (top-level AND conditions only). */
export function tableAccesses(block: QueryBlock, ctx: AccessContext): TableAccess[] {
  // missing-index and leftmost-prefix both ask; blocks are cached per statement text, so is this.
  const hit = accessCache.get(block);
  if (hit && hit.catalog === ctx.catalog) return hit.accesses;
  const accesses = computeAccesses(block, ctx);
  accessCache.set(block, { catalog: ctx.catalog, accesses });
  return accesses;
}

function computeAccesses(block: QueryBlock, ctx: AccessContext): TableAccess[] {
  const byTable = new Map<Table, TableAccess>();
  const accessFor = (t: Table) => {
    let a = byTable.get(t);
    if (!a) {
      a = { table: t, equality: [], range: [], sort: [], conditions };
      byTable.set(t, a);
    }
    return a;
  };
  const resolve = (ref: ColumnExpr) => resolveColumn(ref, block, ctx.catalog);
  const conditions = new Set<string>();
  // Only partial indexes need the normalised condition texts.
  const anyPartial = blockScope(block, ctx.catalog).some((e) => e.table?.indexes.some((ix) => ix.where));
  if (anyPartial) for (const root of predicateRoots(block)) {
    for (const cmp of conjuncts(root)) {
      const r = cmp.range;
      if (r) conditions.add(normalizeExpression(ctx.text.slice(r.start, r.end), ctx.dialect));
    }
  }
  for (const root of predicateRoots(block)) {
    for (const cmp of conjuncts(root)) {
      if (cmp.kind !== 'comparison') continue;
      const op = cmp.quantifier === 'any' && cmp.op === '=' ? 'IN' : cmp.quantifier ? '' : cmp.op;
      const isEq = EQUALITY_OPS.has(op);
      if (!isEq && !RANGE_OPS.has(op)) continue;
      if (op === 'IS' && !(cmp.right.kind === 'literal' && cmp.right.type === 'null')) continue;
      const l = cmp.left.kind === 'column' ? resolve(cmp.left) : undefined;
      const r = cmp.right.kind === 'column' ? resolve(cmp.right) : undefined;
      if (l && r && l.block !== r.block) {
        // A correlated reference (`o.user_id = u.id` inside EXISTS or LATERAL): per outer row the
        // outer column is a fixed value, so this is an equality on the inner block's column.
        const inner = l.block === block ? { res: l, ref: cmp.left } : r.block === block ? { res: r, ref: cmp.right } : undefined;
        if (inner && isEq && !isTwoValued(inner.res.table, inner.res.column)) push(accessFor(inner.res.table).equality, { column: inner.res.column, range: inner.ref.range });
        continue;
      }
      if (l && r) {
        // A join condition: served when either side can be looked up through an index.
        if (l.entry === r.entry || !isEq) continue;
        if (hasLeadingIndex(l.table, l.column, conditions) || hasLeadingIndex(r.table, r.column, conditions)) continue;
        push(accessFor(l.table).equality, { column: l.column, range: cmp.left.range });
        push(accessFor(r.table).equality, { column: r.column, range: cmp.right.range });
        continue;
      }
      // A subquery on the value side (`x IN (SELECT …)`) is a constant set per execution only when uncorrelated; keep it out.
      const single0 =
        l && isConstant(cmp.right) ? { res: l, ref: cmp.left } : r && isConstant(cmp.left) && op !== 'BETWEEN' && op !== 'IN' ? { res: r, ref: cmp.right } : undefined;
      // A B-tree on a two-valued column rarely beats a scan: never suggest one for booleans.
      const single = single0 && !isTwoValued(single0.res.table, single0.res.column) ? single0 : undefined;
      if (!single) continue;
      const a = accessFor(single.res.table);
      push(isEq ? a.equality : a.range, { column: single.res.column, range: single.ref.range });
    }
  }
  if (block.limit && block.orderBy.length) {
    for (const item of block.orderBy) {
      const res = item.expr.kind === 'column' ? resolve(item.expr) : undefined;
      if (!res) break; // only a leading run of plain columns can be served by one index
      push(accessFor(res.table).sort, { column: res.column, range: item.expr.range });
    }
  }
  return [...byTable.values()];
}

/** True when an existing ordered index leads with a column the block constrains or sorts by. */
export function isServed(access: TableAccess): boolean {
  const cols = [...access.equality, ...access.range].map((u) => u.column);
  if (access.sort.length) cols.push(access.sort[0].column);
  return cols.some((c) => hasLeadingIndex(access.table, c, access.conditions));
}

/** Composite indexes that contain a constrained column, but not as their (unconstrained) leading key. */
export function skippedPrefixIndexes(access: TableAccess): { index: IndexDef; use: ColumnUse; position: number }[] {
  const constrained = new Set([...access.equality, ...access.range].map((u) => u.column));
  const out: { index: IndexDef; use: ColumnUse; position: number }[] = [];
  for (const index of access.table.indexes) {
    if (!isOrderedIndex(index) || index.keys.length < 2) continue;
    const lead = index.keys[0];
    if (lead.column && constrained.has(lead.column)) continue;
    for (const use of [...access.equality, ...access.range]) {
      const position = index.keys.findIndex((k) => k.column === use.column);
      if (position > 0) {
        out.push({ index, use, position });
        break;
      }
    }
  }
  return out;
}

/** Key columns in leftmost-prefix order: equality columns, then one range column, then sort columns. */
export function suggestedKeys(access: TableAccess): string[] {
  const keys = access.equality.map((u) => u.column);
  const rangeCol = access.range.find((u) => !keys.includes(u.column))?.column;
  if (rangeCol) keys.push(rangeCol);
  const sort = access.sort.map((u) => u.column).filter((c) => !keys.includes(c) || c === rangeCol);
  if (!rangeCol || access.sort[0]?.column === rangeCol) for (const c of sort) if (!keys.includes(c)) keys.push(c);
  return keys;
}

/** `CREATE INDEX …` for the suggested keys. */
export function suggestedDdl(access: TableAccess, dialect: Dialect): string {
  const keys = suggestedKeys(access);
  return createIndexDdl(access.table, keys.map((k) => quoteIdent(k, dialect)), dialect, { nameParts: keys });
}

/** Column references of a use, for messages: `user_id, created_at`. */
export function describeColumns(uses: ColumnUse[]): string {
  return uses.map((u) => u.column).join(', ');
}

