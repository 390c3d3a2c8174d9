/**
 * Finds N+1 query patterns in a parsed TS/JS source file: database calls (calls.ts) that run
 * once per item of a loop or per-item callback (loops.ts), directly or through one local
 * function. The rule's metadata and registration live in src/core/rules/n-plus-one.ts.
 */
import ts = require('typescript');
import { classifyCall, classifyTaggedTemplate, isInnerLink, type DbCall } from './calls';
import { enclosingLoop, iterationCallOf } from './loops';
import { shortText, unwrap } from './source';

/** A finding of the n-plus-one rule, with offsets into the source text. */
export interface NPlusOneFinding {
  message: string;
  start: number;
  end: number;
}

/** Batching advice per API family; writes get bulk-write advice. */
function advice(call: DbCall): string {
  if (call.write) {
    switch (call.family) {
      case 'prisma': return 'Write them in one call: `createMany({ data: rows })` / `updateMany`, or one SQL statement with `= ANY($1)`.';
      case 'typeorm': return 'Write them in one call: `save(entities)` / `insert(rows)` with an array, or one `UPDATE … WHERE id IN (…)` via the query builder.';
      case 'sequelize': return 'Write them in one call: `bulkCreate(rows)`, or `update(values, { where: { id: ids } })`.';
      case 'mongoose': return 'Write them in one call: `insertMany(docs)` or `bulkWrite([...])`.';
      case 'knex': return 'Write them in one statement: `insert(rows)` with an array, or `whereIn(\'id\', ids).update(…)`.';
      default: return 'Write them in one statement: `INSERT … VALUES (…), (…)`, or `UPDATE … WHERE id = ANY($1)` with an array parameter.';
    }
  }
  switch (call.family) {
    case 'prisma': return 'Fetch them in one call: `findMany({ where: { id: { in: ids } } })`, or load the relation with `include`.';
    case 'typeorm': return 'Fetch them in one call: `findBy({ id: In(ids) })`, or load the relation with `relations` / a join in the query builder.';
    case 'sequelize': return 'Fetch them in one call: `findAll({ where: { id: ids } })` (an IN list), or eager-load with `include`.';
    case 'mongoose': return 'Fetch them in one call: `find({ _id: { $in: ids } })`, or use `populate`.';
    case 'knex': return 'Fetch them in one query: `whereIn(\'id\', ids)`, or a join.';
    case 'kysely': return 'Fetch them in one query: `where(\'id\', \'in\', ids)`, or a join.';
    case 'drizzle': return 'Fetch them in one query: `where(inArray(table.id, ids))`, or a relational query `with: {…}`.';
    case 'orm': return 'Fetch them in one query with an IN list (`where: { id: ids }` / `In(ids)` / `$in`), or eager-load the relation.';
    default: return 'Fetch them in one query: `WHERE id = ANY($1)` with an array parameter (PostgreSQL) or `WHERE id IN (…)`, or JOIN the related table.';
  }
}

/** A named function in the file whose body queries the database (for one level of indirection). */
interface QueryingFunction {
  fn: ts.Node;
  call: DbCall;
}

/** The name a function can be called by (`load` for `function load`, `const load = …`, method `load`). */
function functionName(fn: ts.Node): { name: string; method: boolean } | undefined {
  if (ts.isFunctionDeclaration(fn) && fn.name) return { name: fn.name.text, method: false };
  if (ts.isMethodDeclaration(fn) && (ts.isIdentifier(fn.name) || ts.isPrivateIdentifier(fn.name))) return { name: fn.name.text, method: true };
  if ((ts.isArrowFunction(fn) || ts.isFunctionExpression(fn))) {
    const p = fn.parent;
    if (ts.isVariableDeclaration(p) && ts.isIdentifier(p.name) && p.initializer === fn) return { name: p.name.text, method: false };
    if (ts.isPropertyDeclaration(p) && ts.isIdentifier(p.name) && p.initializer === fn) return { name: p.name.text, method: true };
  }
  return undefined;
}

/** The nearest enclosing named function of a node (anonymous callbacks are transparent). */
function namedFunctionOf(node: ts.Node): ts.Node | undefined {
  for (let p = node.parent; p; p = p.parent) {
    if ((ts.isFunctionDeclaration(p) || ts.isMethodDeclaration(p) || ts.isArrowFunction(p) || ts.isFunctionExpression(p)) && functionName(p)) return p;
  }
  return undefined;
}

/** Local callee of a call: `load(x)` → function `load`, `this.load(x)` → method `load`. */
function localCallee(e: ts.Expression): { name: string; method: boolean } | undefined {
  const c = unwrap(e);
  if (ts.isIdentifier(c)) return { name: c.text, method: false };
  if (ts.isPropertyAccessExpression(c) && c.expression.kind === ts.SyntaxKind.ThisKeyword) return { name: c.name.text, method: true };
  return undefined;
}

function isInside(node: ts.Node, container: ts.Node): boolean {
  return node.pos >= container.pos && node.end <= container.end;
}

/** Knowledge from beyond the file: project functions (in other files) that query. */
export interface NPlusOneContext {
  queryingLabel?(ref: { root: string; members: string[] }): string | undefined;
}

/** `load` → root `load`; `users.load` → root `users`, members `[load]`. */
function refOf(e: ts.Expression): { root: string; members: string[] } | undefined {
  const members: string[] = [];
  let x = unwrap(e);
  while (ts.isPropertyAccessExpression(x)) {
    members.unshift(x.name.text);
    x = unwrap(x.expression);
  }
  return ts.isIdentifier(x) ? { root: x.text, members } : undefined;
}

/** Finds every N+1 pattern in a parsed source file. */
export function findNPlusOne(sf: ts.SourceFile, ctx: NPlusOneContext = {}): NPlusOneFinding[] {
  const calls: DbCall[] = [];
  const crossFile: { node: ts.CallExpression; label: string }[] = [];
  const localNames = declaredFunctionNames(sf);
  const localCalls: { node: ts.Node; target: { name: string; method: boolean } }[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      if (!isInnerLink(node)) {
        const hit = classifyCall(node, sf);
        if (hit) calls.push(hit);
        else if (ctx.queryingLabel) {
          // A project function from another file that queries (`await loadUser(id)`).
          const ref = refOf(node.expression);
          const label = ref && !(ref.members.length === 0 && localNames.has(ref.root)) ? ctx.queryingLabel(ref) : undefined;
          if (label) crossFile.push({ node, label });
        }
      }
      const target = localCallee(node.expression);
      if (target) localCalls.push({ node, target });
      // `ids.map(loadUser)`: a named function passed as the per-item callback.
      for (const arg of node.arguments) {
        const ref = localCallee(arg);
        if (ref && iterationCallOf(arg)) localCalls.push({ node: arg, target: ref });
      }
    } else if (ts.isTaggedTemplateExpression(node)) {
      const hit = classifyTaggedTemplate(node, sf);
      if (hit) calls.push(hit);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);

  const findings: NPlusOneFinding[] = [];
  for (const { node, label } of crossFile) {
    const loop = enclosingLoop(node, sf);
    if (!loop) continue;
    findings.push({
      message: `\`${shortText(node.expression, sf)}()\` queries the database (\`${label}\`) and runs once per iteration of ${loop.description}: one query per item (N+1). Add a batched variant that takes all the ids (\`WHERE id = ANY($1)\` / an IN list) and call it once.`,
      start: node.expression.getStart(sf),
      end: node.expression.end,
    });
  }
  const querying = new Map<string, QueryingFunction>();
  for (const call of calls) {
    const fn = namedFunctionOf(call.node);
    const named = fn && functionName(fn);
    if (named) {
      const key = (named.method ? 'this.' : '') + named.name;
      if (!querying.has(key)) querying.set(key, { fn: fn!, call });
    }
    const loop = enclosingLoop(call.node, sf);
    if (!loop) continue;
    findings.push({
      message: `\`${call.label}\` runs once per iteration of ${loop.description}: one query per item (N+1). ${advice(call)}`,
      start: call.node.getStart(sf),
      end: call.node.end,
    });
  }
  for (const { node, target } of localCalls) {
    const q = querying.get((target.method ? 'this.' : '') + target.name);
    if (!q || isInside(node, q.fn)) continue; // recursion, or the function's own body
    const loop = ts.isCallExpression(node) ? enclosingLoop(node, sf) : enclosingLoopOfReference(node, sf);
    if (!loop) continue;
    const callee = ts.isCallExpression(node) ? node.expression : node;
    const line = sf.getLineAndCharacterOfPosition(q.call.node.getStart(sf)).line + 1;
    findings.push({
      message: `\`${shortText(callee, sf)}()\` queries the database (\`${q.call.label}\`, line ${line}) and runs once per iteration of ${loop.description}: one query per item (N+1). ${advice(q.call)}`,
      start: callee.getStart(sf),
      end: callee.end,
    });
  }
  findings.sort((a, b) => a.start - b.start);
  return findings;
}

/** For `ids.map(loadUser)`: the iteration call itself is the loop. */
function enclosingLoopOfReference(ref: ts.Node, sf: ts.SourceFile) {
  const iteration = iterationCallOf(ref);
  if (!iteration) return undefined;
  const line = sf.getLineAndCharacterOfPosition(iteration.getStart(sf)).line + 1;
  return { node: iteration, description: `\`${shortText(iteration.expression, sf, 40)}()\` (line ${line})` };
}


/** Names of functions declared at the top of the file (local callees are handled in-file). */
function declaredFunctionNames(sf: ts.SourceFile): Set<string> {
  const names = new Set<string>();
  for (const st of sf.statements) {
    if (ts.isFunctionDeclaration(st) && st.name) names.add(st.name.text);
    if (ts.isVariableStatement(st)) for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name) && d.initializer && (ts.isArrowFunction(d.initializer) || ts.isFunctionExpression(d.initializer))) names.add(d.name.text);
  }
  return names;
}
