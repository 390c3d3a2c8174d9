/**
 * How a query block reaches each known table: which columns it constrains by equality, which by
 * a range, which it sorts by under a LIMIT — and whether an existing index can serve that.
 * Shared by `missing-index` and `leftmost-prefix`, which must agree on when a table is served.
 */
import { conjuncts, isValueLike, Locator, predicateRoots, resolveColumn, type QueryBlock, type Range } from '../sql/ast';
import type { AstNode } from '../sql/parse';
import { normalizeExpression } from '../sql/tokens';
import { findColumn } from '../schema/catalog';
import { createIndexDdl, indexesLeadingWith, isOrderedIndex, quoteIdent } from '../schema/indexes';
import type { Dialect } from '../dialect';
import type { IndexDef, Table } from '../schema/types';

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

const accessCache = new WeakMap<QueryBlock, TableAccess[]>();

/** Boolean-like columns (`boolean`, MySQL `tinyint(1)`, `bit(1)`). */
function isTwoValued(table: Table, column: string): boolean {
  const type = findColumn(table, column)?.type ?? '';
  return /^(bool|boolean|tinyint\(1\)|bit|bit\(1\))$/.test(type);
}

/** Collects, per known table, the columns a block constrains (top-level AND conditions only). */
export function tableAccesses(block: QueryBlock, loc: Locator): TableAccess[] {
  // missing-index and leftmost-prefix both ask; blocks are cached per AST, so is this.
  let cached = accessCache.get(block);
  if (!cached) {
    cached = computeAccesses(block, loc);
    accessCache.set(block, cached);
  }
  return cached;
}

function computeAccesses(block: QueryBlock, loc: Locator): TableAccess[] {
  const byTable = new Map<Table, TableAccess>();
  const accessFor = (t: Table) => {
    let a = byTable.get(t);
    if (!a) {
      a = { table: t, equality: [], range: [], sort: [], conditions };
      byTable.set(t, a);
    }
    return a;
  };
  const refRange = (ref: AstNode, cmp: AstNode) => loc.range(ref, loc.range(cmp) ?? undefined);
  const conditions = new Set<string>();
  // Only partial indexes need the normalised condition texts.
  const anyPartial = block.scope.some((e) => e.table?.indexes.some((ix) => ix.where));
  if (anyPartial) for (const root of predicateRoots(block)) {
    for (const cmp of conjuncts(root)) {
      const r = loc.range(cmp);
      if (r) conditions.add(normalizeExpression(loc.text.slice(r.start, r.end), loc.dialect));
    }
  }
  for (const root of predicateRoots(block)) {
    for (const cmp of conjuncts(root)) {
      if (cmp?.type !== 'binary_expr') continue;
      const op = String(cmp.operator).toUpperCase();
      const isEq = EQUALITY_OPS.has(op);
      if (!isEq && !RANGE_OPS.has(op)) continue;
      if (op === 'IS' && cmp.right?.type !== 'null') continue;
      const l = cmp.left?.type === 'column_ref' ? resolveColumn(cmp.left, block) : undefined;
      const r = cmp.right?.type === 'column_ref' ? resolveColumn(cmp.right, block) : undefined;
      if (l && r) {
        // A join condition: served when either side can be looked up through an index.
        if (l.entry === r.entry || !isEq) continue;
        if (hasLeadingIndex(l.table, l.column, conditions) || hasLeadingIndex(r.table, r.column, conditions)) continue;
        push(accessFor(l.table).equality, { column: l.column, range: refRange(cmp.left, cmp) });
        push(accessFor(r.table).equality, { column: r.column, range: refRange(cmp.right, cmp) });
        continue;
      }
      const single0 = l && isValueLike(cmp.right) ? { res: l, ref: cmp.left } : r && isValueLike(cmp.left) && op !== 'BETWEEN' && op !== 'IN' ? { res: r, ref: cmp.right } : undefined;
      // A B-tree on a two-valued column rarely beats a scan: never suggest one for booleans.
      const single = single0 && !isTwoValued(single0.res.table, single0.res.column) ? single0 : undefined;
      if (!single) continue;
      const a = accessFor(single.res.table);
      push(isEq ? a.equality : a.range, { column: single.res.column, range: refRange(single.ref, cmp) });
    }
  }
  const limit = block.node.limit;
  const hasLimit = Array.isArray(limit?.value) ? limit.value.length > 0 : !!limit;
  if (hasLimit && Array.isArray(block.node.orderby)) {
    const orderStart = findOrderBy(loc);
    for (const item of block.node.orderby) {
      const res = item?.expr?.type === 'column_ref' ? resolveColumn(item.expr, block) : undefined;
      if (!res) break; // only a leading run of plain columns can be served by one index
      push(accessFor(res.table).sort, { column: res.column, range: loc.range(item.expr, { start: orderStart, end: loc.text.length }) });
    }
  }
  return [...byTable.values()];
}

/** Offset of the last `ORDER BY` in the statement (where sort columns are searched). */
function findOrderBy(loc: Locator): number {
  const toks = loc.tokens;
  for (let i = toks.length - 2; i >= 0; i--) {
    if (toks[i].kind === 'word' && toks[i].value === 'order' && toks[i + 1].kind === 'word' && toks[i + 1].value === 'by') return toks[i].start;
  }
  return 0;
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

