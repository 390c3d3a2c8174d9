/**
 * The per-file summary the workspace index is built from: what a file imports and exports,
 * which of its functions send a parameter to the database as SQL (directly or by passing it
 * on to another function), and which functions query at all. Plain JSON, so it can be cached
 * by content hash; computed from the syntax tree alone (no type checker).
 */
import ts = require('typescript');
import { classifyCall, isInnerLink } from '../embedded/calls';
import { dialectOfName, dialectOfPackage, type CalleeRef, type PlaceholderStyle, type SinkDialect } from '../embedded/sinks';
import { parseSource, unwrap } from '../embedded/source';

/** `import x from 'm'` (imported `default`), `import * as x` (`*`), `import { a as x }` (`a`). */
export interface ImportBinding {
  local: string;
  from: string;
  imported: string;
}

/** `export { local as exported }`, `export … from 'm'` (with `from`), `export * from 'm'` (`exported: '*'`). */
export interface ExportBinding {
  exported: string;
  /** Local symbol path (`rawQuery`, `Db.query`, or an object's member `prisma.rawQuery`). */
  local?: string;
  from?: string;
  imported?: string;
}

/** A parameter passed on to another callable: `param` becomes argument `argIndex` of `callee`. */
export interface Flow {
  param: number;
  callee: CalleeRef;
  argIndex: number;
}

/** A function-like declaration of the file, by its symbol path. */
export interface FunctionSummary {
  name: string;
  /** Parameter index → the raw SQL call it reaches in this function's own body. */
  directSinks: { param: number; dialect: SinkDialect; via?: ImportBinding }[];
  flows: Flow[];
  placeholders: PlaceholderStyle[];
  /** Label of a database call made in the body (`prisma.user.findMany()`), if any. */
  queries?: string;
  /** Callees of the body, for "queries through another function". */
  calls: CalleeRef[];
}

export interface FileSummary {
  imports: ImportBinding[];
  exports: ExportBinding[];
  functions: Record<string, FunctionSummary>;
  /** Local names bound to another symbol path: `const { rawQuery } = prisma` → `prisma.rawQuery`. */
  aliases: Record<string, CalleeRef>;
  /** Top-level values created from a known client package (`const ch = createClient()` → clickhouse). */
  values: Record<string, SinkDialect>;
}

/** Methods that take SQL text as an argument, on any receiver (the call site decides whether it is SQL). */
const RAW_METHODS = new Set(['query', 'execute', 'raw', 'unsafe', '$queryRawUnsafe', '$executeRawUnsafe', 'prepare', 'exec', 'all', 'get', 'run', 'each', 'command', 'createQueryJob', 'many', 'one', 'any', 'none', 'oneOrNone', 'manyOrNone', 'sql']);
/** Generic method names that take SQL only on something named like a database. */
const RAW_NEEDS_DB = new Set(['get', 'all', 'run', 'each', 'exec', 'one', 'many', 'any', 'none', 'sql', 'command']);
/** Object keys that carry SQL (`{ text }` pg, `{ sql }` mysql2, `{ query }` ClickHouse/BigQuery, `{ sqlText }` Snowflake). */
const SQL_KEYS = new Set(['text', 'sql', 'query', 'sqlText']);

/** The callee of a call as a symbol path, or undefined for computed callees. */
export function calleeRef(expr: ts.Expression, classOf?: string): CalleeRef | undefined {
  const members: string[] = [];
  let e = unwrap(expr);
  while (ts.isPropertyAccessExpression(e)) {
    members.unshift(e.name.text);
    e = unwrap(e.expression);
  }
  if (ts.isIdentifier(e)) return { root: e.text, members };
  if (e.kind === ts.SyntaxKind.ThisKeyword && classOf) return { root: classOf, members };
  return undefined;
}

function propName(name: ts.PropertyName | ts.BindingName | undefined): string | undefined {
  if (!name) return undefined;
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isPrivateIdentifier(name)) return name.text;
  return undefined;
}

function isFunctionNode(n: ts.Node | undefined): n is ts.ArrowFunction | ts.FunctionExpression {
  return !!n && (ts.isArrowFunction(n) || ts.isFunctionExpression(n));
}

/**
 * Summarises one file. Never throws (a broken file summarises to what TypeScript recovered).
 * `queries: false` skips finding which functions query (only sinks are wanted: the one-file
 * index behind a quick lint, where N+1 handles local functions itself).
 */
export function summarizeFile(fileName: string, text: string, options: { queries?: boolean } = {}): FileSummary {
  const withQueries = options.queries !== false;
  const summary: FileSummary = { imports: [], exports: [], functions: {}, aliases: {}, values: {} };
  let sf: ts.SourceFile;
  try {
    sf = parseSource(fileName, text);
  } catch {
    return summary;
  }
  const importOf = new Map<string, ImportBinding>();
  const addImport = (b: ImportBinding) => {
    summary.imports.push(b);
    importOf.set(b.local, b);
  };

  // Pass 1: imports, requires, aliases, values — needed before functions are read.
  const visitDecls = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier) && node.importClause && !node.importClause.isTypeOnly) {
      const from = node.moduleSpecifier.text;
      const c = node.importClause;
      if (c.name) addImport({ local: c.name.text, from, imported: 'default' });
      const nb = c.namedBindings;
      if (nb && ts.isNamespaceImport(nb)) addImport({ local: nb.name.text, from, imported: '*' });
      if (nb && ts.isNamedImports(nb)) {
        for (const el of nb.elements) if (!el.isTypeOnly) addImport({ local: el.name.text, from, imported: (el.propertyName ?? el.name).text });
      }
      return;
    }
    if (ts.isVariableDeclaration(node) && node.initializer) {
      const init = unwrap(node.initializer);
      const req = requireOf(init);
      if (req !== undefined) {
        if (ts.isIdentifier(node.name)) addImport({ local: node.name.text, from: req, imported: '*' });
        else if (ts.isObjectBindingPattern(node.name)) {
          for (const el of node.name.elements) {
            const local = propName(el.name);
            const imported = propName(el.propertyName) ?? local;
            if (local && imported) addImport({ local, from: req, imported });
          }
        }
      } else if (isTopLevel(node)) {
        // Module-scope aliases; those inside functions are read with the function (scoped).
        for (const [local, ref] of aliasesOf(node)) summary.aliases[local] = ref;
      }
      if (ts.isIdentifier(node.name) && req === undefined) {
        const d = valueDialect(init, importOf);
        if (d) summary.values[node.name.text] = d;
      }
    }
    ts.forEachChild(node, visitDecls);
  };
  visitDecls(sf);

  const addFunction = (name: string, fn: ts.SignatureDeclaration & { body?: ts.Node }, classOf?: string) => {
    if (!fn.body || summary.functions[name]) return;
    summary.functions[name] = summarizeFunction(name, fn, sf, importOf, summary.values, classOf, withQueries);
  };
  const addObjectMembers = (objName: string, obj: ts.ObjectLiteralExpression) => {
    for (const p of obj.properties) {
      const key = propName(p.name);
      if (!key) continue;
      if (ts.isMethodDeclaration(p)) addFunction(`${objName}.${key}`, p, objName);
      else if (ts.isPropertyAssignment(p)) {
        const v = unwrap(p.initializer);
        if (isFunctionNode(v)) addFunction(`${objName}.${key}`, v, objName);
        else {
          const ref = calleeRef(v);
          if (ref) summary.aliases[`${objName}.${key}`] = ref;
        }
      } else if (ts.isShorthandPropertyAssignment(p)) summary.aliases[`${objName}.${key}`] = { root: key, members: [] };
    }
  };
  const hasExport = (n: ts.Node) => ts.canHaveModifiers(n) && !!ts.getModifiers(n)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
  const hasDefault = (n: ts.Node) => ts.canHaveModifiers(n) && !!ts.getModifiers(n)?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);

  for (const st of sf.statements) {
    if (ts.isFunctionDeclaration(st)) {
      const name = st.name?.text ?? 'default';
      addFunction(name, st);
      if (hasExport(st)) summary.exports.push({ exported: hasDefault(st) ? 'default' : name, local: name });
    } else if (ts.isClassDeclaration(st)) {
      const cls = st.name?.text ?? 'default';
      for (const m of st.members) {
        const key = propName(m.name);
        if (!key) continue;
        if (ts.isMethodDeclaration(m)) addFunction(`${cls}.${key}`, m, cls);
        else if (ts.isPropertyDeclaration(m) && m.initializer && isFunctionNode(unwrap(m.initializer))) addFunction(`${cls}.${key}`, unwrap(m.initializer) as ts.ArrowFunction, cls);
      }
      if (hasExport(st)) summary.exports.push({ exported: hasDefault(st) ? 'default' : cls, local: cls });
    } else if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) {
        if (!ts.isIdentifier(d.name)) continue;
        const name = d.name.text;
        const init = d.initializer && unwrap(d.initializer);
        if (isFunctionNode(init)) addFunction(name, init);
        else if (init && ts.isObjectLiteralExpression(init)) addObjectMembers(name, init);
        if (hasExport(st)) summary.exports.push({ exported: name, local: name });
      }
    } else if (ts.isExportAssignment(st)) {
      const e = unwrap(st.expression);
      if (ts.isIdentifier(e)) summary.exports.push({ exported: 'default', local: e.text });
      else if (ts.isObjectLiteralExpression(e)) {
        addObjectMembers('default', e);
        summary.exports.push({ exported: 'default', local: 'default' });
      } else if (isFunctionNode(e)) {
        addFunction('default', e);
        summary.exports.push({ exported: 'default', local: 'default' });
      }
    } else if (ts.isExportDeclaration(st) && !st.isTypeOnly) {
      const from = st.moduleSpecifier && ts.isStringLiteral(st.moduleSpecifier) ? st.moduleSpecifier.text : undefined;
      const clause = st.exportClause;
      if (!clause) {
        if (from) summary.exports.push({ exported: '*', from, imported: '*' });
      } else if (ts.isNamespaceExport(clause)) {
        if (from) summary.exports.push({ exported: clause.name.text, from, imported: '*' });
      } else {
        for (const el of clause.elements) {
          const local = (el.propertyName ?? el.name).text;
          summary.exports.push(from ? { exported: el.name.text, from, imported: local } : { exported: el.name.text, local });
        }
      }
    } else if (ts.isExpressionStatement(st)) {
      // module.exports = { rawQuery } / exports.rawQuery = rawQuery
      const e = st.expression;
      if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
        const left = e.left.getText(sf);
        const right = unwrap(e.right);
        if (left === 'module.exports') {
          if (ts.isObjectLiteralExpression(right)) {
            addObjectMembers('default', right);
            summary.exports.push({ exported: 'default', local: 'default' });
            for (const p of right.properties) {
              const key = propName(p.name);
              if (key) summary.exports.push({ exported: key, local: `default.${key}` });
            }
          } else if (ts.isIdentifier(right)) summary.exports.push({ exported: 'default', local: right.text });
        } else if (/^(module\.)?exports\.[\w$]+$/.test(left)) {
          const key = left.slice(left.lastIndexOf('.') + 1);
          if (isFunctionNode(right)) addFunction(key, right);
          else if (ts.isIdentifier(right)) summary.aliases[key] = { root: right.text, members: [] };
          summary.exports.push({ exported: key, local: key });
        }
      }
    }
  }
  return summary;
}

function isTopLevel(d: ts.VariableDeclaration): boolean {
  const st = d.parent?.parent;
  return !!st && ts.isVariableStatement(st) && ts.isSourceFile(st.parent);
}

/**
 * Names a declaration binds to another symbol path: `const { rawQuery } = prisma` →
 * rawQuery = prisma.rawQuery; `const q = db.rawQuery`; `const db = new Db()` → Db.
 */
export function aliasesOf(d: ts.VariableDeclaration): [string, CalleeRef][] {
  const out: [string, CalleeRef][] = [];
  if (!d.initializer) return out;
  const init = unwrap(d.initializer);
  if (ts.isObjectBindingPattern(d.name)) {
    const base = calleeRef(init);
    if (!base) return out;
    for (const el of d.name.elements) {
      const local = propName(el.name);
      const member = propName(el.propertyName) ?? local;
      if (local && member && !el.dotDotDotToken) out.push([local, { root: base.root, members: [...base.members, member] }]);
    }
  } else if (ts.isIdentifier(d.name)) {
    const ref = ts.isIdentifier(init) || ts.isPropertyAccessExpression(init) ? calleeRef(init) : undefined;
    if (ref) out.push([d.name.text, ref]);
    // const db = new Db(): members of db are Db's methods.
    else if (ts.isNewExpression(init) && ts.isIdentifier(init.expression)) out.push([d.name.text, { root: init.expression.text, members: [] }]);
  }
  return out;
}

/**
 * Rewrites a callee through the aliases in scope at `from` (`rawQuery` after
 * `const { rawQuery } = prisma` in the same function → `prisma.rawQuery`); module-scope
 * aliases are left to the index.
 */
export function scopedCallee(ref: CalleeRef, from: ts.Node): CalleeRef {
  let cur = ref;
  for (let hops = 0; hops < 8; hops++) {
    const d = findScopedDeclaration(cur.root, from);
    const alias = d && aliasesOf(d).find(([local]) => local === cur.root)?.[1];
    if (!alias) return cur;
    cur = { root: alias.root, members: [...alias.members, ...cur.members] };
  }
  return cur;
}

/** Per block: its `const` declarations by bound name (built once per block, on first lookup). */
const constsByBlock = new WeakMap<ts.Node, Map<string, ts.VariableDeclaration>>();

function constsOf(scope: ts.Block | ts.CaseClause | ts.DefaultClause): Map<string, ts.VariableDeclaration> {
  let m = constsByBlock.get(scope);
  if (m) return m;
  m = new Map();
  for (const st of scope.statements) {
    if (!ts.isVariableStatement(st) || !(st.declarationList.flags & ts.NodeFlags.Const)) continue;
    for (const d of st.declarationList.declarations) {
      if (ts.isIdentifier(d.name)) m.set(d.name.text, d);
      else if (ts.isObjectBindingPattern(d.name)) for (const el of d.name.elements) { const n = propName(el.name); if (n) m.set(n, d); }
    }
  }
  constsByBlock.set(scope, m);
  return m;
}

/** The `const` declaring `name` in a block between `from` and the module scope (exclusive). */
function findScopedDeclaration(name: string, from: ts.Node): ts.VariableDeclaration | undefined {
  for (let scope = from.parent; scope && !ts.isSourceFile(scope); scope = scope.parent) {
    if (!ts.isBlock(scope) && !ts.isCaseClause(scope) && !ts.isDefaultClause(scope)) continue;
    const d = constsOf(scope).get(name);
    if (d) return d;
  }
  return undefined;
}

/** `require('m')` → 'm'. */
function requireOf(e: ts.Expression): string | undefined {
  if (ts.isCallExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === 'require' && e.arguments.length === 1) {
    const a = e.arguments[0];
    if (ts.isStringLiteralLike(a)) return a.text;
  }
  return undefined;
}

/** Dialect of a value created from a client package: `createClient()`, `new BigQuery()`, `duckdb.Database(…)`. */
function valueDialect(init: ts.Expression, importOf: Map<string, ImportBinding>): SinkDialect | undefined {
  let e = unwrap(init);
  if (ts.isAwaitExpression(e)) e = unwrap(e.expression);
  if (!ts.isCallExpression(e) && !ts.isNewExpression(e)) return undefined;
  let root: ts.Expression = unwrap(e.expression);
  while (ts.isPropertyAccessExpression(root) || ts.isCallExpression(root)) root = unwrap(root.expression);
  if (!ts.isIdentifier(root)) return undefined;
  const imp = importOf.get(root.text);
  return imp ? dialectOfPackage(imp.from) : undefined;
}

/** Reads one function body: which parameters reach a raw SQL call, and where else they flow. */
function summarizeFunction(
  name: string,
  fn: ts.SignatureDeclaration & { body?: ts.Node },
  sf: ts.SourceFile,
  importOf: Map<string, ImportBinding>,
  values: Record<string, SinkDialect>,
  classOf: string | undefined,
  withQueries: boolean,
): FunctionSummary {
  const out: FunctionSummary = { name, directSinks: [], flows: [], placeholders: [], calls: [] };
  const tainted = new Map<string, number>();
  fn.parameters.forEach((p, i) => {
    if (ts.isIdentifier(p.name)) tainted.set(p.name.text, i);
  });
  const taintOf = (expr: ts.Expression | undefined): number | undefined => {
    if (!expr) return undefined;
    const e = unwrap(expr);
    if (ts.isIdentifier(e)) return tainted.get(e.text);
    if (ts.isCallExpression(e)) {
      // sql.replace(…), sql?.replaceAll(…).trim(): a string method on the SQL keeps it SQL.
      const c = unwrap(e.expression);
      if (ts.isPropertyAccessExpression(c)) return taintOf(c.expression);
      return undefined;
    }
    if (ts.isBinaryExpression(e)) {
      const k = e.operatorToken.kind;
      if (k === ts.SyntaxKind.PlusToken || k === ts.SyntaxKind.QuestionQuestionToken || k === ts.SyntaxKind.BarBarToken) return taintOf(e.left) ?? taintOf(e.right);
      return undefined;
    }
    if (ts.isConditionalExpression(e)) return taintOf(e.whenTrue) ?? taintOf(e.whenFalse);
    if (ts.isTemplateExpression(e)) {
      for (const span of e.templateSpans) {
        const t = taintOf(span.expression);
        if (t !== undefined) return t;
      }
    }
    return undefined;
  };
  const argTaint = (arg: ts.Expression): number | undefined => {
    const a = unwrap(arg);
    if (ts.isObjectLiteralExpression(a)) {
      for (const p of a.properties) {
        const key = propName(p.name);
        if (!key || !SQL_KEYS.has(key)) continue;
        if (ts.isShorthandPropertyAssignment(p)) return tainted.get(key);
        if (ts.isPropertyAssignment(p)) return taintOf(p.initializer);
      }
      return undefined;
    }
    return taintOf(a);
  };
  const receiverDialect = (recv: ts.Expression): { dialect: SinkDialect; via?: ImportBinding } => {
    let root: ts.Expression = unwrap(recv);
    let last: string | undefined;
    while (ts.isPropertyAccessExpression(root) || ts.isCallExpression(root) || ts.isElementAccessExpression(root)) {
      if (ts.isPropertyAccessExpression(root)) last ??= root.name.text;
      root = unwrap(root.expression);
    }
    if (ts.isIdentifier(root)) {
      last ??= root.text;
      const imp = importOf.get(root.text);
      if (imp) {
        const byPkg = dialectOfPackage(imp.from);
        if (byPkg) return { dialect: byPkg };
        // A client created in another file of the project: resolved by the index.
        return { dialect: dialectOfName(root.text) ?? dialectOfName(last) ?? 'default', via: imp };
      }
      if (values[root.text]) return { dialect: values[root.text] };
    }
    return { dialect: dialectOfName(last) ?? (ts.isIdentifier(root) ? dialectOfName(root.text) : undefined) ?? 'default' };
  };

  const visit = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) {
      ts.forEachChild(node, visit);
      const t = taintOf(node.initializer);
      if (t !== undefined) tainted.set(node.name.text, t);
      return;
    }
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(node.left)) {
      const t = taintOf(node.right);
      if (t !== undefined) tainted.set(node.left.text, t);
    }
    if ((ts.isRegularExpressionLiteral(node) || (ts.isStringLiteralLike(node) && node.text.includes('{{'))) && node.text) {
      // The wrapper's own placeholder syntax: `/\{\{\s*(\w+)(::\w+)?\s*}}/g`, `/:(\w+)/g`, `/@(\w+)/g`.
      const t = node.getText(sf);
      if (/\\?\{\\?\{/.test(t) && !out.placeholders.includes('curly')) out.placeholders.push('curly');
      if (/^\/.*(?<![:\\]):\\?\(?\\w/.test(t) && !out.placeholders.includes('colon')) out.placeholders.push('colon');
      if (/^\/.*@\\?\(?\\w/.test(t) && !out.placeholders.includes('at')) out.placeholders.push('at');
    }
    if (ts.isCallExpression(node)) {
      if (withQueries && !isInnerLink(node) && !out.queries) {
        const hit = classifyCall(node, sf);
        if (hit) out.queries = hit.label;
      }
      const callee = unwrap(node.expression);
      const direct = calleeRef(callee, classOf);
      const ref = direct && scopedCallee(direct, node);
      if (ref) out.calls.push(ref);
      const method = ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
      node.arguments.forEach((arg, j) => {
        const t = argTaint(arg);
        if (t === undefined) return;
        if (method && RAW_METHODS.has(method) && ts.isPropertyAccessExpression(callee) && (j === 0 || method === 'raw')) {
          const recv = callee.expression;
          const recvName = ts.isIdentifier(unwrap(recv)) ? (unwrap(recv) as ts.Identifier).text : ts.isPropertyAccessExpression(unwrap(recv)) ? (unwrap(recv) as ts.PropertyAccessExpression).name.text : '';
          const dbLike = !RAW_NEEDS_DB.has(method) || /db|database|sql|conn|client|pool|knex|duck|clickhouse|bigquery|snowflake|stmt|prisma|tx|trx/i.test(recvName);
          if (dbLike && recv.kind !== ts.SyntaxKind.ThisKeyword) {
            const { dialect, via } = receiverDialect(recv);
            if (!out.directSinks.some((s) => s.param === t)) out.directSinks.push(via ? { param: t, dialect, via } : { param: t, dialect });
            return;
          }
        }
        if (ref) out.flows.push({ param: t, callee: ref, argIndex: j });
      });
    }
    ts.forEachChild(node, visit);
  };
  if (fn.body) visit(fn.body);
  return out;
}
