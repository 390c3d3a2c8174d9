/**
 * Name resolution over the query model: the FROM scope of a block (which catalog table each
 * name stands for) and column references resolved through aliases, enclosing blocks and the
 * catalog — only when the answer is certain (no unknown sources, no ambiguity).
 */
import { findColumn } from '../schema/catalog';
import type { Catalog, Table } from '../schema/types';
import type { ColumnExpr, FromItem, QueryBlock } from './model';

/** One FROM item of a block. `table` is set when the catalog knows the relation. */
export interface ScopeEntry {
  /** Name the query uses for it: the alias, else the relation name. */
  name: string;
  /** Relation name as written, schema-qualified when it was (undefined for subqueries and functions). */
  relation?: string;
  table?: Table;
  item: FromItem;
}

const scopeCache = new WeakMap<QueryBlock, { catalog: Catalog; scope: ScopeEntry[] }>();

/** The FROM scope of a block (UPDATE / DELETE: the target first), cached per block and catalog. */
export function blockScope(block: QueryBlock, catalog: Catalog): ScopeEntry[] {
  const hit = scopeCache.get(block);
  if (hit && hit.catalog === catalog) return hit.scope;
  const scope: ScopeEntry[] = [];
  const items: FromItem[] = block.kind === 'insert' && block.target ? [{ relation: block.target }] : block.from;
  for (const item of items) {
    const r = item.relation;
    if (r.kind === 'table') {
      const isCte = !r.schema && !!block.ctesVisible?.has(r.name.toLowerCase());
      const table = isCte ? undefined : lookupTable(catalog, r.name, r.schema);
      scope.push({ name: r.alias ?? r.name, relation: r.schema ? `${r.schema}.${r.name}` : r.name, table, item });
    } else {
      scope.push({ name: r.alias ?? '', item });
    }
  }
  scopeCache.set(block, { catalog, scope });
  return scope;
}

/** Finds a table by name (and schema, when written), case-insensitively. */
export function lookupTable(catalog: Catalog, name: string, schema?: string): Table | undefined {
  const table = catalog.tables.get(name) ?? catalog.tables.get(name.toLowerCase());
  if (!table) return undefined;
  if (schema && table.schema && schema.toLowerCase() !== table.schema.toLowerCase()) return undefined;
  return table;
}

export interface ResolvedColumn {
  table: Table;
  /** Column name as the catalog spells it. */
  column: string;
  entry: ScopeEntry;
  /** The block whose scope holds the column (an outer block for correlated references). */
  block: QueryBlock;
}

/**
 * Resolves a column reference to a catalog table and column, or undefined when it cannot be
 * known for sure (unknown table, subquery source, ambiguous unqualified name).
 */
export function resolveColumn(ref: ColumnExpr, block: QueryBlock, catalog: Catalog): ResolvedColumn | undefined {
  for (let b: QueryBlock | undefined = block; b; b = b.parent) {
    const scope = blockScope(b, catalog);
    if (ref.table) {
      const q = ref.table.toLowerCase();
      const entry = scope.find((s) => s.name.toLowerCase() === q);
      if (!entry) continue;
      if (!entry.table) return undefined;
      const col = findColumn(entry.table, ref.column);
      return col ? { table: entry.table, column: col.name, entry, block: b } : undefined;
    }
    const matches: ResolvedColumn[] = [];
    let unknown = false;
    for (const entry of scope) {
      if (!entry.table) {
        unknown = true;
        continue;
      }
      const col = findColumn(entry.table, ref.column);
      if (col) matches.push({ table: entry.table, column: col.name, entry, block: b });
    }
    if (matches.length === 1 && !unknown) return matches[0];
    if (matches.length > 0 || unknown) return undefined;
  }
  return undefined;
}
