/**
 * Tables a statement touches. PostgreSQL statements are read with PostgreSQL's own parser
 * (every `RangeVar` except names the statement defines as CTEs); other engines and text the
 * parser rejects fall back to the names after FROM/JOIN/INTO/UPDATE.
 */
import { parsePgSync, pgParserReady } from '../sql/pg/libpg';

/** Tables named in `sql`, lower-cased unless quoted, in order of appearance, without duplicates. */
export function tablesOf(sql: string, dialect: string): string[] {
  if (dialect === 'postgresql' && pgParserReady()) {
    const parsed = parsePgSync(sql);
    if (parsed.ok) return fromTree(parsed.tree);
  }
  return fromText(sql);
}

function fromTree(tree: unknown): string[] {
  const ctes = new Set<string>();
  const found: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const n of node) walk(n);
      return;
    }
    if (!node || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    const cte = o.CommonTableExpr as { ctename?: string } | undefined;
    if (cte?.ctename) ctes.add(cte.ctename);
    const rv = o.RangeVar as { relname?: string; schemaname?: string } | undefined;
    if (rv?.relname) found.push(rv.schemaname ? `${rv.schemaname}.${rv.relname}` : rv.relname);
    for (const v of Object.values(o)) walk(v);
  };
  walk(tree);
  return [...new Set(found.filter((t) => !ctes.has(t)))];
}

const TABLE_AFTER = /\b(?:from|join|into|update|table)\s+((?:[A-Za-z_][\w$]*|"[^"]+"|`[^`]+`)(?:\.(?:[A-Za-z_][\w$]*|"[^"]+"|`[^`]+`))*)/gi;

function fromText(sql: string): string[] {
  const ctes = new Set<string>();
  for (const m of sql.matchAll(/(?:\bwith(?:\s+recursive)?|,)\s*([A-Za-z_][\w$]*)\s+as\s*\(/gi)) ctes.add(m[1].toLowerCase());
  const found: string[] = [];
  // Comments and string literals must not contribute names.
  const code = sql.replace(/--[^\n]*|\/\*[\s\S]*?\*\/|'(?:[^']|'')*'/g, ' ');
  for (const m of code.matchAll(TABLE_AFTER)) {
    const name = m[1].replace(/["`]/g, '');
    const lower = /["`]/.test(m[1]) ? name : name.toLowerCase();
    if (/^(select|lateral|unnest|only)$/i.test(lower) || ctes.has(lower)) continue;
    found.push(lower);
  }
  return [...new Set(found)];
}
