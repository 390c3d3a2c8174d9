/**
 * Recognises calls that hit the database — driver queries, ORM finders/aggregates/mutations,
 * executed query builders — from call shapes and names alone (no type checker; see apis.ts).
 *
 * Heuristics, in order of the families:
 * - driver: `x.query(…)`/`x.execute(…)` with SQL text, a `{ text|sql }` object, a sql`…`
 *   argument, or a receiver named like a handle (`pool`, `client`, `conn`, `db`, `*Pool`…);
 *   Apollo-style `client.query({ query })` is excluded. `$queryRawUnsafe` and friends.
 *   sqlite: `db.get/all/run/each(sql)`; `db.prepare(sql).get(…)` and statements held in a
 *   `const stmt = db.prepare(…)`.
 * - ORM operations: distinctive finder names (`findUnique`, `findMany`, `findByPk`,
 *   `findOneBy`, `countDocuments`…) on any receiver but `this`; generic names (`find`,
 *   `findOne`, `create`, `update`, `count`, `save`…) only on a handle-like receiver
 *   (`userRepository`, `manager`, `prisma.user`, `getRepository(User)`) or a PascalCase model
 *   (`User.findOne`), never with a callback argument (that is `Array.prototype.find`).
 * - instance operations (`order.save()`, Sequelize association accessors such as
 *   `order.getItems()`): only when the promise is awaited/returned, on a plain variable.
 * - builders (Knex `knex('t')…`, Kysely `db.selectFrom(…)…execute()`, Drizzle
 *   `db.select().from(t)…`, TypeORM `createQueryBuilder()…getMany()`): only when executed —
 *   awaited, returned, `.then`-ed, or ended by an executor method; a builder passed as a
 *   sub-query argument is not a round trip.
 * - sql`…` tagged templates (postgres.js, Prisma `$queryRaw`) when executed, and slonik-style
 *   `pool.any(sql`…`)` calls.
 */
import ts = require('typescript');
import { isDbReceiverName, looksLikeStatement, sqlTagName, type ApiFamily } from './apis';
import { originOf, type Origin } from './provenance';
import { lastName, resolveConst, shortText, unwrap } from './source';

/** Nesting of provenance questions (a receiver traced to a call whose receiver is traced…). */
let originDepth = 0;

/** The type checker's answer for receivers, while the N+1 rule runs on a Program's tree (typeReceivers.ts). */
let activeTypes: ((expr: ts.Expression) => Origin) | undefined;

/** Runs `run` with receivers judged by their types first (`types` must belong to the tree being classified). */
export function withReceiverTypes<T>(types: ((expr: ts.Expression) => Origin) | undefined, run: () => T): T {
  const previous = activeTypes;
  activeTypes = types;
  try {
    return run();
  } finally {
    activeTypes = previous;
  }
}

/** The receiver's origin by its type: `unknown` without type information, for `any` and for the project's own types. */
function typedOrigin(receiver: ts.Expression): Origin {
  return activeTypes && receiver.kind !== ts.SyntaxKind.ThisKeyword ? activeTypes(receiver) : 'unknown';
}

/** Where a receiver's value comes from: its type when known, else provenance (provenance.ts); `unknown` when the trail is too long. */
function receiverOrigin(receiver: ts.Expression, sf: ts.SourceFile): Origin {
  const typed = typedOrigin(receiver);
  if (typed !== 'unknown') return typed;
  if (originDepth > 4) return 'unknown';
  originDepth++;
  try {
    return originOf(receiver, (c) => classifyCall(c, sf) !== undefined);
  } finally {
    originDepth--;
  }
}

/** A database round trip found in source. */
export interface DbCall {
  /** The node whose range is reported. */
  node: ts.Node;
  /** How the call reads in a message (`prisma.user.findUnique()`). */
  label: string;
  family: ApiFamily | 'orm';
  /** True for inserts/updates/deletes (the batching advice differs). */
  write: boolean;
}

const PRISMA_OPS = new Set([
  'findUnique', 'findUniqueOrThrow', 'findFirst', 'findFirstOrThrow', 'findMany', 'create', 'createMany',
  'createManyAndReturn', 'update', 'updateMany', 'updateManyAndReturn', 'upsert', 'delete', 'deleteMany',
  'count', 'aggregate', 'groupBy',
]);

/** Finder/mutation names no in-memory collection uses: recognised on any receiver but `this`. */
const DISTINCTIVE_OPS = new Set([
  // Prisma
  'findUnique', 'findUniqueOrThrow', 'findFirst', 'findFirstOrThrow', 'findMany', 'createMany',
  'createManyAndReturn', 'updateMany', 'updateManyAndReturn', 'deleteMany', 'upsert', 'groupBy',
  // TypeORM
  'findOneBy', 'findBy', 'findOneOrFail', 'findOneByOrFail', 'findAndCount', 'findAndCountBy', 'findByIds',
  'countBy', 'existsBy', 'softDelete',
  // Sequelize
  'findAll', 'findByPk', 'findOrCreate', 'findAndCountAll', 'findCreateFind', 'bulkCreate',
  // Mongoose / MongoDB
  'findById', 'findOneAndUpdate', 'findByIdAndUpdate', 'findOneAndDelete', 'findByIdAndDelete',
  'findOneAndReplace', 'findByIdAndRemove', 'findOneAndRemove', 'updateOne', 'deleteOne', 'countDocuments',
  'estimatedDocumentCount', 'insertMany', 'insertOne', 'replaceOne', 'bulkWrite',
]);

/** Names shared with everyday objects: recognised only on handle-like or model receivers. */
const GENERIC_OPS = new Set([
  'find', 'findOne', 'create', 'update', 'delete', 'destroy', 'remove', 'save', 'insert', 'count', 'exists',
  'exist', 'sum', 'average', 'minimum', 'maximum', 'max', 'min', 'increment', 'decrement', 'restore',
  'softRemove', 'preload', 'aggregate', 'distinct', 'upsert', 'findOneAndUpdate',
]);

const WRITE_OPS = /^(create|insert|update|upsert|delete|destroy|remove|save|softDelete|softRemove|restore|increment|decrement|bulk|replace|set|add)/;

/** Operations on a loaded entity/document (`order.save()`), recognised only when awaited. */
const INSTANCE_OPS = new Set(['save', 'reload', 'destroy', 'update', 'increment', 'decrement', 'remove', 'softRemove', 'populate']);

/** Sequelize association accessors: `order.getItems()`, `user.countPosts()`, `post.setTags(t)`. */
const ASSOCIATION_ACCESSOR = /^(get|count|has|set|add|remove|create)[A-Z][A-Za-z0-9]*$/;
/** Accessor-shaped names that are everyday non-database APIs. */
const NOT_ASSOCIATION = new Set([
  'getItem', 'setItem', 'removeItem', 'getReader', 'getWriter', 'getObject', 'getSignedUrl', 'getConnection',
  'getRepository', 'getManager', 'getClient', 'getSession', 'getToken', 'getTime', 'getDate', 'getAttribute',
  'setAttribute', 'removeAttribute', 'hasAttribute', 'getElementById', 'getContext', 'getBoundingClientRect',
  'getHeader', 'setHeader', 'removeHeader', 'hasHeader', 'getConfig', 'getValue', 'setValue', 'getState',
  'setState', 'addEventListener', 'removeEventListener', 'addListener', 'removeListener', 'getByRole',
  'getByText', 'getByTestId', 'getByLabel', 'getCustomRepository', 'setTimeout', 'getFullYear', 'setDate',
  'getMonth', 'getDay', 'getHours', 'getMinutes', 'getSeconds', 'getTimezoneOffset', 'hasOwnProperty',
  'getOwnPropertyNames', 'getPrototypeOf', 'setPrototypeOf', 'getTracks', 'addTrack', 'getUserMedia',
  'getFile', 'getFileHandle', 'getDirectoryHandle', 'getRandomValues', 'getEntries', 'getEntriesByName',
]);
/** Receivers of accessor-shaped calls that are services or SDKs, not entities. */
const SERVICE_RECEIVER = /(service|api|client|sdk|provider|auth|firebase|supabase|stripe|octokit|github|http|cache|redis|storage|s3|bucket|store|queue|logger|config|router|app|page|browser|context|request|response|req|res|window|document|element|map|set)$/i;

/** Builders' first methods on a database handle (Knex, Kysely, Drizzle, TypeORM). */
const BUILDER_STARTS = new Set([
  'select', 'selectFrom', 'selectDistinct', 'selectNoFrom', 'insertInto', 'insert', 'updateTable', 'update',
  'deleteFrom', 'delete', 'del', 'from', 'table', 'into', 'with', 'withRecursive', 'replaceInto', 'mergeInto',
  'createQueryBuilder', 'queryBuilder', 'count', 'first', 'where', 'query',
]);
/** Methods that run a builder. */
const EXECUTORS = new Set([
  'execute', 'executeTakeFirst', 'executeTakeFirstOrThrow', 'getMany', 'getOne', 'getOneOrFail', 'getRawMany',
  'getRawOne', 'getCount', 'getManyAndCount', 'getRawAndEntities', 'getExists', 'stream', 'then', 'first',
  'pluck', 'all', 'get', 'run', 'iterate', 'values',
]);
/** slonik query methods taking a sql`…` argument. */
const SLONIK_METHODS = new Set(['query', 'one', 'oneFirst', 'many', 'manyFirst', 'maybeOne', 'maybeOneFirst', 'any', 'anyFirst', 'exists', 'execute', 'stream', 'copyFromBinary']);

/** JS/TS globals whose statics look like model statics (`Object.create`, `Math.max`). */
const NOT_MODELS = new Set([
  'Object', 'Array', 'Promise', 'Math', 'JSON', 'Date', 'Number', 'String', 'Boolean', 'Symbol', 'Map', 'Set',
  'WeakMap', 'WeakSet', 'Reflect', 'Proxy', 'Intl', 'BigInt', 'Buffer', 'URL', 'Error', 'RegExp', 'Atomics',
  'Function', 'Crypto', 'Event', 'React', 'ReactDOM', 'Vue', 'Immutable', 'List', 'Collection', 'Stream',
  'Observable', 'Rx', 'Lodash', 'R', 'Enumerable', 'Iterator', 'Temporal', 'Uint8Array', 'ArrayBuffer',
]);

/** True when the node's value is consumed as a promise that runs: awaited, returned, then-ed. */
export function isExecuted(node: ts.Node): boolean {
  let n: ts.Node = node;
  let p = n.parent;
  while (p && (ts.isParenthesizedExpression(p) || ts.isAsExpression(p) || ts.isNonNullExpression(p))) {
    n = p;
    p = p.parent;
  }
  if (!p) return false;
  if (ts.isAwaitExpression(p) || ts.isYieldExpression(p) || ts.isReturnStatement(p)) return true;
  if (ts.isArrowFunction(p) && p.body === n) return true;
  if (ts.isPropertyAccessExpression(p) && /^(then|catch|finally)$/.test(p.name.text) && ts.isCallExpression(p.parent)) return true;
  if (ts.isArrayLiteralExpression(p) || ts.isCallExpression(p)) {
    // Promise.all([a, b]) / Promise.all(list) runs them.
    const call = ts.isCallExpression(p) ? p : p.parent;
    if (call && ts.isCallExpression(call) && ts.isPropertyAccessExpression(call.expression) &&
        lastName(call.expression.expression) === 'Promise' && /^(all|allSettled|race|any)$/.test(call.expression.name.text)) {
      return true;
    }
  }
  return false;
}

/** True when the node is the operand of `await` (through parentheses). */
function isAwaited(node: ts.Node): boolean {
  let p = node.parent;
  while (p && (ts.isParenthesizedExpression(p) || ts.isAsExpression(p) || ts.isNonNullExpression(p))) p = p.parent;
  return !!p && ts.isAwaitExpression(p);
}

/** Calls of a method chain from the outermost inwards: `a.b().c()` → [c(), b()]. */
function chainLinks(call: ts.CallExpression): ts.CallExpression[] {
  const links: ts.CallExpression[] = [];
  let cur: ts.Expression = call;
  for (;;) {
    const u = unwrap(cur);
    if (!ts.isCallExpression(u)) break;
    links.push(u);
    const callee = unwrap(u.expression);
    if (!ts.isPropertyAccessExpression(callee)) break;
    cur = callee.expression;
  }
  return links;
}

/** True when the call is an inner link of a longer chain (`x.a()` in `x.a().b()`). */
export function isInnerLink(call: ts.CallExpression): boolean {
  let n: ts.Node = call;
  let p = n.parent;
  while (p && (ts.isParenthesizedExpression(p) || ts.isNonNullExpression(p))) {
    n = p;
    p = p.parent;
  }
  return !!p && ts.isPropertyAccessExpression(p) && p.expression === n && !!p.parent && ts.isCallExpression(p.parent) && p.parent.expression === p;
}

function methodOf(call: ts.CallExpression): { name: string; receiver: ts.Expression } | undefined {
  const callee = unwrap(call.expression);
  if (ts.isPropertyAccessExpression(callee)) return { name: callee.name.text, receiver: unwrap(callee.expression) };
  return undefined;
}

function isPascalModel(e: ts.Expression): boolean {
  return ts.isIdentifier(e) && /^[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*)*$/.test(e.text) && e.text.length > 1 && !NOT_MODELS.has(e.text);
}

function isFunctionArg(e: ts.Expression | undefined): boolean {
  return !!e && (ts.isArrowFunction(unwrap(e)) || ts.isFunctionExpression(unwrap(e)));
}

/** `getRepository(User)`, `ds.getRepository(User)`, `manager.withRepository(r)`. */
function isRepositoryCall(e: ts.Expression): boolean {
  return ts.isCallExpression(e) && /^(getRepository|getCustomRepository|getTreeRepository|getMongoRepository|withRepository)$/.test(lastName(e.expression) ?? '');
}

/** MongoDB driver `db.collection('users')`. */
function isCollectionCall(e: ts.Expression): boolean {
  return ts.isCallExpression(e) && lastName(e.expression) === 'collection';
}

/** Prisma-style `A.model` receiver where A is a client handle (`prisma.user`, `tx.order`, `this.prisma.user`). */
function isPrismaDelegate(recv: ts.Expression): boolean {
  if (!ts.isPropertyAccessExpression(recv)) return false;
  const client = unwrap(recv.expression);
  const name = lastName(client);
  if (!name || !/^[a-z]/.test(recv.name.text)) return false;
  if (/prisma/i.test(name) || name === 'tx' || name === 'db' || name === 'client' || name === 'trx') return true;
  // Drizzle relational queries: db.query.users.findFirst()
  return name === 'query' && ts.isPropertyAccessExpression(client) && isDbReceiverName(lastName(client.expression));
}

function familyOfStatic(op: string): ApiFamily | 'orm' {
  if (/^(findAll|findByPk|findOrCreate|findAndCountAll|findCreateFind|bulkCreate|destroy)$/.test(op)) return 'sequelize';
  if (/^(findById|findOneAnd|findByIdAnd|countDocuments|estimatedDocumentCount|updateOne|deleteOne|insertMany|insertOne|replaceOne|bulkWrite)/.test(op)) return 'mongoose';
  if (/^(findOneBy|findBy|findOneOrFail|findOneByOrFail|findAndCount|findByIds|countBy|existsBy|softDelete)/.test(op)) return 'typeorm';
  return 'orm';
}

function sqlArgIsStatement(arg: ts.Expression | undefined): boolean {
  if (!arg) return false;
  let a = unwrap(arg);
  if (ts.isIdentifier(a)) a = resolveConst(a.text, a) ?? a;
  a = unwrap(a);
  if (ts.isStringLiteral(a) || ts.isNoSubstitutionTemplateLiteral(a)) return looksLikeStatement(a.text);
  if (ts.isTemplateExpression(a)) return looksLikeStatement(a.head.text);
  if (ts.isBinaryExpression(a)) {
    let left: ts.Expression = a;
    while (ts.isBinaryExpression(left)) left = unwrap(left.left);
    return (ts.isStringLiteral(left) || ts.isNoSubstitutionTemplateLiteral(left)) && looksLikeStatement(left.text);
  }
  return false;
}

function isSqlTagged(arg: ts.Expression | undefined): boolean {
  if (!arg) return false;
  const a = unwrap(arg);
  return ts.isTaggedTemplateExpression(a) && sqlTagName(a.tag) !== undefined;
}

/** True when `e` is a prepared sqlite statement: `db.prepare(…)` or a const holding one. */
function isPreparedStatement(e: ts.Expression): boolean {
  let x = unwrap(e);
  if (ts.isIdentifier(x)) x = unwrap(resolveConst(x.text, x) ?? x);
  return ts.isCallExpression(x) && lastName(x.expression) === 'prepare' && ts.isPropertyAccessExpression(unwrap(x.expression));
}

/** Classifies one link of a chain on its own (a direct operation). */
function classifyLink(call: ts.CallExpression, sf: ts.SourceFile, outer: ts.CallExpression): DbCall | undefined {
  const m = methodOf(call);
  if (!m) return undefined;
  const { name, receiver } = m;
  const recvName = lastName(receiver);
  const arg0 = call.arguments[0] ? unwrap(call.arguments[0]) : undefined;
  // The label costs a getText: built only for a hit.
  const at = (family: DbCall['family'], write = WRITE_OPS.test(name)): DbCall => ({ node: call.expression, label: `${shortText(call.expression, sf)}()`, family, write });
  const isThis = receiver.kind === ts.SyntaxKind.ThisKeyword;

  // Drivers: query/execute.
  if (name === 'query' || name === 'execute') {
    if (!arg0) return undefined; // builder executors, handled as chains
    if (ts.isObjectLiteralExpression(arg0)) {
      const keys = arg0.properties.map((p) => (p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) ? p.name.text : ''));
      if (keys.includes('text') || keys.includes('sql')) return at('driver', false);
      return undefined; // Apollo/GraphQL `client.query({ query })`
    }
    if (isSqlTagged(arg0) || sqlArgIsStatement(arg0)) return at(/manager|repo|datasource|queryrunner/i.test(recvName ?? '') ? 'typeorm' : recvName === 'sequelize' ? 'sequelize' : 'driver', /^\s*(insert|update|delete)/i.test(ts.isStringLiteralLike(arg0) ? arg0.text : ''));
    if (isDbReceiverName(recvName) && receiverOrigin(receiver, sf) !== 'other') return at('driver', false);
    // `runner.query(text)` with `runner: PoolClient`: the type says it is a driver, whatever its name.
    if (typedOrigin(receiver) === 'db') return at('driver', false);
    return undefined;
  }
  if (name === '$queryRawUnsafe' || name === '$executeRawUnsafe' || name === '$queryRaw' || name === '$executeRaw') {
    return at('prisma', name.startsWith('$execute'));
  }
  if (name === 'unsafe' && recvName === 'sql') return at('tagged', false);
  // knex.raw is also the fragment helper (`knex.raw('??', [col])`): a round trip only when it
  // holds a statement or is awaited right there.
  if (name === 'raw' && isDbReceiverName(recvName) && call === outer && isExecuted(call) && (sqlArgIsStatement(arg0) || isAwaited(call))) {
    return at('knex', false);
  }
  if (SLONIK_METHODS.has(name) && isSqlTagged(arg0) && isDbReceiverName(recvName)) return at('tagged', false);
  // sqlite: db.get(sql), db.prepare(sql).get(x), stmt.all()
  if (/^(get|all|run|each|iterate)$/.test(name)) {
    if (isPreparedStatement(receiver)) return at('sqlite', name === 'run');
    if (isDbReceiverName(recvName) && arg0 && sqlArgIsStatement(arg0)) return at('sqlite', name === 'run');
    return undefined;
  }

  // ORM operations.
  if (isFunctionArg(arg0)) return undefined; // items.find(x => …), list.count(fn)
  if (PRISMA_OPS.has(name) && isPrismaDelegate(receiver)) return at('prisma');
  // Receiver provenance: `pdfDoc.save()` after `PDFDocument.load(…)` is not a database call.
  const origin = (GENERIC_OPS.has(name) || DISTINCTIVE_OPS.has(name) || INSTANCE_OPS.has(name) || ASSOCIATION_ACCESSOR.test(name)) && !isThis ? receiverOrigin(receiver, sf) : 'unknown';
  if (origin === 'other') return undefined;
  // The type says database client/ORM (`store: Repository<User>`, `tx: Prisma.TransactionClient`):
  // an operation on it is a round trip whatever the receiver is called.
  if (!isThis && (DISTINCTIVE_OPS.has(name) || GENERIC_OPS.has(name) || PRISMA_OPS.has(name)) && typedOrigin(receiver) === 'db') {
    if (isCollectionCall(receiver)) return at('mongoose');
    return at(/repo|manager|^em$/i.test(recvName ?? '') || isRepositoryCall(receiver) ? 'typeorm' : familyOfStatic(name));
  }
  if (DISTINCTIVE_OPS.has(name) && !isThis) {
    if (isRepositoryCall(receiver) || /repo|manager|^em$/i.test(recvName ?? '')) return at('typeorm');
    if (isCollectionCall(receiver)) return at('mongoose');
    return at(familyOfStatic(name));
  }
  if (GENERIC_OPS.has(name) && !isThis) {
    if (isRepositoryCall(receiver)) return at('typeorm');
    if (isCollectionCall(receiver)) return at('mongoose');
    if (isDbReceiverName(recvName)) return at(/repo|manager|^em$/i.test(recvName ?? '') ? 'typeorm' : 'orm');
    if (isPascalModel(receiver)) return at(familyOfStatic(name));
    // db.user.create(…) on a Prisma-like client not named prisma
    if (ts.isPropertyAccessExpression(receiver) && isDbReceiverName(lastName(receiver.expression)) && /^[a-z]/.test(receiver.name.text)) {
      return at('prisma');
    }
  }
  // Instance operations on a loaded entity, only when the promise runs.
  if ((INSTANCE_OPS.has(name) || (ASSOCIATION_ACCESSOR.test(name) && !NOT_ASSOCIATION.has(name))) && !isThis && call === outer && isExecuted(call)) {
    // A value a query returned: `(await User.findByPk(id)).save()`, `for (const o of await Order.findAll())`.
    if (origin === 'db' && !ts.isCallExpression(receiver)) {
      if (INSTANCE_OPS.has(name)) return at('orm', name !== 'reload' && name !== 'populate');
      return at('sequelize', !/^(get|count|has)/.test(name));
    }
    // `shapes.forEach((s) => s.remove())`: a synchronous callback whose promise nobody
    // awaits is DOM/canvas clean-up far more often than an unawaited ORM write.
    if (INSTANCE_OPS.has(name) && isSyncConciseBody(call)) return undefined;
    const root = chainRoot(receiver);
    if (!root || !ts.isIdentifier(root) || /^[A-Z]/.test(root.text)) return undefined;
    if (SERVICE_RECEIVER.test(recvName ?? '') || isDbReceiverName(recvName) || SERVICE_RECEIVER.test(root.text)) return undefined;
    if (call.arguments.length > 1) return undefined;
    if (INSTANCE_OPS.has(name)) return at('orm', name !== 'reload' && name !== 'populate');
    return at('sequelize', !/^(get|count|has)/.test(name));
  }
  return undefined;
}

/** True when the call is the whole body of a non-async arrow function (`(x) => x.remove()`). */
function isSyncConciseBody(call: ts.CallExpression): boolean {
  let n: ts.Node = call;
  while (n.parent && ts.isParenthesizedExpression(n.parent)) n = n.parent;
  const p = n.parent;
  return !!p && ts.isArrowFunction(p) && p.body === n && !p.modifiers?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword);
}

/** Innermost expression of a property/call chain (`order` in `order.items.get()`). */
function chainRoot(e: ts.Expression): ts.Expression | undefined {
  let x = unwrap(e);
  for (;;) {
    if (ts.isPropertyAccessExpression(x) || ts.isElementAccessExpression(x)) x = unwrap(x.expression);
    else if (ts.isCallExpression(x)) x = unwrap(x.expression);
    else return x;
  }
}

/** Family of a builder chain from its innermost call, or undefined when it is not a builder. */
function builderFamily(innermost: ts.CallExpression): DbCall['family'] | undefined {
  const callee = unwrap(innermost.expression);
  const a0 = innermost.arguments[0] ? unwrap(innermost.arguments[0]) : undefined;
  // knex('users'), db('users'), this.knex('users'), trx('users')
  if ((ts.isIdentifier(callee) || ts.isPropertyAccessExpression(callee)) && a0 && ts.isStringLiteralLike(a0)) {
    const n = lastName(callee);
    if (n && (isDbReceiverName(n) || /^knex$/i.test(n))) return 'knex';
  }
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const m = callee.name.text;
  const recv = unwrap(callee.expression);
  const recvName = lastName(recv);
  if (m === 'createQueryBuilder') return 'typeorm';
  if (m === 'query' && isPascalModel(recv)) return 'orm'; // Objection: Person.query()…
  if (!BUILDER_STARTS.has(m) || !isDbReceiverName(recvName)) return undefined;
  if (/^(selectFrom|insertInto|updateTable|deleteFrom|replaceInto|mergeInto|selectNoFrom)$/.test(m)) return 'kysely';
  if (m === 'query') return undefined; // db.query(sql) is a driver call, handled directly
  return tableArgumentStyle(innermost);
}

/** Drizzle passes table objects (`from(users)`), Knex strings (`from('users')`). */
function tableArgumentStyle(innermost: ts.CallExpression): 'knex' | 'drizzle' {
  let node: ts.Node = innermost;
  for (;;) {
    if (ts.isCallExpression(node)) {
      const a0 = node.arguments[0] ? unwrap(node.arguments[0]) : undefined;
      if (a0 && ts.isStringLiteralLike(a0)) return 'knex';
      if (a0 && (ts.isIdentifier(a0) || ts.isPropertyAccessExpression(a0))) return 'drizzle';
    }
    const p = node.parent;
    if (!p || !(ts.isPropertyAccessExpression(p) || ts.isCallExpression(p))) return 'knex';
    if (ts.isCallExpression(p) && p.expression !== node) return 'knex';
    node = p;
  }
}

/**
 * Classifies the outermost call of a chain (inner links are covered by their outer call).
 * Returns undefined when no link of the chain reaches the database.
 */
export function classifyCall(call: ts.CallExpression, sf: ts.SourceFile): DbCall | undefined {
  const links = chainLinks(call);
  for (let i = links.length - 1; i >= 0; i--) {
    const hit = classifyLink(links[i], sf, call);
    if (hit) return hit;
  }
  const innermost = links[links.length - 1];
  const family = builderFamily(innermost);
  if (!family) return undefined;
  // A builder-shaped chain on a value whose type is not a database's (`list.where(…).first()`).
  const head = methodOf(innermost)?.receiver;
  if (head && typedOrigin(head) === 'other') return undefined;
  const runs = isExecuted(call) || links.some((l) => EXECUTORS.has(methodOf(l)?.name ?? ''));
  if (!runs) return undefined;
  const names = links.map((l) => methodOf(l)?.name ?? '');
  const write = names.some((n) => /^(insert|insertInto|update|updateTable|delete|deleteFrom|del|upsert|merge)/.test(n));
  const first = shortText(innermost, sf, 40);
  const last = links.length > 1 ? `…${methodOf(links[0])?.name}()` : '';
  return { node: innermost, label: first + last, family, write };
}

/** Classifies a sql`…` tagged template: a round trip when executed (postgres.js, `$queryRaw`). */
export function classifyTaggedTemplate(node: ts.TaggedTemplateExpression, sf: ts.SourceFile): DbCall | undefined {
  const tag = sqlTagName(node.tag);
  if (!tag || !isExecuted(node)) return undefined;
  // Returned fragments (`cols.map((c) => sql`${sql(c)} = 1`)`) are composed, not run.
  const head = ts.isNoSubstitutionTemplateLiteral(node.template) ? node.template.text : node.template.head.text;
  if (!looksLikeStatement(head) && !isAwaited(node)) return undefined;
  return { node: node.tag, label: `${shortText(node.tag, sf)}\`…\``, family: tag.family, write: /^\s*(insert|update|delete)/i.test(node.template.getText(sf).slice(1)) };
}
