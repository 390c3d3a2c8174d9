/**
 * Parsing TS/JS source with the TypeScript compiler API, without a program or type checker:
 * users' node_modules and tsconfig are not available to us, and `createSourceFile` alone is
 * fast (~15 ms CPU for 3,000 lines here) and never throws on syntax errors.
 * Also holds the small, scope-naive name resolution the extractor and the N+1 rule share.
 */
// `import ts = require(…)` in every embedded module: esbuild turns `import * as ts` of this
// CommonJS package into per-property getters, which measurably slowed the tree walks.
import ts = require('typescript');

export { SOURCE_EXTENSIONS, isScannableSource } from './fileKinds';

function scriptKindOf(fileName: string): ts.ScriptKind {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.tsx')) return ts.ScriptKind.TSX;
  // JSX syntax is legal in plain .js files of many React projects; the JSX kind accepts both.
  if (lower.endsWith('.jsx') || lower.endsWith('.js') || lower.endsWith('.mjs') || lower.endsWith('.cjs')) {
    return ts.ScriptKind.JSX;
  }
  return ts.ScriptKind.TS;
}

// The extractor and the N+1 rule both need the tree of the same text, and an edited file is
// re-parsed incrementally from its previous tree: one tree per file, most recent first.
const recent: { key: string; text: string; sf: ts.SourceFile }[] = [];
const RECENT_CAPACITY = 8;

/**
 * Parses (or returns the cached parse of) a source file. Never throws on syntax errors.
 * After an edit, the previous tree of the same file is updated incrementally (as the
 * TypeScript language service does), which re-parses only around the change.
 */
export function parseSource(fileName: string, text: string): ts.SourceFile {
  const kind = scriptKindOf(fileName);
  const key = kind + '\u0000' + fileName;
  const at = recent.findIndex((r) => r.key === key);
  const previous = at >= 0 ? recent[at] : undefined;
  if (previous && previous.text === text) return previous.sf;
  if (at >= 0) recent.splice(at, 1);
  let sf: ts.SourceFile;
  if (previous) {
    // The old tree is consumed by the update (its nodes are reused), so it leaves the cache.
    sf = ts.updateSourceFile(previous.sf, text, changeRange(previous.text, text));
  } else {
    // JSDoc is never needed here; skipping it saves parse time on well-documented code.
    const options = { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone };
    sf = ts.createSourceFile(fileName, text, options, false, kind);
  }
  // Parent pointers are set by our own walk: TypeScript's `setParentNodes` pass measured
  // slower than this plain forEachChild walk; after an incremental update it also fixes the
  // parents of reused nodes.
  setParents(sf);
  recent.unshift({ key, text, sf });
  if (recent.length > RECENT_CAPACITY) recent.pop();
  return sf;
}

/** The single span that differs between two texts (common prefix and suffix excluded). */
function changeRange(before: string, after: string): ts.TextChangeRange {
  const min = Math.min(before.length, after.length);
  let start = 0;
  while (start < min && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let endBefore = before.length;
  let endAfter = after.length;
  while (endBefore > start && endAfter > start && before.charCodeAt(endBefore - 1) === after.charCodeAt(endAfter - 1)) {
    endBefore--;
    endAfter--;
  }
  return ts.createTextChangeRange(ts.createTextSpan(start, endBefore - start), endAfter - start);
}

/** Sets `parent` on every node below `root` (iteratively: deep nesting must not overflow). */
function setParents(root: ts.Node): void {
  const stack: ts.Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    ts.forEachChild(node, (child) => {
      (child as { parent: ts.Node }).parent = node;
      stack.push(child);
    });
  }
}

/** Strips parentheses, `as`, `!`, `satisfies` and `<T>x` wrappers that do not change a value. */
export function unwrap(node: ts.Expression): ts.Expression {
  let n = node;
  for (;;) {
    if (ts.isParenthesizedExpression(n) || ts.isAsExpression(n) || ts.isNonNullExpression(n) ||
        ts.isSatisfiesExpression(n) || ts.isTypeAssertionExpression(n)) {
      n = n.expression;
    } else return n;
  }
}

/**
 * The last name in an expression: `pool` for `this.pool`, `manager` for `ds.manager`,
 * `getRepository` for `getRepository(User)`. Receiver heuristics key on it.
 */
export function lastName(node: ts.Expression): string | undefined {
  const n = unwrap(node);
  if (ts.isIdentifier(n) || ts.isPrivateIdentifier(n)) return n.text;
  if (ts.isPropertyAccessExpression(n)) return n.name.text;
  if (ts.isElementAccessExpression(n) && ts.isStringLiteralLike(n.argumentExpression)) return n.argumentExpression.text;
  if (ts.isCallExpression(n)) return lastName(n.expression);
  if (n.kind === ts.SyntaxKind.ThisKeyword) return 'this';
  return undefined;
}

/** Short, single-line source text of a node for messages (`prisma.user.findUnique`). */
export function shortText(node: ts.Node, sf: ts.SourceFile, max = 60): string {
  const raw = node.getText(sf).replace(/\s+/g, ' ').replace(/\s*\.\s*/g, '.');
  return raw.length > max ? raw.slice(0, max - 1) + '…' : raw;
}

/**
 * Finds the initializer of a `const` with this name visible from `from`, walking out through
 * enclosing blocks to the file. Scope-naive (no checker) but conservative: only `const`
 * declarations count, because a `let` may have been reassigned before use.
 */
export function resolveConst(name: string, from: ts.Node): ts.Expression | undefined {
  let scope: ts.Node | undefined = from.parent;
  while (scope) {
    if (ts.isBlock(scope) || ts.isSourceFile(scope) || ts.isModuleBlock(scope) || ts.isCaseClause(scope) || ts.isDefaultClause(scope)) {
      const statements = (scope as ts.Block).statements;
      for (const st of statements) {
        if (!ts.isVariableStatement(st)) continue;
        if (!(st.declarationList.flags & ts.NodeFlags.Const)) continue;
        for (const d of st.declarationList.declarations) {
          if (ts.isIdentifier(d.name) && d.name.text === name && d.initializer) return d.initializer;
        }
      }
    }
    scope = scope.parent;
  }
  return undefined;
}
