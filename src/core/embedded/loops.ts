/**
 * Decides whether a node runs once per item: inside the repeated part of a loop statement,
 * or inside a per-item callback (`forEach`, `map`, `flatMap`, `reduce`, `filter`, `some`,
 * `every`, lodash/p-map/Bluebird `map(items, fn)`, `Array.from(xs, fn)`) — within the same
 * function, or through callbacks handed to other calls (`.then`, `new Promise`,
 * `db.transaction(async tx => …)`), which run where they are passed.
 */
import ts = require('typescript');
import { lastName, shortText, unwrap } from './source';

/** The loop that repeats a node. */
export interface LoopContext {
  /** The loop statement, or the call that takes the per-item callback. */
  node: ts.Node;
  /** How the loop reads in a message: "the for…of loop over `orders` (line 12)". */
  description: string;
}

const ITERATION_METHODS = new Set(['forEach', 'map', 'flatMap', 'reduce', 'reduceRight', 'filter', 'some', 'every']);
/** `_.map(items, fn)`, `pMap(items, fn)`, `Promise.map(items, fn)`, `async.eachSeries(items, fn)`. */
const COLLECTION_FUNCTIONS = /^(map|forEach|each|flatMap|filter|reduce|some|every|mapSeries|mapLimit|eachSeries|eachLimit|pMap|pMapSeries|from)$/;
const COLLECTION_OWNERS = /^(_|lodash|Promise|Bluebird|async|Array|pMap)$/;

function isFunctionLike(n: ts.Node): n is ts.FunctionLikeDeclaration {
  return ts.isArrowFunction(n) || ts.isFunctionExpression(n) || ts.isFunctionDeclaration(n) || ts.isMethodDeclaration(n) ||
    ts.isConstructorDeclaration(n) || ts.isGetAccessorDeclaration(n) || ts.isSetAccessorDeclaration(n);
}

/** Climbs over parentheses/casts from a node to the node that consumes it. */
function consumer(n: ts.Node): { child: ts.Node; parent: ts.Node | undefined } {
  let child = n;
  let parent = n.parent;
  while (parent && (ts.isParenthesizedExpression(parent) || ts.isAsExpression(parent) || ts.isNonNullExpression(parent))) {
    child = parent;
    parent = parent.parent;
  }
  return { child, parent };
}

/**
 * If `fn` is the per-item callback of an iteration call, returns that call. `fnOrRef` may
 * also be a reference to a named function (`ids.map(loadUser)`).
 */
export function iterationCallOf(fnOrRef: ts.Node): ts.CallExpression | undefined {
  const { child, parent } = consumer(fnOrRef);
  if (!parent || !ts.isCallExpression(parent)) return undefined;
  const index = parent.arguments.indexOf(child as ts.Expression);
  if (index < 0) return undefined;
  const callee = unwrap(parent.expression);
  if (ts.isPropertyAccessExpression(callee)) {
    const name = callee.name.text;
    if (index === 0 && ITERATION_METHODS.has(name) && !COLLECTION_OWNERS.test(lastName(callee.expression) ?? '')) return parent;
    if (index >= 1 && COLLECTION_FUNCTIONS.test(name) && COLLECTION_OWNERS.test(lastName(callee.expression) ?? '')) return parent;
    return undefined;
  }
  if (ts.isIdentifier(callee) && index >= 1 && /^(pMap|pMapSeries|mapSeries|eachSeries|mapLimit|eachLimit)$/.test(callee.text)) return parent;
  return undefined;
}

/**
 * `prisma.$transaction(items.map(…))` hands Prisma a batch it sends in one transaction:
 * that is the recommended way to batch writes, not an N+1 loop.
 */
function isBatchedTransaction(iteration: ts.CallExpression): boolean {
  const { parent } = consumer(iteration);
  return !!parent && ts.isCallExpression(parent) && lastName(parent.expression) === '$transaction';
}

function lineOf(n: ts.Node, sf: ts.SourceFile): number {
  return sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1;
}

function describeCallback(call: ts.CallExpression, sf: ts.SourceFile): string {
  const callee = unwrap(call.expression);
  let what: string;
  if (ts.isPropertyAccessExpression(callee) && !COLLECTION_OWNERS.test(lastName(callee.expression) ?? '')) {
    what = `the \`${shortText(callee.expression, sf, 40)}.${callee.name.text}()\` callback`;
  } else {
    const over = call.arguments[0] ? shortText(call.arguments[0], sf, 40) : '…';
    what = `the \`${shortText(call.expression, sf, 40)}(${over}, …)\` callback`;
  }
  const { parent } = consumer(call);
  const inPromiseAll = !!parent && ts.isCallExpression(parent) && /^Promise\.(all|allSettled)$/.test(shortText(parent.expression, sf));
  return `${what} (line ${lineOf(call, sf)}${inPromiseAll ? '; Promise.all still sends one query per item' : ''})`;
}

function describeLoop(loop: ts.IterationStatement, sf: ts.SourceFile): string {
  const line = lineOf(loop, sf);
  if (ts.isForOfStatement(loop)) {
    return `the ${loop.awaitModifier ? 'for await…of' : 'for…of'} loop over \`${shortText(loop.expression, sf, 40)}\` (line ${line})`;
  }
  if (ts.isForInStatement(loop)) return `the for…in loop over \`${shortText(loop.expression, sf, 40)}\` (line ${line})`;
  if (ts.isForStatement(loop)) return `the for loop (line ${line})`;
  if (ts.isWhileStatement(loop)) return `the while loop (line ${line})`;
  return `the do…while loop (line ${line})`;
}

/** True when `child` is in the part of the loop that runs on every iteration. */
function isRepeatedPart(loop: ts.IterationStatement, child: ts.Node): boolean {
  if (child === loop.statement) return true;
  if (ts.isForStatement(loop)) return child === loop.condition || child === loop.incrementor;
  if (ts.isWhileStatement(loop) || ts.isDoStatement(loop)) return child === loop.expression;
  return false; // for…of / for…in: the iterated expression is evaluated once
}

/** A statement that leaves the loop (`break`, `return`, `throw`) — `break` only when it targets this loop. */
function exitsLoop(st: ts.Statement, breakTargetsLoop: boolean): boolean {
  if (ts.isReturnStatement(st) || ts.isThrowStatement(st)) return true;
  return ts.isBreakStatement(st) && !st.label && breakTargetsLoop;
}

/**
 * The innermost loop that repeats `node`, or undefined when it runs once per call of its
 * function. A query followed by `break`/`return` inside the loop (first match, retry until
 * success) runs once and is not reported.
 */
export function enclosingLoop(node: ts.Node, sf: ts.SourceFile): LoopContext | undefined {
  let child: ts.Node = node;
  let parent = node.parent;
  let leavesLoop = false;
  let breakTargetsLoop = true;
  while (parent) {
    if (isFunctionLike(parent)) {
      leavesLoop = false;
      breakTargetsLoop = true;
      const iteration = iterationCallOf(parent);
      if (iteration) {
        if (isBatchedTransaction(iteration)) return undefined;
        return { node: iteration, description: describeCallback(iteration, sf) };
      }
      // Callbacks handed to another call (then, new Promise, transaction(cb)) and IIFEs run
      // where they are written; a function stored for later, or declared, does not.
      const { child: c, parent: p } = consumer(parent);
      const passed = p && (ts.isCallExpression(p) || ts.isNewExpression(p)) && (p.arguments?.includes(c as ts.Expression) || (ts.isCallExpression(p) && p.expression === c));
      if (!passed) return undefined;
      child = p as ts.Node;
      parent = (p as ts.Node).parent;
      continue;
    }
    if (ts.isReturnStatement(parent) || ts.isThrowStatement(parent)) leavesLoop = true;
    if (ts.isSwitchStatement(parent)) breakTargetsLoop = false;
    if (ts.isBlock(parent) && ts.isStatement(child)) {
      const i = parent.statements.indexOf(child as ts.Statement);
      const rest = parent.statements.slice(i + 1);
      if (rest.some((st) => exitsLoop(st, breakTargetsLoop))) leavesLoop = true;
    }
    if (ts.isIterationStatement(parent, false) && isRepeatedPart(parent, child)) {
      if (leavesLoop) return undefined;
      return { node: parent, description: describeLoop(parent, sf) };
    }
    if (ts.isIterationStatement(parent, false)) {
      // Evaluated once before the loop starts (for…of's iterable, for's initializer).
      breakTargetsLoop = true;
    }
    child = parent;
    parent = parent.parent;
  }
  return undefined;
}
