/**
 * Finds N+1 query patterns in a parsed TS/JS source file: database calls (calls.ts) that run
 * once per item of a loop or per-item callback (loops.ts), directly or through one local
 * function. The rule's metadata and registration live in src/core/rules/n-plus-one.ts.
 */
import ts = require('typescript');
import { classifyCall, classifyTaggedTemplate, isInnerLink, withReceiverTypes, type DbCall } from './calls';
import type { Origin } from './provenance';
import { loopShape } from './loopShape';
import { enclosingLoop, iterationCallOf, type LoopContext } from './loops';
import { shortText, unwrap } from './source';

/** A finding of the n-plus-one rule, with offsets into the source text. */
export interface NPlusOneFinding {
  message: string;
  start: number;
  end: number;
  /** Set for repetitions reported below the rule's severity (a literal list of a few items). */
  severity?: 'info';
}

/**
 * The finding for a database call repeated by `loop`, or undefined when the repetition is
 * not N+1 (a batch/drain or retry loop, Prisma's same-tick batching). `what` names the call
 * as the message starts (`\`prisma.user.findUnique()\``), `advise` is the batching advice.
 */
function judge(what: string, dbNode: ts.Node, family: string, loop: LoopContext, reported: ts.Node, sf: ts.SourceFile, advise: string): NPlusOneFinding | undefined {
  const shape = loopShape(dbNode, family, loop);
  const at = { start: reported.getStart(sf), end: reported.end };
  switch (shape.kind) {
    case 'batch':
    case 'prisma-batched':
      return undefined;
    case 'parent-walk':
      return { ...at, message: `${what} runs once per level of the walk up a parent chain in ${loop.description}: one query per ancestor (N+1). Fetch the whole chain in one query with a recursive CTE (\`WITH RECURSIVE\` … \`UNION ALL\` joining each row to its parent).` };
    case 'literal':
      return { ...at, severity: 'info', message: `${what} runs once per item of a ${shape.items}-item literal list in ${loop.description}: ${shape.items} queries. Fine for a fixed handful; if the list grows, batch them. ${advise}` };
    case 'invariant':
      return { ...at, message: `${what} runs the same query on every iteration of ${loop.description}: its arguments do not change in the loop. Hoist it out of the loop and reuse the result.` };
    default:
      return { ...at, message: `${what} runs once per iteration of ${loop.description}: one query per item (N+1). ${advise}` };
  }
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
  /**
   * The type checker's origin of a receiver in `sf` (which must then be the Program's tree):
   * `db`/`other` decide, `unknown` falls back to provenance (typeReceivers.ts).
   */
  receiverTypes?(expr: ts.Expression): Origin;
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
  return withReceiverTypes(ctx.receiverTypes ? (e) => ctx.receiverTypes!(e) : undefined, () => findIn(sf, ctx));
}

function findIn(sf: ts.SourceFile, ctx: NPlusOneContext): NPlusOneFinding[] {
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
    const f = judge(`\`${shortText(node.expression, sf)}()\` queries the database (\`${label}\`) and`, node.expression, 'project', loop, node.expression, sf,
      'Add a batched variant that takes all the ids (`WHERE id = ANY($1)` / an IN list) and call it once.');
    if (f) findings.push(f);
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
    const f = judge(`\`${call.label}\``, call.node, call.family, loop, call.node, sf, advice(call));
    if (f) findings.push(f);
  }
  for (const { node, target } of localCalls) {
    const q = querying.get((target.method ? 'this.' : '') + target.name);
    if (!q || isInside(node, q.fn)) continue; // recursion, or the function's own body
    const loop = ts.isCallExpression(node) ? enclosingLoop(node, sf) : enclosingLoopOfReference(node, sf);
    if (!loop) continue;
    const callee = ts.isCallExpression(node) ? node.expression : node;
    const line = sf.getLineAndCharacterOfPosition(q.call.node.getStart(sf)).line + 1;
    const f = judge(`\`${shortText(callee, sf)}()\` queries the database (\`${q.call.label}\`, line ${line}) and`, callee, 'project', loop, callee, sf, advice(q.call));
    if (f) findings.push(f);
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
