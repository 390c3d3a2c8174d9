/**
 * Builders and walks over the query model: an empty block for the front ends to fill,
 * `finishStatement` (parents, visible CTEs, block and parameter lists in text order), and the
 * questions every rule asks — predicate roots, top-level conjuncts, comparisons, columns inside
 * an expression, and whether an expression is a constant.
 */
import type { ColumnExpr, Expr, ParamExpr, QueryBlock, QueryStatement, StatementKind } from './model';

/** A block with every list empty, for front ends to fill. */
export function emptyBlock(kind: QueryBlock['kind']): QueryBlock {
  return { kind, ctes: [], from: [], selectList: [], groupBy: [], orderBy: [], set: [], values: [], returning: [] };
}

/** Direct sub-expressions of an expression (subqueries are not entered). */
export function exprChildren(e: Expr): Expr[] {
  switch (e.kind) {
    case 'cast':
      return [e.expr];
    case 'function':
      return e.filter ? [...e.args, e.filter] : e.args;
    case 'operator':
      return e.left ? [e.left, e.right] : [e.right];
    case 'comparison':
      return [e.left, e.right];
    case 'and':
    case 'or':
    case 'other':
      return e.args;
    case 'not':
      return [e.arg];
    case 'list':
      return e.items;
    default:
      return [];
  }
}

/**
 * Visits an expression tree pre-order without entering subqueries; return false from `visit`
 * to skip a node's children.
 */
export function walkExpr(e: Expr | undefined, visit: (e: Expr) => boolean | void): void {
  if (!e) return;
  const stack: Expr[] = [e];
  while (stack.length) {
    const n = stack.pop()!;
    if (visit(n) === false) continue;
    const kids = exprChildren(n);
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]);
  }
}

/** Subqueries directly inside an expression (not inside those subqueries). */
export function subqueriesIn(e: Expr | undefined): { query: QueryBlock; exists: boolean }[] {
  const out: { query: QueryBlock; exists: boolean }[] = [];
  walkExpr(e, (n) => {
    if (n.kind === 'subquery') out.push({ query: n.query, exists: !!n.exists });
  });
  return out;
}

/** Every expression a block holds directly (select list, FROM conditions, WHERE, …). */
export function blockExprs(b: QueryBlock): Expr[] {
  const out: Expr[] = [];
  for (const s of b.selectList) out.push(s.expr);
  for (const f of b.from) {
    if (f.on) out.push(f.on);
    if (f.relation.kind === 'function') out.push(f.relation.expr);
  }
  if (b.where) out.push(b.where);
  out.push(...b.groupBy);
  if (b.having) out.push(b.having);
  for (const o of b.orderBy) out.push(o.expr);
  if (b.limit) out.push(b.limit);
  if (b.offset) out.push(b.offset);
  for (const s of b.set) out.push(s.value);
  for (const row of b.values) out.push(...row);
  for (const r of b.returning) out.push(r.expr);
  return out;
}

/**
 * Links parents and visible CTE names, and lists every block and parameter of the statement in
 * text order. Front ends call it once on the statement they built.
 */
export function finishStatement(kind: StatementKind, root: QueryBlock | undefined, utility?: string): QueryStatement {
  const blocks: QueryBlock[] = [];
  const params: ParamExpr[] = [];
  const visit = (b: QueryBlock, parent: QueryBlock | undefined, ctes: Set<string>, inExists: boolean) => {
    const visible = new Set(ctes);
    for (const c of b.ctes) visible.add(c.name.toLowerCase());
    b.parent = parent;
    b.ctesVisible = visible;
    if (inExists) b.inExists = true;
    for (const c of b.ctes) visit(c.query, parent, visible, false);
    if (b.kind === 'set') {
      for (const br of b.branches ?? []) visit(br, parent, visible, inExists);
    } else {
      blocks.push(b);
    }
    for (const f of b.from) if (f.relation.kind === 'subquery') visit(f.relation.query, f.relation.lateral ? b : parent, visible, false);
    if (b.source) visit(b.source, parent, visible, false);
    for (const e of blockExprs(b)) {
      walkExpr(e, (n) => {
        if (n.kind === 'param') params.push(n);
        else if (n.kind === 'subquery') visit(n.query, b.kind === 'set' ? parent : b, visible, !!n.exists);
      });
    }
    if (b.kind === 'set') blocks.push(b);
  };
  if (root) visit(root, undefined, new Set(), false);
  const at = (r: { range?: { start: number } }) => r.range?.start ?? Number.MAX_SAFE_INTEGER;
  blocks.sort((a, b) => at(a) - at(b));
  params.sort((a, b) => at(a) - at(b));
  return { kind, utility, root, blocks, params };
}

/**
 * The predicates of a block an index can serve: WHERE and every JOIN … ON. HAVING is left out
 * on purpose (it filters groups, after any index access).
 */
export function predicateRoots(b: QueryBlock): Expr[] {
  const roots: Expr[] = [];
  if (b.where) roots.push(b.where);
  for (const f of b.from) if (f.on) roots.push(f.on);
  return roots;
}

/** The conditions ANDed at the top of a predicate: what every returned row satisfies. */
export function conjuncts(root: Expr): Expr[] {
  if (root.kind !== 'and') return [root];
  return root.args.flatMap(conjuncts);
}

/** Every comparison anywhere inside a predicate (through AND, OR, NOT), subqueries excluded. */
export function comparisons(root: Expr): Extract<Expr, { kind: 'comparison' }>[] {
  const out: Extract<Expr, { kind: 'comparison' }>[] = [];
  walkExpr(root, (n) => {
    if (n.kind === 'comparison') out.push(n);
  });
  return out;
}

/** Column references inside an expression (subqueries excluded). */
export function columnsIn(e: Expr | undefined): ColumnExpr[] {
  const out: ColumnExpr[] = [];
  walkExpr(e, (n) => {
    if (n.kind === 'column') out.push(n);
  });
  return out;
}

/**
 * True when an expression is a constant for the query: literals, parameters, typed literals
 * and casts of them, and functions / operators / lists over constants (`now() - interval '1 day'`).
 */
export function isConstant(e: Expr | undefined): boolean {
  if (!e) return false;
  let constant = true;
  walkExpr(e, (n) => {
    if (n.kind === 'column' || n.kind === 'star' || n.kind === 'subquery') constant = false;
    if (n.kind === 'function' && n.window) constant = false;
    return constant;
  });
  return constant;
}

/** The literal under any casts (`DATE '2024-01-01'`, `'5'::int`), or undefined. */
export function literalValue(e: Expr | undefined): Extract<Expr, { kind: 'literal' }> | undefined {
  let n = e;
  while (n?.kind === 'cast') n = n.expr;
  return n?.kind === 'literal' ? n : undefined;
}

/** True for a parameter, possibly cast (`$1`, `$1::uuid`, `CAST(? AS int)`). */
export function isParam(e: Expr | undefined): boolean {
  let n = e;
  while (n?.kind === 'cast') n = n.expr;
  return n?.kind === 'param';
}

/** The column under any casts, or the expression itself. */
export function stripCasts(e: Expr): Expr {
  let n = e;
  while (n.kind === 'cast' && n.syntax !== 'typed-literal') n = n.expr;
  return n;
}
