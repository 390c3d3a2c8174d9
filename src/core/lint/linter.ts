/**
 * The SQL linter: splits a document into statements, parses each (cached by text), runs the
 * enabled rules and maps findings to document offsets. Incremental by construction: results
 * are cached per statement text for the current dialect, catalog and rule settings, so after
 * an edit only the changed statement is parsed and checked again.
 */
import { LruCache } from '../sql/parse';
import { splitStatements, type Statement } from '../sql/split';
import { parseQuery, preparseQueries } from '../query/parse';
import { tokenize } from '../sql/tokens';
import { checkInnerStatements } from '../sql/innerStatements';
import { allSqlRules } from '../rules/index';
import type { Finding, Severity, SqlRule } from '../rules/types';
import type { Catalog } from '../schema/types';
import type { DocumentFinding, LintOptions } from './types';

/** Rule id of the pseudo-rule that reports statements the parser cannot read. */
export const PARSE_ERROR_RULE = 'parse-error';

/**
 * Statements that start with these words are not queries the rules look at; when the parser
 * cannot read them (vendor DDL, transaction control, psql-style commands) we stay silent
 * rather than flag valid SQL as an error. A typo such as `SELEC` is still reported.
 */
const UNCHECKED_STATEMENTS = new Set([
  'create', 'alter', 'drop', 'comment', 'grant', 'revoke', 'set', 'reset', 'begin', 'commit',
  'rollback', 'start', 'savepoint', 'release', 'truncate', 'vacuum', 'analyze', 'analyse',
  'explain', 'copy', 'do', 'lock', 'listen', 'notify', 'unlisten', 'prepare', 'execute',
  'deallocate', 'declare', 'fetch', 'close', 'move', 'refresh', 'reindex', 'cluster', 'discard',
  'show', 'use', 'rename', 'call', 'load', 'security', 'import', 'checkpoint', 'abort', 'end',
  'delimiter', 'optimize', 'repair', 'flush', 'kill', 'handler', 'describe', 'desc', 'source',
]);

const catalogIds = new WeakMap<Catalog, number>();
let nextCatalogId = 1;

function catalogId(c: Catalog): number {
  let id = catalogIds.get(c);
  if (id === undefined) {
    id = nextCatalogId++;
    catalogIds.set(c, id);
  }
  return id;
}

/**
 * Incremental linter. Keep one instance per open document: by default it remembers the
 * statements of the last text it linted. With `retain`, it instead keeps up to that many
 * statement results across calls (for one linter shared by many small texts).
 */
export class SqlLinter {
  /** Number of statements checked (parsed + rules run) since construction; cache hits do not count. */
  checkedStatements = 0;
  private configKey = '';
  private cache = new Map<string, Finding[]>();
  private readonly lru: LruCache<Finding[]> | undefined;

  constructor(options: { retain?: number } = {}) {
    this.lru = options.retain ? new LruCache<Finding[]>(options.retain) : undefined;
  }

  /**
   * True when the last `lint` stopped checking new statements because its time budget ran out;
   * lint again (e.g. on the next tick) to continue — checked statements are cached.
   */
  incomplete = false;

  /**
   * Lints a whole document; findings carry offsets into `text`. With `budget.maxMs`, statements
   * not yet in the cache are checked only until that much time has passed (at least one per call,
   * so repeated calls always finish); the rest get no findings this time and `incomplete` is set.
   * This keeps an editor responsive on a huge file: each pass does a bounded amount of new work.
   * The returned findings are shared with later calls (a statement that did not move keeps its
   * finding objects): treat them as read-only.
   */
  lint(text: string, opts: LintOptions, budget?: { maxMs: number }): DocumentFinding[] {
    const deadline = budget ? performance.now() + budget.maxMs : Infinity;
    let checkedNow = 0;
    this.incomplete = false;
    const key = `${opts.dialect}\u0000${catalogId(opts.catalog)}\u0000${JSON.stringify(opts.rules ?? {})}`;
    if (key !== this.configKey) {
      this.configKey = key;
      this.cache.clear();
      this.lru?.clear();
    }
    // The same text again (an editor re-lints on focus, save, settings echo): same answer, no work.
    if (text === this.lastText && key === this.lastKey && this.lastOut) return this.lastOut.slice();
    const next = new Map<string, Finding[]>();
    const out: DocumentFinding[] = [];
    const statements = splitStatements(text, opts.dialect);
    let preparsedTo = 0;
    for (let i = 0; i < statements.length; i++) {
      const st = statements[i];
      let findings = next.get(st.text) ?? this.cache.get(st.text) ?? this.lru?.get(st.text);
      if (!findings) {
        if (checkedNow > 0 && performance.now() > deadline) {
          this.incomplete = true;
          continue;
        }
        if (i >= preparsedTo) preparsedTo = this.preparse(statements, i, next, opts);
        findings = checkStatement(st, opts);
        checkedNow++;
        this.checkedStatements++;
        this.lru?.set(st.text, findings);
      }
      if (!this.lru) next.set(st.text, findings);
      if (findings.length === 0) continue;
      // Statements that did not move keep their document findings from the last lint.
      let placed = this.placed.get(findings);
      if (!placed || placed.start !== st.start) {
        placed = { start: st.start, findings: findings.map((f) => shift(f, st.start)) };
        this.placed.set(findings, placed);
      }
      for (const f of placed.findings) out.push(f);
    }
    // Keep only what the current document contains, so the cache cannot grow without bound.
    if (!this.lru) this.cache = next;
    this.lastText = this.incomplete ? undefined : text;
    this.lastKey = key;
    this.lastOut = out.slice();
    return out;
  }

  /** A statement's findings in document offsets, for the offset they were last placed at. */
  private readonly placed = new WeakMap<Finding[], { start: number; findings: DocumentFinding[] }>();

  private lastText: string | undefined;
  private lastKey = '';
  private lastOut: DocumentFinding[] | undefined;

  /**
   * Parses the next statements that need checking (from `from` on, at most PREPARSE_WINDOW of
   * them) in one go, so the parser's per-call cost is paid once per window rather than once per
   * statement; a window keeps the work bounded when a time budget is set. Returns the index
   * just past the statements considered.
   */
  private preparse(statements: Statement[], from: number, next: Map<string, Finding[]>, opts: LintOptions): number {
    const texts: string[] = [];
    let i = from;
    // Bounded look-ahead: after a one-statement edit, the rest of the document is all cached.
    const stop = Math.min(statements.length, from + 4 * PREPARSE_WINDOW);
    for (; i < stop && texts.length < PREPARSE_WINDOW; i++) {
      const text = statements[i].text;
      if (next.has(text) || this.cache.has(text) || this.lru?.has(text)) continue;
      if (wouldParse(text)) texts.push(text);
    }
    preparseQueries(texts, opts.dialect);
    return i;
  }
}

const PREPARSE_WINDOW = 128;

/** True when `checkStatement` parses this statement's own text (not DDL, EXPLAIN, or a holder of inner SQL). */
function wouldParse(text: string): boolean {
  const firstWord = /^[A-Za-z_]+/.exec(text)?.[0]?.toLowerCase() ?? '';
  return firstWord !== 'explain' && !UNCHECKED_STATEMENTS.has(firstWord);
}

function shift(f: Finding, by: number): Finding {
  const moved: Finding = { ...f, start: f.start + by, end: f.end + by };
  if (f.fixes) moved.fixes = f.fixes.map((fx) => ({ ...fx, edits: fx.edits.map((e) => ({ ...e, start: e.start + by, end: e.end + by })) }));
  return moved;
}

function severityFor(id: string, fallback: Severity, opts: LintOptions): Severity | undefined {
  const s = opts.rules?.[id];
  if (s === 'off') return undefined;
  return s ?? fallback;
}

/** Parses and checks one statement; findings are relative to the statement's start. */
export function checkStatement(st: Statement, opts: LintOptions): Finding[] {
  const firstWord = /^[A-Za-z_]+/.exec(st.text)?.[0]?.toLowerCase() ?? '';
  if (firstWord === 'explain') return checkExplained(st, opts);
  // Views, functions, procedures and DO blocks: check the SQL inside them, at its own offsets.
  const inner = checkInnerStatements(st.text, opts.dialect, (text) => checkStatement({ ...st, text }, opts), PARSE_ERROR_RULE);
  if (inner) return inner;
  // DDL and other non-queries hold nothing the rules look at (parsing dominates lint time, and
  // schema files are mostly DDL) — except CREATE VIEW / CREATE TABLE … AS with a query inside.
  if (UNCHECKED_STATEMENTS.has(firstWord) && !(firstWord === 'create' && /\bselect\b/i.test(st.text))) return [];
  const parsed = parseQuery(st.text, opts.dialect);
  if (!parsed.ok) {
    const severity = severityFor(PARSE_ERROR_RULE, 'warning', opts);
    if (!severity || UNCHECKED_STATEMENTS.has(firstWord)) return [];
    return [parseErrorFinding(st.text, parsed.message, parsed.offset, severity)];
  }
  const out: Finding[] = [];
  for (const rule of allSqlRules()) {
    const severity = severityFor(rule.id, rule.defaultSeverity, opts);
    if (!severity) continue;
    if (rule.needsSchema && opts.catalog.tables.size === 0) continue;
    let found: ReturnType<SqlRule['check']>;
    try {
      found = rule.check({ statement: st, statements: parsed.statements, catalog: opts.catalog, dialect: opts.dialect });
    } catch {
      // A rule must never take the linter down; an unexpected model shape means "no opinion".
      continue;
    }
    for (const f of found) out.push({ ...f, ruleId: rule.id, severity });
  }
  // Document order, so editors and the CLI list findings top to bottom.
  return out.sort((a, b) => a.start - b.start || a.end - b.end);
}

/** `EXPLAIN [ANALYZE] [(…)] <query>`: lint the query part, at its offsets in the statement. */
function checkExplained(st: Statement, opts: LintOptions): Finding[] {
  const toks = tokenize(st.text, opts.dialect);
  const q = toks.findIndex((t) => t.kind === 'word' && /^(select|with|update|delete|insert)$/.test(t.value));
  if (q < 0) return [];
  const start = toks[q].start;
  const inner = checkStatement({ ...st, text: st.text.slice(start), start: st.start + start }, opts);
  return inner.map((f) => shift(f, start));
}

/** The one finding for an unparsable statement: from the error position to the end of its line. */
function parseErrorFinding(text: string, message: string, offset: number | undefined, severity: Severity): Finding {
  let start = 0;
  let end = text.length;
  // "syntax error at end of input": point at the last token, where the statement stops short.
  const last = offset !== undefined && offset >= text.length ? tokenize(text).pop() : undefined;
  if (last) {
    start = last.start;
    end = last.end;
  } else if (offset !== undefined && offset < text.length) {
    start = offset;
    const nl = text.indexOf('\n', offset);
    end = nl < 0 ? text.length : nl;
    if (end <= start) end = Math.min(text.length, start + 1);
  }
  // The parser reports one character; name the whole token there (`unexpected "FORM"`).
  const token = offset !== undefined ? tokenize(text).find((t) => t.start === offset) : undefined;
  const detail = token && /^unexpected "/.test(message) && token.text.length > 1 ? `unexpected ${JSON.stringify(token.text.slice(0, 40))}` : message;
  return {
    ruleId: PARSE_ERROR_RULE,
    severity,
    message: `Could not parse this statement: ${detail} — other statements are still checked`,
    start,
    end,
  };
}

const shared = new SqlLinter({ retain: 5000 });

/** One-shot convenience: lints `text` with a shared (cached) linter. */
export function lintSql(text: string, opts: LintOptions): DocumentFinding[] {
  return shared.lint(text, opts);
}
