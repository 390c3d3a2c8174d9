/**
 * What kind of repetition a query in a loop is, beyond "once per item":
 * - a batch/drain loop (each pass fetches a page or batch; the loop ends on a short or empty
 *   one) or a retry loop (ends when the call succeeds) — not N+1, the cure for loading too much;
 * - a walk up a parent chain (`while (parentId) { … parentId = row.parentId }`) — one
 *   recursive CTE;
 * - a loop over a literal list of at most three items — a few queries, batching optional;
 * - a loop-invariant query (its arguments do not change in the loop) — hoist it;
 * - Prisma's same-tick `findUnique` batching in `Promise.all(xs.map(…))` — one query.
 */
import ts = require('typescript');
import type { LoopContext } from './loops';
import { lastName, resolveConst, unwrap } from './source';

export type LoopShape =
  | { kind: 'batch' }
  | { kind: 'literal'; items: number }
  | { kind: 'parent-walk' }
  | { kind: 'invariant' }
  | { kind: 'prisma-batched' }
  | { kind: 'per-item' };

/** Largest literal list whose loop is reported at `info` only. */
export const SMALL_LITERAL_LIST = 3;

/** The whole expression a database call is part of: `await x.a().b()` for the node `x.a`. */
function chainTop(node: ts.Node): ts.Node {
  let n = node;
  for (;;) {
    const p = n.parent;
    if (!p) return n;
    if ((ts.isPropertyAccessExpression(p) && p.expression === n) || (ts.isCallExpression(p) && p.expression === n) ||
        (ts.isTaggedTemplateExpression(p) && p.tag === n) || ts.isAwaitExpression(p) || ts.isParenthesizedExpression(p) || ts.isNonNullExpression(p) || ts.isAsExpression(p)) {
      n = p;
    } else return n;
  }
}

/** The function or loop body that repeats: the loop statement, or the per-item callback. */
function repeatedScope(loop: LoopContext): ts.Node | undefined {
  const n = loop.node;
  if (ts.isIterationStatement(n, false)) return n;
  if (ts.isCallExpression(n)) {
    return n.arguments.map((a) => unwrap(a)).find((a) => ts.isArrowFunction(a) || ts.isFunctionExpression(a));
  }
  return undefined;
}

function bindingNames(b: ts.BindingName, out: Set<string>): void {
  if (ts.isIdentifier(b)) out.add(b.text);
  else for (const el of b.elements) if (!ts.isOmittedExpression(el)) bindingNames(el.name, out);
}

const ASSIGNMENT = new Set([
  ts.SyntaxKind.EqualsToken, ts.SyntaxKind.PlusEqualsToken, ts.SyntaxKind.MinusEqualsToken, ts.SyntaxKind.AsteriskEqualsToken,
  ts.SyntaxKind.SlashEqualsToken, ts.SyntaxKind.QuestionQuestionEqualsToken, ts.SyntaxKind.BarBarEqualsToken, ts.SyntaxKind.AmpersandAmpersandEqualsToken,
]);

/** Names that take a new value on each pass: declared, bound or assigned inside the repeated scope. */
function varyingNames(scope: ts.Node): Set<string> {
  const names = new Set<string>();
  if (ts.isFunctionLike(scope)) for (const p of scope.parameters) bindingNames(p.name, names);
  if ((ts.isForOfStatement(scope) || ts.isForInStatement(scope) || ts.isForStatement(scope)) && scope.initializer && ts.isVariableDeclarationList(scope.initializer)) {
    for (const d of scope.initializer.declarations) bindingNames(d.name, names);
  }
  const visit = (n: ts.Node): void => {
    if (ts.isVariableDeclaration(n)) bindingNames(n.name, names);
    if (ts.isBinaryExpression(n) && ASSIGNMENT.has(n.operatorToken.kind) && ts.isIdentifier(unwrap(n.left))) names.add((unwrap(n.left) as ts.Identifier).text);
    if ((ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) && ts.isIdentifier(n.operand) &&
        (n.operator === ts.SyntaxKind.PlusPlusToken || n.operator === ts.SyntaxKind.MinusMinusToken)) names.add(n.operand.text);
    if (ts.isCatchClause(n) && n.variableDeclaration) bindingNames(n.variableDeclaration.name, names);
    ts.forEachChild(n, visit);
  };
  visit(scope);
  return names;
}

/**
 * Identifiers the call's arguments read (not property or key names), and whether they
 * include a nested call or await whose value may change each time (`q.pop()`).
 */
function argumentReads(top: ts.Node, dbNode: ts.Node): { names: Set<string>; dynamic: boolean } {
  const names = new Set<string>();
  let dynamic = false;
  const visit = (n: ts.Node, inArgs: boolean): void => {
    if (ts.isIdentifier(n)) {
      const p = n.parent;
      const isName = (ts.isPropertyAccessExpression(p) && p.name === n) || (ts.isPropertyAssignment(p) && p.name === n);
      if (!isName) names.add(n.text);
      return;
    }
    if (inArgs && (ts.isCallExpression(n) || ts.isNewExpression(n) || ts.isAwaitExpression(n)) && !isWithin(dbNode, n)) dynamic = true;
    if (ts.isCallExpression(n)) {
      visit(n.expression, inArgs);
      for (const a of n.arguments) visit(a, true);
      return;
    }
    if (ts.isTaggedTemplateExpression(n)) {
      visit(n.tag, inArgs);
      visit(n.template, true);
      return;
    }
    ts.forEachChild(n, (c) => visit(c, inArgs));
  };
  visit(top, false);
  return { names, dynamic };
}

function isWithin(inner: ts.Node, outer: ts.Node): boolean {
  return inner.pos >= outer.pos && inner.end <= outer.end && inner !== outer;
}

/** Names the call's result is stored in (`const { rows } = await …`, `page = await …`). */
function resultNames(top: ts.Node, scope: ts.Node): Set<string> {
  const names = new Set<string>();
  let n: ts.Node = top;
  while (n.parent && n !== scope) {
    const p = n.parent;
    if (ts.isVariableDeclaration(p) && p.initializer === n) {
      bindingNames(p.name, names);
      break;
    }
    if (ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.EqualsToken && p.right === n) {
      const l = unwrap(p.left);
      if (ts.isIdentifier(l)) names.add(l.text);
      else if (ts.isArrayLiteralExpression(l) || ts.isObjectLiteralExpression(l)) l.forEachChild((c) => ts.isIdentifier(c) && names.add(c.text));
      break;
    }
    if (ts.isStatement(p)) break;
    n = p;
  }
  return names;
}

function mentions(node: ts.Node, names: Set<string>): boolean {
  let hit = false;
  const visit = (n: ts.Node): void => {
    if (hit) return;
    if (ts.isIdentifier(n) && names.has(n.text) && !(ts.isPropertyAccessExpression(n.parent) && n.parent.name === n)) hit = true;
    else ts.forEachChild(n, visit);
  };
  visit(node);
  return hit;
}

/** Grows `names` with variables assigned (in the loop) from expressions that mention them. */
function derive(scope: ts.Node, names: Set<string>): void {
  for (let round = 0; round < 3; round++) {
    const before = names.size;
    const visit = (n: ts.Node): void => {
      if (ts.isVariableDeclaration(n) && n.initializer && mentions(n.initializer, names)) bindingNames(n.name, names);
      if (ts.isBinaryExpression(n) && ASSIGNMENT.has(n.operatorToken.kind) && ts.isIdentifier(unwrap(n.left)) && mentions(n.right, names)) names.add((unwrap(n.left) as ts.Identifier).text);
      ts.forEachChild(n, visit);
    };
    visit(scope);
    if (names.size === before) return;
  }
}

/** True when a statement leaves the loop (`break`, `return`, `throw`) directly or as its block's statement. */
function leaves(st: ts.Statement): boolean {
  if (ts.isBreakStatement(st) || ts.isReturnStatement(st) || ts.isThrowStatement(st)) return true;
  return ts.isBlock(st) && st.statements.some((s) => ts.isBreakStatement(s) || ts.isReturnStatement(s) || ts.isThrowStatement(s));
}

/** The expressions that decide whether the loop goes on: its condition and `if (…) break/return` tests. */
function exitTests(loop: ts.IterationStatement): ts.Expression[] {
  const tests: ts.Expression[] = [];
  if ((ts.isWhileStatement(loop) || ts.isDoStatement(loop)) && loop.expression.kind !== ts.SyntaxKind.TrueKeyword) tests.push(loop.expression);
  if (ts.isForStatement(loop) && loop.condition) tests.push(loop.condition);
  const visit = (n: ts.Node): void => {
    if (ts.isFunctionLike(n) || (ts.isIterationStatement(n, false) && n !== loop)) return;
    if (ts.isIfStatement(n) && (leaves(n.thenStatement) || (n.elseStatement && leaves(n.elseStatement)))) tests.push(n.expression);
    ts.forEachChild(n, visit);
  };
  visit(loop.statement);
  return tests;
}

/** The number of items of a literal list iterated by the loop, if it is one. */
function literalItems(loop: LoopContext): number | undefined {
  let iterated: ts.Expression | undefined;
  if (ts.isForOfStatement(loop.node)) iterated = loop.node.expression;
  else if (ts.isCallExpression(loop.node) && ts.isPropertyAccessExpression(unwrap(loop.node.expression))) iterated = (unwrap(loop.node.expression) as ts.PropertyAccessExpression).expression;
  if (!iterated) return undefined;
  let e = unwrap(iterated);
  if (ts.isIdentifier(e)) e = unwrap(resolveConst(e.text, e) ?? e);
  if (ts.isArrayLiteralExpression(e) && !e.elements.some((x) => ts.isSpreadElement(x))) return e.elements.length;
  return undefined;
}

/** True when the callback issues the Prisma call before any `await` (same tick as its siblings). */
function beforeFirstAwait(call: ts.Node, fn: ts.Node): boolean {
  let seen = false;
  const visit = (n: ts.Node): void => {
    if (seen || n.pos >= call.pos) return;
    if (ts.isAwaitExpression(n) && n.end <= call.pos) seen = true;
    else if (!ts.isFunctionLike(n) || n === fn) ts.forEachChild(n, visit);
  };
  visit(fn);
  return !seen;
}

/** Prisma batches `findUnique`/`findUniqueOrThrow` issued in the same tick: `Promise.all(xs.map((x) => prisma.t.findUnique(…)))`. */
function isPrismaSameTick(dbNode: ts.Node, family: string, loop: LoopContext, scope: ts.Node): boolean {
  if (family !== 'prisma' || !ts.isPropertyAccessExpression(dbNode) || !/^findUnique(OrThrow)?$/.test(dbNode.name.text)) return false;
  if (!ts.isCallExpression(loop.node) || !ts.isFunctionLike(scope)) return false;
  const callee = unwrap(loop.node.expression);
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'map') return false;
  let p: ts.Node = loop.node.parent;
  while (p && (ts.isParenthesizedExpression(p) || ts.isAsExpression(p))) p = p.parent;
  const inPromiseAll = ts.isCallExpression(p) && ts.isPropertyAccessExpression(p.expression) && lastName(p.expression.expression) === 'Promise' && /^(all|allSettled)$/.test(p.expression.name.text);
  return inPromiseAll && beforeFirstAwait(dbNode, scope);
}

/** Classifies the repetition of a database call (`dbNode` is the node the finding is reported on). */
export function loopShape(dbNode: ts.Node, family: string, loop: LoopContext): LoopShape {
  const scope = repeatedScope(loop);
  if (!scope) return { kind: 'per-item' };
  if (isPrismaSameTick(dbNode, family, loop, scope)) return { kind: 'prisma-batched' };
  const top = chainTop(dbNode);
  if (ts.isIterationStatement(loop.node, false) && !ts.isForOfStatement(loop.node) && !ts.isForInStatement(loop.node)) {
    const tests = exitTests(loop.node);
    // The call is itself the loop's test: `while ((await next()).length)`.
    if (tests.some((t) => isWithin(top, t) || t === top)) return { kind: 'batch' };
    const results = resultNames(top, loop.node);
    const reads = argumentReads(top, dbNode);
    // A walk up a tree: an argument of the query is re-assigned from the row's parent.
    if (isParentWalk(loop.node, reads.names, results, top)) return { kind: 'parent-walk' };
    if (results.size > 0) {
      derive(loop.node, results);
      if (tests.some((t) => mentions(t, results))) return { kind: 'batch' };
    }
  }
  const items = literalItems(loop);
  if (items !== undefined && items <= SMALL_LITERAL_LIST) return { kind: 'literal', items };
  const varying = varyingNames(scope);
  const reads = argumentReads(top, dbNode);
  if (!reads.dynamic && ![...reads.names].some((n) => varying.has(n))) return { kind: 'invariant' };
  return { kind: 'per-item' };
}

/** `while (id) { const row = await find(id); id = row.parentId; }` and its variations. */
function isParentWalk(loop: ts.IterationStatement, argNames: Set<string>, results: Set<string>, top: ts.Node): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found || ts.isFunctionLike(n)) return;
    if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(unwrap(n.left))) {
      const name = (unwrap(n.left) as ts.Identifier).text;
      if (argNames.has(name) && /parent|ancestor/i.test(n.right.getText()) && (results.size === 0 || mentions(n.right, results) || isWithin(top, n.right))) found = true;
    }
    ts.forEachChild(n, visit);
  };
  visit(loop.statement);
  return found;
}
