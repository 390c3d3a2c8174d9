/**
 * Receiver provenance for the N+1 rule: where does the object a method is called on come
 * from? `pdfDoc.save()` is a database write only if `pdfDoc` is an entity; traced to
 * `PDFDocument.load(…)` of pdf-lib it is not. Without a type checker we follow the syntax:
 * declarations and their initialisers, `for…of` items and callback parameters to the
 * collection they iterate, parameter type annotations, and imports to their package.
 */
import ts = require('typescript');
import { unwrap } from './source';

/** `db`: a database client, model, repository or a value a query returned; `other`: known not to be; `unknown`: no evidence. */
export type Origin = 'db' | 'other' | 'unknown';

/** Packages whose values are database clients, models or query results. */
const DB_PACKAGES = /^(pg|pg-promise|postgres|mysql2?(\/promise)?|@prisma\/client|\.prisma\/client|typeorm|sequelize(-typescript)?|mongoose|mongodb|knex|kysely|drizzle-orm(\/.*)?|better-sqlite3|sqlite3?|@libsql\/client|slonik|@vercel\/postgres|@neondatabase\/serverless|objection|@mikro-orm\/.*|@supabase\/supabase-js|@clickhouse\/client|@electric-sql\/pglite)$/;
/** Package names that suggest a project's own database package (`@acme/db`, `@calcom/prisma`). */
const DB_ISH = /(sql|db|orm|prisma|mongo|knex|sequel|postgres|mysql|sqlite|drizzle|kysely|supabase|database|repo|model|entit|data)/i;
/** Scoped packages known not to be databases (unscoped unknown packages count as `other` anyway). */
const OTHER_SCOPED = /^@(aws-sdk\/client-s3|octokit|pdf-lib|tiptap|react-pdf|mui|radix-ui|tanstack|sentry|opentelemetry|google-cloud\/storage|azure\/storage-blob|vercel\/blob|types)\b/;

/** Globals whose values are never database handles. */
const OTHER_GLOBALS = new Set([
  'document', 'window', 'globalThis', 'navigator', 'console', 'process', 'localStorage', 'sessionStorage', 'location',
  'history', 'performance', 'crypto', 'Math', 'JSON', 'Object', 'Array', 'Promise', 'Reflect', 'Intl', 'Buffer',
]);
/** Constructors whose instances are never database handles. */
const OTHER_CONSTRUCTORS = /^(Map|Set|WeakMap|WeakSet|Array|Date|URL|URLSearchParams|Blob|File|FormData|Headers|Request|Response|Image|Worker|AbortController|TextEncoder|TextDecoder|ReadableStream|WritableStream|TransformStream|EventEmitter|Error|RegExp|Uint8Array|ArrayBuffer|DataView|Promise|Proxy|MutationObserver|IntersectionObserver|ResizeObserver|Audio|WebSocket|XMLHttpRequest)$/;
/** Type annotations that are not database values (DOM, collections, streams). */
const OTHER_TYPES = /^(HTML\w*Element|SVG\w*Element|Element|Node|ChildNode|Document|DocumentFragment|Window|Event|\w+Event|Map|Set|ReadonlyMap|ReadonlySet|WeakMap|Array|ReadonlyArray|Promise|URL|Blob|File|Buffer|Readable|Writable|Duplex|Transform|Stream|ReadableStream|WritableStream|EventEmitter|CanvasRenderingContext2D|MediaStream|Worker|WebSocket)$/;

/** The origin of a package import. */
export function originOfPackage(specifier: string): Origin {
  if (specifier.startsWith('.') || specifier.startsWith('/') || /^[@~#]\//.test(specifier) || specifier.startsWith('#')) return 'unknown';
  if (specifier.startsWith('node:')) return 'other';
  if (DB_PACKAGES.test(specifier)) return 'db';
  if (DB_ISH.test(specifier)) return 'unknown';
  if (specifier.startsWith('@') && !OTHER_SCOPED.test(specifier)) return 'unknown';
  return 'other';
}

const MAX_DEPTH = 8;

/**
 * The origin of an expression's value. `isDbCall` tells whether a call is a database call
 * (its result is then a database value: `(await User.findByPk(id)).save()`).
 */
export function originOf(expr: ts.Expression, isDbCall: (call: ts.CallExpression) => boolean, depth = 0): Origin {
  if (depth > MAX_DEPTH) return 'unknown';
  const e = unwrap(expr);
  if (ts.isAwaitExpression(e)) return originOf(e.expression, isDbCall, depth + 1);
  if (ts.isArrayLiteralExpression(e) || ts.isObjectLiteralExpression(e) || ts.isStringLiteralLike(e) || ts.isTemplateExpression(e) || ts.isNumericLiteral(e)) return 'other';
  if (ts.isCallExpression(e)) {
    if (isDbCall(e)) return 'db';
    const callee = unwrap(e.expression);
    if (ts.isIdentifier(callee) && callee.text === 'require' && e.arguments[0] && ts.isStringLiteralLike(e.arguments[0])) return originOfPackage(e.arguments[0].text);
    // A method's result shares its receiver's origin (`stage.getLayers()`, `PDFDocument.load()`).
    return ts.isPropertyAccessExpression(callee) ? originOf(callee.expression, isDbCall, depth + 1) : ts.isIdentifier(callee) ? originOfIdentifier(callee, isDbCall, depth + 1) : 'unknown';
  }
  if (ts.isNewExpression(e)) {
    const c = unwrap(e.expression);
    if (ts.isIdentifier(c) && OTHER_CONSTRUCTORS.test(c.text)) return 'other';
    return originOf(c, isDbCall, depth + 1);
  }
  if (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) return originOf(e.expression, isDbCall, depth + 1);
  if (ts.isIdentifier(e)) return originOfIdentifier(e, isDbCall, depth + 1);
  return 'unknown';
}

function originOfIdentifier(id: ts.Identifier, isDbCall: (call: ts.CallExpression) => boolean, depth: number): Origin {
  if (OTHER_GLOBALS.has(id.text)) return 'other';
  const decl = findDeclaration(id.text, id);
  if (!decl) return 'unknown';
  if (ts.isImportSpecifier(decl) || ts.isImportClause(decl) || ts.isNamespaceImport(decl)) {
    let d: ts.Node = decl;
    while (!ts.isImportDeclaration(d)) d = d.parent;
    return ts.isStringLiteral(d.moduleSpecifier) ? originOfPackage(d.moduleSpecifier.text) : 'unknown';
  }
  if (ts.isParameter(decl)) {
    const fn = decl.parent;
    let t = decl.type;
    // `HTMLElement[]`: the items have the element type.
    while (t && ts.isArrayTypeNode(t)) t = t.elementType;
    if (t && ts.isTypeReferenceNode(t)) {
      const name = ts.isIdentifier(t.typeName) ? t.typeName.text : t.typeName.right.text;
      if (OTHER_TYPES.test(name)) return 'other';
      // `Konva.Stage`, `THREE.Scene`: the namespace's import decides.
      let head: ts.EntityName = t.typeName;
      while (ts.isQualifiedName(head)) head = head.left;
      const typeDecl = findDeclaration(head.text, decl);
      if (typeDecl && (ts.isImportSpecifier(typeDecl) || ts.isImportClause(typeDecl) || ts.isNamespaceImport(typeDecl))) {
        let d: ts.Node = typeDecl;
        while (!ts.isImportDeclaration(d)) d = d.parent;
        if (ts.isStringLiteral(d.moduleSpecifier)) return originOfPackage(d.moduleSpecifier.text);
      }
    }
    // The item parameter of `xs.forEach((x) => …)` comes from `xs`.
    if ((ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && fn.parameters[0] === decl) {
      let p: ts.Node = fn.parent;
      while (ts.isParenthesizedExpression(p)) p = p.parent;
      if (ts.isCallExpression(p) && p.arguments[0] === fn || (ts.isCallExpression(p) && unwrap(p.arguments[0] ?? p) === fn)) {
        const callee = unwrap(p.expression);
        if (ts.isPropertyAccessExpression(callee) && /^(forEach|map|flatMap|filter|some|every|find)$/.test(callee.name.text)) return originOf(callee.expression, isDbCall, depth + 1);
      }
    }
    return 'unknown';
  }
  if (ts.isVariableDeclaration(decl)) {
    const list = decl.parent;
    const loop = list?.parent;
    if (loop && ts.isForOfStatement(loop) && loop.initializer === list) return originOf(loop.expression, isDbCall, depth + 1);
    return decl.initializer ? originOf(decl.initializer, isDbCall, depth + 1) : 'unknown';
  }
  if (ts.isClassDeclaration(decl) || ts.isFunctionDeclaration(decl)) return 'unknown';
  return 'unknown';
}

type Declaration = ts.VariableDeclaration | ts.ParameterDeclaration | ts.ImportSpecifier | ts.ImportClause | ts.NamespaceImport | ts.ClassDeclaration | ts.FunctionDeclaration;

/** The declaration of `name` visible from `from` (scope-naive: nearest enclosing scope that declares it). */
function findDeclaration(name: string, from: ts.Node): Declaration | undefined {
  for (let scope: ts.Node | undefined = from.parent; scope; scope = scope.parent) {
    if (ts.isFunctionLike(scope)) {
      for (const p of scope.parameters) if (bindsName(p.name, name)) return p;
    }
    if (ts.isForOfStatement(scope) || ts.isForInStatement(scope) || ts.isForStatement(scope)) {
      const init = scope.initializer;
      if (init && ts.isVariableDeclarationList(init)) for (const d of init.declarations) if (bindsName(d.name, name)) return d;
    }
    if (ts.isBlock(scope) || ts.isSourceFile(scope) || ts.isModuleBlock(scope) || ts.isCaseClause(scope) || ts.isDefaultClause(scope)) {
      for (const st of scope.statements) {
        if (ts.isVariableStatement(st)) for (const d of st.declarationList.declarations) if (bindsName(d.name, name)) return d;
        if (ts.isImportDeclaration(st) && st.importClause) {
          const c = st.importClause;
          if (c.name?.text === name) return c;
          const nb = c.namedBindings;
          if (nb && ts.isNamespaceImport(nb) && nb.name.text === name) return nb;
          if (nb && ts.isNamedImports(nb)) for (const el of nb.elements) if (el.name.text === name) return el;
        }
        if ((ts.isClassDeclaration(st) || ts.isFunctionDeclaration(st)) && st.name?.text === name) return st;
      }
    }
  }
  return undefined;
}

function bindsName(b: ts.BindingName, name: string): boolean {
  if (ts.isIdentifier(b)) return b.text === name;
  return b.elements.some((el) => !ts.isOmittedExpression(el) && bindsName(el.name, name));
}
