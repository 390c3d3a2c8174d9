/**
 * Facts about one SQL statement that matter for choosing a database: what kind of statement it
 * is, which tables it writes, and whether it joins, aggregates, searches text, walks a graph or
 * scans a time range. Token-based rather than AST-based on purpose: the parser rejects some
 * statements that matter most here (`@@` full-text matches, `SELECT … FOR UPDATE`), and the
 * tokenizer never fails.
 */
import type { Dialect } from '../dialect';
import { tokenize, type Token } from '../sql/tokens';

export type StatementKind = 'select' | 'insert' | 'update' | 'delete' | 'ddl' | 'transaction' | 'other';

export interface QueryFacts {
  kind: StatementKind;
  /** Lower-cased table written by INSERT/UPDATE/DELETE. */
  writes?: string;
  /** Lower-cased tables named after FROM/JOIN/INTO/UPDATE. */
  tables: string[];
  joins: boolean;
  groupBy: boolean;
  /** `LIKE '%…'` / `ILIKE '%…%'` or `LIKE '%' || $1`: a search no B-tree can serve. */
  leadingWildcard: boolean;
  /** tsvector/tsquery functions, `@@`, or MySQL `MATCH … AGAINST`. */
  fullText: boolean;
  recursive: boolean;
  /** `SELECT … FOR UPDATE / FOR SHARE`: a read that is part of a read-modify-write transaction. */
  lockingRead: boolean;
  /** `WHERE col = <value>` equality lookups: columns compared to a constant or parameter. */
  equalityColumns: string[];
  /** Columns compared with a range (`<`, `>=`, `BETWEEN`). */
  rangeColumns: string[];
  /** time_bucket/date_trunc/interval arithmetic. */
  timeFunctions: boolean;
}

const DDL = new Set(['create', 'alter', 'drop', 'comment', 'grant', 'revoke', 'truncate', 'vacuum', 'analyze', 'reindex']);
const TX = new Set(['begin', 'start', 'commit', 'rollback', 'savepoint', 'release', 'end']);
const VERBS = new Set(['select', 'insert', 'update', 'delete']);
const FULL_TEXT_FUNCS = new Set(['to_tsvector', 'to_tsquery', 'plainto_tsquery', 'phraseto_tsquery', 'websearch_to_tsquery', 'ts_rank', 'ts_rank_cd', 'ts_headline']);
const TIME_FUNCS = new Set(['date_trunc', 'time_bucket', 'date_bin', 'interval', 'date_sub', 'date_add']);
const RANGE_OPS = new Set(['<', '>', '<=', '>=']);

/** Classifies one statement; never throws. */
export function queryFacts(sql: string, dialect: Dialect = 'postgresql'): QueryFacts {
  const toks = tokenize(sql, dialect);
  const facts: QueryFacts = {
    kind: statementKind(toks),
    tables: [],
    joins: false,
    groupBy: false,
    leadingWildcard: false,
    fullText: false,
    recursive: false,
    lockingRead: false,
    equalityColumns: [],
    rangeColumns: [],
    timeFunctions: false,
  };
  const verb = firstVerbIndex(toks);
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    const next = toks[i + 1];
    if (t.kind === 'word') {
      const w = t.value;
      if (w === 'join') facts.joins = true;
      else if (w === 'group' && next?.value === 'by') facts.groupBy = true;
      else if (w === 'recursive' && toks[i - 1]?.value === 'with') facts.recursive = true;
      else if (w === 'for' && (next?.value === 'update' || next?.value === 'share') && facts.kind === 'select') facts.lockingRead = true;
      else if (FULL_TEXT_FUNCS.has(w) || (w === 'against' && toks.some((x) => x.value === 'match'))) facts.fullText = true;
      else if (TIME_FUNCS.has(w)) facts.timeFunctions = true;
      if ((w === 'like' || w === 'ilike') && startsWithWildcard(toks, i + 1)) facts.leadingWildcard = true;
      if (w === 'from' || w === 'join' || w === 'into' || (w === 'update' && i === verb)) {
        const name = tableNameAt(toks, i + 1);
        if (name) facts.tables.push(name);
      }
      if (w === 'between' && i > 0) pushColumn(facts.rangeColumns, toks, i - 1);
    } else if (t.kind === 'op') {
      if ((t.text === '~~' || t.text === '~~*') && startsWithWildcard(toks, i + 1)) facts.leadingWildcard = true;
      if (t.text === '@' && next?.text === '@') facts.fullText = true;
      if (t.text === '=' && next && isValue(next)) pushColumn(facts.equalityColumns, toks, i - 1);
      if (RANGE_OPS.has(t.text) && next && (isValue(next) || next.value === 'now' || next.value === 'current_timestamp' || next.value === 'current_date')) {
        pushColumn(facts.rangeColumns, toks, i - 1);
      }
    }
  }
  if (facts.kind === 'insert' || facts.kind === 'update' || facts.kind === 'delete') {
    const after = facts.kind === 'update' ? verb + 1 : toks.findIndex((x, k) => k > verb && (x.value === 'into' || x.value === 'from')) + 1;
    if (after > 0) facts.writes = tableNameAt(toks, after);
  }
  facts.tables = [...new Set(facts.tables)];
  return facts;
}

function statementKind(toks: Token[]): StatementKind {
  const first = toks.find((t) => t.kind === 'word');
  if (!first) return 'other';
  if (DDL.has(first.value)) return 'ddl';
  if (TX.has(first.value)) return 'transaction';
  const v = firstVerbIndex(toks);
  return v >= 0 ? (toks[v].value as StatementKind) : 'other';
}

/** Index of the statement's main verb: the first SELECT/INSERT/UPDATE/DELETE outside parentheses (skips CTE bodies). */
function firstVerbIndex(toks: Token[]): number {
  let depth = 0;
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    if (t.text === '(') depth++;
    else if (t.text === ')') depth--;
    else if (depth === 0 && t.kind === 'word' && VERBS.has(t.value)) return i;
  }
  return -1;
}

/** The unqualified, lower-cased table name starting at token `i` (`only`, `schema.` skipped). */
function tableNameAt(toks: Token[], i: number): string | undefined {
  let k = i;
  if (toks[k]?.value === 'only') k++;
  let name: string | undefined;
  while (toks[k] && (toks[k].kind === 'word' || toks[k].kind === 'quoted')) {
    name = toks[k].kind === 'quoted' ? toks[k].value : toks[k].value.toLowerCase();
    if (toks[k + 1]?.text === '.') k += 2;
    else break;
  }
  if (!name || VERBS.has(name) || name === 'lateral' || name === 'unnest') return undefined;
  return name;
}

/** Whether the pattern operand at `i` begins with `%`: a literal `'%x'`, or `'%' || …`. */
function startsWithWildcard(toks: Token[], i: number): boolean {
  let k = i;
  while (toks[k]?.text === '(') k++;
  const t = toks[k];
  return t?.kind === 'string' && (t.value.startsWith('%') || t.value.startsWith('_%'));
}

function isValue(t: Token): boolean {
  return t.kind === 'param' || t.kind === 'number' || t.kind === 'string';
}

/** Records the column name ending at token `i` (`col` or `t.col`), if it is one. */
function pushColumn(out: string[], toks: Token[], i: number): void {
  const t = toks[i];
  if (!t || (t.kind !== 'word' && t.kind !== 'quoted')) return;
  out.push(t.value);
}
