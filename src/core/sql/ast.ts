/**
 * Helpers over node-sql-parser ASTs shared by the rules: identifier names, a walk that stops at
 * subqueries, the query blocks of a statement with their FROM scopes, column resolution through
 * aliases and the catalog, and exact source ranges for nodes (the parser gives `loc` to many
 * expression nodes but not to column references, casts or `*`, so those are found by searching
 * the statement's tokens inside the nearest located ancestor).
 */
import type { Dialect } from '../dialect';
import { findColumn, findTable } from '../schema/catalog';
import type { Catalog, Table } from '../schema/types';
import type { AstNode } from './parse';
import { matchingParen, tokenize, type Token } from './tokens';

export interface Range {
  start: number;
  end: number;
}

/** The name in an identifier node (string, `{expr:{value}}`, `{value}`), or undefined. */
export function identName(x: unknown): string | undefined {
  if (x == null) return undefined;
  if (typeof x === 'string') return x;
  if (typeof x === 'object') {
    const o = x as { expr?: unknown; value?: unknown };
    if (o.expr !== undefined) return identName(o.expr);
    if (typeof o.value === 'string') return o.value;
  }
  return undefined;
}

/** Column reference parts, or undefined for `*` / non-column nodes. */
export function columnRefParts(node: AstNode): { table?: string; column: string } | undefined {
  if (!node || node.type !== 'column_ref') return undefined;
  const column = identName(node.column);
  if (!column || column === '*') return undefined;
  const table = identName(node.table) ?? undefined;
  return { table: table || undefined, column };
}

/** True for nodes that start a nested query (their predicates belong to their own block). */
export function isSubquery(node: AstNode): boolean {
  return !!node && typeof node === 'object' && (node.ast !== undefined || node.type === 'select');
}

/**
 * Visits every object in an expression tree, pre-order, without entering subqueries.
 * Return false from `visit` to skip a node's children.
 */
export function walkExpr(node: AstNode, visit: (n: AstNode, parent: AstNode | undefined) => boolean | void, parent?: AstNode): void {
  if (node == null || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const x of node) walkExpr(x, visit, parent);
    return;
  }
  if (isSubquery(node)) return;
  if (visit(node, parent) === false) return;
  for (const key of Object.keys(node)) {
    if (key === 'loc') continue;
    const v = node[key];
    if (v && typeof v === 'object') walkExpr(v, visit, node);
  }
}

/** One FROM item of a query block. `table` is set when the catalog knows the relation. */
export interface ScopeEntry {
  /** Name the query uses for it: the alias, else the table name. */
  name: string;
  /** Relation name as written (undefined for subqueries). */
  relation?: string;
  table?: Table;
  node: AstNode;
}

/** A SELECT / UPDATE / DELETE block with its FROM scope and its parent's scope chain. */
export interface QueryBlock {
  node: AstNode;
  kind: 'select' | 'update' | 'delete' | 'insert';
  scope: ScopeEntry[];
  parent?: QueryBlock;
  /** Names of CTEs visible in this block (they shadow catalog tables). */
  ctes: Set<string>;
}

/**
 * All query blocks of a statement in the order their keywords appear in the text
 * (CTEs first, then the block, then nested subqueries, then UNION branches).
 */
export function queryBlocks(asts: AstNode[], catalog: Catalog): QueryBlock[] {
  // Every rule asks for the same statement's blocks; the parse cache hands out the same AST
  // object for the same text, so remember the answer per AST and catalog.
  const cached = blockCache.get(asts);
  if (cached && cached.catalog === catalog) return cached.blocks;
  const blocks = computeQueryBlocks(asts, catalog);
  blockCache.set(asts, { catalog, blocks });
  return blocks;
}

const blockCache = new WeakMap<AstNode[], { catalog: Catalog; blocks: QueryBlock[] }>();

function computeQueryBlocks(asts: AstNode[], catalog: Catalog): QueryBlock[] {
  const out: QueryBlock[] = [];
  const visitBlock = (node: AstNode, parent: QueryBlock | undefined, inheritedCtes: Set<string>) => {
    if (!node || typeof node !== 'object') return;
    const ctes = new Set(inheritedCtes);
    if (Array.isArray(node.with)) {
      for (const cte of node.with) {
        const name = identName(cte?.name);
        if (name) ctes.add(name.toLowerCase());
      }
      for (const cte of node.with) visitBlock(cte?.stmt?.ast ?? cte?.stmt, parent, ctes);
    }
    const kind = node.type as QueryBlock['kind'];
    let block: QueryBlock | undefined;
    if (kind === 'select' || kind === 'update' || kind === 'delete' || kind === 'insert') {
      block = { node, kind, scope: buildScope(node, catalog, ctes), parent, ctes };
      out.push(block);
    }
    const children = (v: unknown) => findSubqueries(v, (sub) => visitBlock(sub, block ?? parent, ctes));
    for (const key of Object.keys(node)) {
      if (key === 'with' || key === '_next' || key === 'loc') continue;
      if (kind === 'insert' && key === 'values' && node.values?.type === 'select') {
        visitBlock(node.values, block ?? parent, ctes);
        continue;
      }
      children(node[key]);
    }
    if (node._next) visitBlock(node._next, parent, ctes);
  };
  for (const ast of asts) visitBlock(ast, undefined, new Set());
  return out;
}

/** Calls `found` for each subquery directly inside `v` (not inside those subqueries). */
function findSubqueries(v: unknown, found: (sub: AstNode) => void): void {
  if (!v || typeof v !== 'object') return;
  if (Array.isArray(v)) {
    for (const x of v) findSubqueries(x, found);
    return;
  }
  const o = v as AstNode;
  if (o.ast && typeof o.ast === 'object') {
    found(o.ast);
    return;
  }
  if (o.type === 'select') {
    found(o);
    return;
  }
  for (const key of Object.keys(o)) if (key !== 'loc') findSubqueries(o[key], found);
}

function buildScope(node: AstNode, catalog: Catalog, ctes: Set<string>): ScopeEntry[] {
  const items: AstNode[] = [];
  if (node.type === 'update') items.push(...(node.table ?? []), ...(node.from ?? []));
  else if (node.type === 'delete') items.push(...(node.from ?? node.table ?? []));
  else if (node.type === 'insert') items.push(...(node.table ?? []));
  else items.push(...(node.from ?? []));
  const scope: ScopeEntry[] = [];
  for (const item of items) {
    if (!item || typeof item !== 'object') continue;
    const alias = identName(item.as);
    const relation = typeof item.table === 'string' ? item.table : identName(item.table);
    if (relation && !item.expr) {
      const qualified = item.db ? `${item.db}.${relation}` : relation;
      const table = ctes.has(relation.toLowerCase()) ? undefined : findTable(catalog, quoteIfNeeded(item.db) + quoteIfNeeded(relation, !!item.db));
      if (scope.some((s) => s.name === (alias ?? relation) && s.relation === relation)) continue; // DELETE lists the table twice
      scope.push({ name: alias ?? relation, relation: qualified, table, node: item });
    } else {
      scope.push({ name: alias ?? '', node: item });
    }
  }
  return scope;
}

function quoteIfNeeded(name: string | undefined | null, dotted = false): string {
  if (!name) return '';
  const q = `"${name.replace(/"/g, '""')}"`;
  return dotted ? '.' + q : q;
}

export interface ResolvedColumn {
  table: Table;
  /** Column name as the catalog spells it. */
  column: string;
  entry: ScopeEntry;
}

/**
 * Resolves a column reference to a catalog table and column, or undefined when it cannot be
 * known for sure (unknown table, subquery source, ambiguous unqualified name).
 */
export function resolveColumn(ref: AstNode, block: QueryBlock): ResolvedColumn | undefined {
  const parts = columnRefParts(ref);
  if (!parts) return undefined;
  for (let b: QueryBlock | undefined = block; b; b = b.parent) {
    if (parts.table) {
      const q = parts.table.toLowerCase();
      const entry = b.scope.find((s) => s.name.toLowerCase() === q) ?? b.scope.find((s) => s.relation?.toLowerCase().endsWith(q) && s.name === s.relation);
      if (!entry) continue;
      if (!entry.table) return undefined;
      const col = findColumn(entry.table, parts.column);
      return col ? { table: entry.table, column: col.name, entry } : undefined;
    }
    const matches: ResolvedColumn[] = [];
    let unknown = false;
    for (const entry of b.scope) {
      if (!entry.table) {
        unknown = true;
        continue;
      }
      const col = findColumn(entry.table, parts.column);
      if (col) matches.push({ table: entry.table, column: col.name, entry });
    }
    if (matches.length === 1 && !unknown) return matches[0];
    if (matches.length > 0 || unknown) return undefined;
  }
  return undefined;
}

/** Tokens of a statement; the last one is remembered, since every rule looks at the same text in a row. */
let lastTokens: { text: string; dialect: Dialect; tokens: Token[] } | undefined;
export function statementTokens(text: string, dialect: Dialect): Token[] {
  if (lastTokens && lastTokens.text === text && lastTokens.dialect === dialect) return lastTokens.tokens;
  const tokens = tokenize(text, dialect);
  lastTokens = { text, dialect, tokens };
  return tokens;
}

/**
 * Finds exact source ranges of AST nodes in one statement's text. Ranges are snapped to token
 * boundaries, so a trailing comment the parser folded into a `loc` is not part of the range.
 */
export class Locator {
  readonly tokens: Token[];
  constructor(readonly text: string, readonly dialect: Dialect) {
    this.tokens = statementTokens(text, dialect);
  }

  /** Snaps a raw range to the tokens fully inside it. */
  snap(r: Range): Range | undefined {
    const inside = this.tokensIn(r);
    if (inside.length === 0) return undefined;
    return { start: inside[0].start, end: inside[inside.length - 1].end };
  }

  /** Tokens fully inside a range. */
  tokensIn(r: Range): Token[] {
    const out: Token[] = [];
    for (let i = this.indexAt(r.start); i < this.tokens.length && this.tokens[i].start < r.end; i++) {
      if (this.tokens[i].end <= r.end) out.push(this.tokens[i]);
    }
    return out;
  }

  /** Token index of the first token starting at or after `offset`. */
  indexAt(offset: number): number {
    let lo = 0;
    let hi = this.tokens.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.tokens[mid].start < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Source range of a node, searching `within` for nodes without `loc`. */
  range(node: AstNode, within: Range = { start: 0, end: this.text.length }): Range | undefined {
    if (!node || typeof node !== 'object') return undefined;
    if (node.loc && typeof node.loc.start?.offset === 'number') {
      return this.snap({ start: node.loc.start.offset, end: node.loc.end.offset });
    }
    switch (node.type) {
      case 'column_ref':
        return this.findColumnRef(node, within);
      case 'cast':
        return this.findCast(node, within);
      case 'single_quote_string':
      case 'string':
        return this.findToken(within, (t) => t.kind === 'string' && t.value === String(node.value));
      case 'number': {
        const v = Number(node.value);
        if (v >= 0) return this.findToken(within, (t) => t.kind === 'number' && Number(t.text) === v);
        // A negative literal is two tokens: `-` and the digits.
        const toks = this.tokensIn(within);
        const i = toks.findIndex((t, k) => t.kind === 'number' && Number(t.text) === -v && toks[k - 1]?.text === '-');
        return i > 0 ? { start: toks[i - 1].start, end: toks[i].end } : undefined;
      }
      case 'var':
      case 'param':
      case 'origin': {
        const text = node.type === 'var' ? `${node.prefix ?? '$'}${node.name}` : node.type === 'param' ? `:${node.value}` : String(node.value);
        return this.findToken(within, (t) => t.text.toLowerCase() === text.toLowerCase());
      }
      case 'binary_expr': {
        const l = this.range(node.left, within);
        const r = this.range(node.right, within);
        return l && r ? { start: l.start, end: r.end } : undefined;
      }
      default:
        return undefined;
    }
  }

  private findToken(within: Range, pred: (t: Token) => boolean): Range | undefined {
    const t = this.tokensIn(within).find(pred);
    return t ? { start: t.start, end: t.end } : undefined;
  }

  /** Finds `[schema.][table.]column` tokens inside `within`. */
  private findColumnRef(node: AstNode, within: Range): Range | undefined {
    const parts = columnRefParts(node);
    if (!parts) return undefined;
    const toks = this.tokensIn(within);
    const eq = (t: Token | undefined, name: string) => !!t && (t.kind === 'word' || t.kind === 'quoted') && (t.kind === 'word' ? t.value === name.toLowerCase() : t.value === name);
    for (let i = 0; i < toks.length; i++) {
      if (!eq(toks[i], parts.column)) continue;
      const prev = toks[i - 1];
      if (parts.table) {
        if (prev?.text === '.' && eq(toks[i - 2], parts.table)) {
          let s = i - 2;
          if (toks[s - 1]?.text === '.' && toks[s - 2]) s -= 2;
          return { start: toks[s].start, end: toks[i].end };
        }
        continue;
      }
      if (prev?.text === '.') continue;
      if (toks[i + 1]?.text === '(' || toks[i + 1]?.text === '.') continue; // a function name or a qualifier
      return { start: toks[i].start, end: toks[i].end };
    }
    return undefined;
  }

  /** `CAST(x AS t)` or `x::t`. */
  private findCast(node: AstNode, within: Range): Range | undefined {
    const inner = this.range(node.expr, within);
    if (!inner) return undefined;
    if (node.symbol === '::') {
      // The expression, then `::` and the type words (with an optional `(…)` and `[]`).
      let i = this.indexAt(inner.end);
      if (this.tokens[i]?.text !== '::') return undefined;
      i++;
      let end = inner.end;
      while (i < this.tokens.length) {
        const t = this.tokens[i];
        if (t.kind === 'word' || t.kind === 'quoted') {
          end = t.end;
          i++;
          // `double precision`, `timestamp with time zone`
          if (this.tokens[i]?.kind === 'word' && /^(precision|with|without|time|zone|varying)$/.test(this.tokens[i].value)) continue;
          if (this.tokens[i]?.text === '(') {
            const close = matchingParen(this.tokens, i);
            end = this.tokens[Math.min(close, this.tokens.length - 1)].end;
            i = close + 1;
          }
          while (this.tokens[i]?.text === '[' && this.tokens[i + 1]?.text === ']') {
            end = this.tokens[i + 1].end;
            i += 2;
          }
          break;
        }
        break;
      }
      return { start: inner.start, end };
    }
    // CAST ( expr AS type ): the nearest `cast (` before the expression.
    for (let i = this.indexAt(inner.start) - 1; i >= 1; i--) {
      const t = this.tokens[i];
      if (t.text === '(' && this.tokens[i - 1].kind === 'word' && /^(cast|convert)$/.test(this.tokens[i - 1].value)) {
        const close = matchingParen(this.tokens, i);
        if (close < this.tokens.length && this.tokens[close].end >= inner.end) return { start: this.tokens[i - 1].start, end: this.tokens[close].end };
        return undefined;
      }
      if (t.start < within.start) break;
    }
    return undefined;
  }

  /**
   * Ranges of the two operands of a located binary comparison, split at its operator token at
   * parenthesis depth 0 (works even when the operands themselves carry no `loc`).
   */
  operands(node: AstNode): { left: Range; op: Range; right: Range } | undefined {
    const whole = this.range(node);
    if (!whole) return undefined;
    const toks = this.tokensIn(whole);
    const opWords = String(node.operator).toLowerCase().split(/\s+/);
    let depth = 0;
    for (let i = 1; i < toks.length; i++) {
      const t = toks[i];
      if (t.text === '(') depth++;
      else if (t.text === ')') depth--;
      if (depth !== 0) continue;
      const match = opWords.every((w, k) => {
        const x = toks[i + k];
        return !!x && (x.kind === 'word' ? x.value === w : x.text === w || (w === '!=' && x.text === '<>') || (w === '<>' && x.text === '!='));
      });
      if (!match) continue;
      const opEnd = toks[i + opWords.length - 1];
      if (i + opWords.length >= toks.length) return undefined;
      return {
        left: { start: toks[0].start, end: toks[i - 1].end },
        op: { start: t.start, end: opEnd.end },
        right: { start: toks[i + opWords.length].start, end: toks[toks.length - 1].end },
      };
    }
    return undefined;
  }
}

/** Comparison operators whose column side could be served by a btree index. */
export const COMPARISON_OPS = new Set(['=', '<', '>', '<=', '>=', '<>', '!=', 'IN', 'NOT IN', 'BETWEEN', 'NOT BETWEEN', 'LIKE', 'ILIKE', 'NOT LIKE', 'NOT ILIKE', 'IS', 'IS NOT']);

/**
 * The predicate expressions of a block whose conditions can use an index: WHERE and JOIN … ON.
 * HAVING is excluded on purpose (it filters groups, after any index access).
 */
export function predicateRoots(block: QueryBlock): AstNode[] {
  const roots: AstNode[] = [];
  if (block.node.where) roots.push(block.node.where);
  for (const item of block.node.from ?? []) if (item?.on) roots.push(item.on);
  return roots;
}

/**
 * The comparisons of a predicate that are ANDed at its top level (through parentheses), i.e.
 * the conditions every returned row satisfies. `OR` branches are returned separately in
 * `other`, since an index can serve them only in special plans.
 */
export function conjuncts(root: AstNode): AstNode[] {
  const out: AstNode[] = [];
  const visit = (n: AstNode) => {
    if (!n || typeof n !== 'object') return;
    if (n.type === 'binary_expr' && String(n.operator).toUpperCase() === 'AND') {
      visit(n.left);
      visit(n.right);
      return;
    }
    out.push(n);
  };
  visit(root);
  return out;
}

/** Every comparison anywhere inside a predicate (through AND, OR, NOT), subqueries excluded. */
export function comparisons(root: AstNode): AstNode[] {
  const out: AstNode[] = [];
  walkExpr(root, (n) => {
    if (n.type === 'binary_expr' && COMPARISON_OPS.has(String(n.operator).toUpperCase())) out.push(n);
  });
  return out;
}

/** Lower-cased function name of a function node (`pg_catalog.lower` → `lower`). */
export function functionName(node: AstNode): string | undefined {
  if (!node || node.type !== 'function') return undefined;
  const n = node.name;
  if (typeof n === 'string') return n.toLowerCase();
  const parts = Array.isArray(n?.name) ? n.name : [];
  const last = parts[parts.length - 1];
  const name = identName(last);
  return name?.toLowerCase();
}

/** Column references directly inside an expression (subqueries excluded). */
export function columnRefsIn(node: AstNode): AstNode[] {
  const out: AstNode[] = [];
  walkExpr(node, (n) => {
    if (n.type === 'column_ref' && columnRefParts(n)) out.push(n);
  });
  return out;
}

/** True when a node is a constant or a bind parameter (no column inside). */
export function isValueLike(node: AstNode): boolean {
  if (!node || typeof node !== 'object') return false;
  if (['number', 'single_quote_string', 'string', 'bool', 'null', 'var', 'param', 'origin', 'double_quote_string'].includes(node.type)) {
    return node.type !== 'double_quote_string';
  }
  if (node.type === 'expr_list') return (node.value ?? []).every(isValueLike);
  if (node.type === 'function' || node.type === 'binary_expr' || node.type === 'cast' || node.type === 'interval' || node.type === 'unary_expr') {
    return columnRefsIn(node).length === 0 && !containsSubquery(node);
  }
  return false;
}

function containsSubquery(node: AstNode): boolean {
  let found = false;
  findSubqueries(node, () => {
    found = true;
  });
  return found;
}
