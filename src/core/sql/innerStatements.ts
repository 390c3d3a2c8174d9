/**
 * SQL that lives inside other statements: the query of `CREATE [MATERIALIZED] VIEW … AS` and
 * `CREATE TABLE … AS`, the statements of `LANGUAGE sql` function and procedure bodies, and the
 * SQL of PL/pgSQL bodies (`CREATE FUNCTION/PROCEDURE … LANGUAGE plpgsql`, `DO` blocks), found by
 * PostgreSQL's own parsers. Each inner statement is handed to the linter as a statement of its
 * own, and its findings are mapped back to exact ranges of the enclosing statement — through
 * dollar quotes, and through the doubled quotes of a single-quoted body.
 *
 * Function parameters and PL/pgSQL variables are replaced by `$n` placeholders of the same
 * length before checking, so they behave like parameters (never a column, never a finding).
 * PostgreSQL only: the MySQL dialect and an unloaded parser mean "no inner statements".
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
import type { Dialect } from '../dialect';
import type { Finding } from '../rules/types';
import { parsePgSync, parsePlPgSqlSync, pgParserReady } from './pg/libpg';
import { splitStatements } from './split';
import { tokenize, type Token } from './tokens';

/** One statement found inside another; `text` is what the linter checks. */
export interface InnerStatement {
  text: string;
  /** Maps an offset in `text` to an offset in the enclosing statement. */
  toOuter: (offset: number) => number;
  /** Ranges of `text` that were rewritten (placeholders): fixes that edit them are dropped. */
  rewritten: Array<{ start: number; end: number }>;
  /** True inside a single-quoted body, where a fix's quotes would have to be doubled. */
  quotedBody: boolean;
}

/** Statements that can hold SQL (cheap test first: most statements are not these). */
const HOLDER_WORDS = /^\s*(do\b|create\s+(or\s+replace\s+)?(((temp|temporary|recursive|materialized)\s+)*view|function|procedure|((global|local)\s+)?((temp|temporary|unlogged)\s+)?table\b[\s\S]*\bas\b))/i;

/**
 * The statements inside `statement` (its text), or undefined when it holds none — callers then
 * check the statement itself. Never throws.
 */
export function innerStatements(statement: string, dialect: Dialect): InnerStatement[] | undefined {
  if (dialect !== 'postgresql' || !HOLDER_WORDS.test(statement) || !pgParserReady()) return undefined;
  try {
    const parsed = parsePgSync(statement);
    if (!parsed.ok || parsed.tree.stmts?.length !== 1) return undefined;
    const node: any = parsed.tree.stmts[0].stmt;
    const toks = tokenize(statement, 'postgresql');
    if (node.ViewStmt || node.CreateTableAsStmt) return viewQuery(statement, toks);
    if (node.CreateFunctionStmt) return functionBody(statement, toks, node.CreateFunctionStmt);
    if (node.DoStmt) return doBlock(statement, toks, node.DoStmt);
    return undefined;
  } catch {
    return undefined;
  }
}

/**
 * Checks the statements inside `statement` with `check` (which lints one statement's text) and
 * returns their findings in the enclosing statement's offsets; undefined when it holds none.
 * PostgreSQL already accepted the enclosing statement, so the inner SQL is valid: a parse
 * error from the checker is its own limit, not the user's, and is not reported.
 */
export function checkInnerStatements(statement: string, dialect: Dialect, check: (text: string) => Finding[], parseErrorRule: string): Finding[] | undefined {
  const inner = innerStatements(statement, dialect);
  if (!inner) return undefined;
  const out: Finding[] = [];
  for (const s of inner) {
    // A range that ends inside a placeholder (`$1` of a padded `$1     `) covers the whole name.
    const snapEnd = (o: number) => s.rewritten.find((r) => o > r.start && o < r.end)?.end ?? o;
    const snapStart = (o: number) => s.rewritten.find((r) => o > r.start && o < r.end)?.start ?? o;
    for (const f of check(s.text)) {
      if (f.ruleId === parseErrorRule) continue;
      const mapped: Finding = { ...f, start: s.toOuter(snapStart(f.start)), end: s.toOuter(snapEnd(f.end)) };
      if (f.fixes) {
        const fixes = f.fixes
          .filter((fx) => fx.edits.every((e) => !s.rewritten.some((r) => e.start < r.end && e.end > r.start) && !(s.quotedBody && e.newText.includes("'"))))
          .map((fx) => ({ ...fx, edits: fx.edits.map((e) => ({ ...e, start: s.toOuter(e.start), end: s.toOuter(e.end) })) }));
        if (fixes.length) mapped.fixes = fixes;
        else delete mapped.fixes;
      }
      out.push(mapped);
    }
  }
  return out.sort((a, b) => a.start - b.start || a.end - b.end);
}

// ---------------------------------------------------------------------------------------------

function isWord(t: Token | undefined, ...words: string[]): boolean {
  return !!t && t.kind === 'word' && words.includes(t.value);
}

/** `CREATE VIEW v AS <query> [WITH … CHECK OPTION]`, `CREATE … AS <query> [WITH [NO] DATA]`. */
function viewQuery(statement: string, toks: Token[]): InnerStatement[] | undefined {
  let depth = 0;
  let start = -1;
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    if (t.text === '(') depth++;
    if (t.text === ')') depth--;
    if (depth === 0 && isWord(t, 'as') && (isWord(toks[i + 1], 'select', 'with', 'values', 'table') || toks[i + 1]?.text === '(')) {
      start = i + 1;
      break;
    }
  }
  if (start < 0) return undefined;
  let end = toks.length;
  // Trailing options belong to the CREATE, not to the query.
  const tail = toks.slice(-5).map((t) => t.value).join(' ');
  const m = /(?:^| )(with (?:no )?data|with (?:cascaded |local )?check option)$/.exec(tail);
  if (m) end -= m[1].split(' ').length;
  const from = toks[start].start;
  const text = statement.slice(from, toks[end - 1].end);
  return [{ text, toOuter: (o) => from + o, rewritten: [], quotedBody: false }];
}

/** Where a function body sits in the statement and how its characters map back. */
interface Body {
  text: string;
  /** Body offset → statement offset. */
  toOuter: (offset: number) => number;
  quoted: boolean;
}

/** The string token after `AS` (the body), with its offsets. E'…' bodies are left alone. */
function findBody(statement: string, toks: Token[], expected: string): Body | undefined {
  for (let i = 1; i < toks.length; i++) {
    const t = toks[i];
    if (t.kind !== 'string' || !isWord(toks[i - 1], 'as')) continue;
    if (t.text.startsWith('$')) {
      const tag = /^\$[^$]*\$/.exec(t.text)![0];
      const from = t.start + tag.length;
      const text = statement.slice(from, t.end - tag.length);
      if (text !== expected) return undefined;
      return { text, toOuter: (o) => from + o, quoted: false };
    }
    if (t.text.startsWith("'")) {
      // Body character k sits at raw[k]; a doubled quote is one body character.
      const raw: number[] = [];
      let text = '';
      for (let p = t.start + 1; p < t.end - 1; p++) {
        raw.push(p);
        text += statement[p];
        if (statement[p] === "'") p++;
      }
      raw.push(t.end - 1);
      if (text !== expected) return undefined;
      return { text, toOuter: (o) => raw[Math.max(0, Math.min(o, raw.length - 1))], quoted: true };
    }
    return undefined;
  }
  return undefined;
}

function functionBody(statement: string, toks: Token[], fn: any): InnerStatement[] | undefined {
  const opts: any[] = (fn.options ?? []).map((o: any) => o.DefElem).filter(Boolean);
  const language = String(opts.find((d) => d.defname === 'language')?.arg?.String?.sval ?? 'sql').toLowerCase();
  const params = new Set<string>((fn.parameters ?? []).map((p: any) => String(p.FunctionParameter?.name ?? '').toLowerCase()).filter(Boolean));
  // Bodies may qualify a parameter with the function's name (pg_dump does: `f.p_user`).
  const fnName = String((fn.funcname ?? []).at(-1)?.String?.sval ?? '').toLowerCase();
  if (fnName) for (const p of [...params]) params.add(`${fnName}.${p}`);
  if (fn.sql_body) return atomicBody(statement, toks, params);
  const as = opts.find((d) => d.defname === 'as')?.arg?.List?.items;
  if (!as || as.length !== 1) return undefined; // C functions: object file and symbol
  const body = findBody(statement, toks, as[0].String?.sval ?? '');
  if (!body) return undefined;
  if (language === 'sql') {
    return splitStatements(body.text, 'postgresql').map((st) => withPlaceholders(st.text, params, (o) => body.toOuter(st.start + o), body.quoted));
  }
  if (language === 'plpgsql') return plpgsqlStatements(statement, body);
  return undefined;
}

/** `BEGIN ATOMIC stmt; … END`: the statements sit in the file itself, between the keywords. */
function atomicBody(statement: string, toks: Token[], params: Set<string>): InnerStatement[] | undefined {
  const begin = toks.findIndex((t, i) => isWord(t, 'begin') && isWord(toks[i + 1], 'atomic'));
  let end = toks.length - 1;
  while (end > begin && !isWord(toks[end], 'end')) end--;
  if (begin < 0 || end <= begin + 2) return undefined;
  const from = toks[begin + 2].start;
  const region = statement.slice(from, toks[end].start);
  return splitStatements(region, 'postgresql').map((st) => withPlaceholders(st.text, params, (o) => from + st.start + o, false));
}

function doBlock(statement: string, toks: Token[], d: any): InnerStatement[] | undefined {
  const args: any[] = (d.args ?? []).map((a: any) => a.DefElem).filter(Boolean);
  const language = String(args.find((a) => a.defname === 'language')?.arg?.String?.sval ?? 'plpgsql').toLowerCase();
  const code = args.find((a) => a.defname === 'as')?.arg?.String?.sval;
  if (language !== 'plpgsql' || typeof code !== 'string') return undefined;
  const i = toks.findIndex((t) => t.kind === 'string');
  if (i < 0) return undefined;
  // findBody looks for the string after AS; DO has none, so present it the same way.
  const body = findBody(statement, [{ ...toks[i], kind: 'word', value: 'as', text: 'as' }, toks[i]], code);
  if (!body || code.includes('$spa_do$')) return undefined;
  return plpgsqlStatements(`CREATE FUNCTION spa_do() RETURNS void LANGUAGE plpgsql AS $spa_do$${code}$spa_do$`, body);
}

/**
 * The SQL of a PL/pgSQL body: statements (`SELECT … INTO`, `UPDATE`, `FOR r IN SELECT`,
 * `RETURN QUERY`…) and subqueries in expressions (`IF EXISTS (SELECT …)`), each located in the
 * body by its line and text. PL/pgSQL blanks `INTO …` with spaces, so lengths match the source.
 */
function plpgsqlStatements(functionSql: string, body: Body): InnerStatement[] | undefined {
  const parsed = parsePlPgSqlSync(functionSql);
  if (!parsed.ok) return undefined;
  const vars = new Set<string>();
  const exprs: Array<{ query: string; line: number; statement: boolean }> = [];
  const walk = (node: any, line: number): void => {
    if (Array.isArray(node)) return node.forEach((x) => walk(x, line));
    if (!node || typeof node !== 'object') return;
    const here = typeof node.lineno === 'number' ? node.lineno : line;
    if (typeof node.refname === 'string' && /^[A-Za-z_][A-Za-z0-9_$]*$/.test(node.refname)) vars.add(node.refname.toLowerCase());
    const e = node.PLpgSQL_expr;
    if (e && typeof e.query === 'string') {
      // parseMode 0 is a whole statement; others are expressions (conditions, assignments).
      if (!e.parseMode) exprs.push({ query: e.query, line: here, statement: true });
      else if (/\bselect\b/i.test(e.query)) exprs.push({ query: e.query, line: here, statement: false });
    }
    for (const v of Object.values(node)) walk(v, here);
  };
  walk((parsed.tree as any).plpgsql_funcs ?? parsed.tree, 1);
  const lineStarts = [0];
  for (let i = 0; i < body.text.length; i++) if (body.text[i] === '\n') lineStarts.push(i + 1);
  const used = new Set<number>();
  const out: InnerStatement[] = [];
  for (const ex of exprs) {
    const at = locate(body.text, ex.query, lineStarts[Math.max(0, Math.min(ex.line - 1, lineStarts.length - 1))], used);
    if (at < 0) continue;
    used.add(at);
    // An expression is checked as `SELECT <expr>`; the prefix maps to the expression's start.
    const prefix = ex.statement ? '' : 'SELECT ';
    const text = prefix + ex.query;
    out.push(withPlaceholders(text, vars, (o) => body.toOuter(at + Math.max(0, o - prefix.length)), body.quoted));
  }
  return out;
}

/** Offset of `query` in `body` at or after `from`; blanked (space) characters match anything. */
function locate(body: string, query: string, from: number, used: Set<number>): number {
  const first = query.trimStart();
  const lead = query.length - first.length;
  const word = /^\S+/.exec(first)?.[0];
  if (!word) return -1;
  for (let p = body.indexOf(word, from); p >= 0; p = body.indexOf(word, p + 1)) {
    const at = p - lead;
    if (at < 0 || used.has(at)) continue;
    let ok = at + query.length <= body.length;
    for (let k = 0; ok && k < query.length; k++) ok = query[k] === body[at + k] || /\s/.test(query[k]);
    if (ok) return at;
  }
  return -1;
}

/** Replaces parameter and variable names (and `rec.field`) with `$n` padded to their length. */
function withPlaceholders(text: string, names: Set<string>, toOuter: (o: number) => number, quoted: boolean): InnerStatement {
  const rewritten: Array<{ start: number; end: number }> = [];
  if (names.size === 0) return { text, toOuter, rewritten, quotedBody: quoted };
  const toks = tokenize(text, 'postgresql');
  const numbers = new Map<string, number>();
  let out = '';
  let last = 0;
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    if (t.kind !== 'word' || toks[i - 1]?.text === '.' || toks[i + 1]?.text === '(') continue;
    const qualified = toks[i + 1]?.text === '.' && toks[i + 2]?.kind === 'word' && names.has(`${t.value}.${toks[i + 2].value}`);
    if (!names.has(t.value) && !qualified) continue;
    let end = t.end;
    let j = i;
    if (toks[i + 1]?.text === '.' && (toks[i + 2]?.kind === 'word' || toks[i + 2]?.kind === 'quoted')) {
      end = toks[i + 2].end; // record field: `r.total`, `NEW.id`
      j = i + 2;
    }
    const nameKey = text.slice(t.start, end).toLowerCase();
    const n = numbers.get(nameKey) ?? numbers.size + 1;
    const holder = `$${n}`;
    if (holder.length > end - t.start) continue; // one-letter names keep their text
    numbers.set(nameKey, n);
    out += text.slice(last, t.start) + holder.padEnd(end - t.start, ' ');
    rewritten.push({ start: t.start, end });
    last = end;
    i = j;
  }
  out += text.slice(last);
  return { text: out, toOuter, rewritten, quotedBody: quoted };
}
