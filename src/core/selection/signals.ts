/**
 * Workspace signals: facts read from the schema catalog and the workspace's queries that
 * pre-fill the questionnaire, each shown to the user as evidence ("17 tables with foreign
 * keys", "`LIKE '%…%'` in 6 queries → full-text need"). Pure: the extension gathers the
 * inputs, this decides what they mean.
 */
import type { Dialect } from '../dialect';
import { splitStatements } from '../sql/split';
import type { Catalog, Table } from '../schema/types';
import { queryFacts, type QueryFacts } from './queryFacts';
import type { Answers, QueryPattern, Signal, WorkspaceSignals } from './types';

export interface SignalInput {
  catalog: Catalog;
  /** SQL texts found in the workspace (files or embedded strings); each may hold several statements. */
  queries: string[];
  dialect?: Dialect;
}

/** Only this many statements are classified: signals are about proportions, not totals. */
const MAX_STATEMENTS = 20_000;

const TIME_TYPES = /^(timestamp|timestamptz|datetime|date\b|time with)/;
const JSON_TYPES = /^(json|jsonb)\b/;
const MONEY_TYPES = /^(numeric|decimal|money)\b/;
const MONEY_NAMES = /(amount|balance|price|total|cost|credit|debit)/;
const STOCK_NAMES = /(stock|inventory|on_hand|reserved)/;
const INTEGER_TYPES = /^(int|integer|smallint|bigint|int2|int4|int8|numeric|decimal)\b/;
const EVENT_NAMES = /(event|log|metric|reading|measurement|sample|tick|audit|history|telemetry)/;
const SHARD_KEY_NAMES = /^(tenant|org|organization|account|customer|company|workspace|team|user)_id$/;

/** Reads the workspace's schema and queries into evidence and pre-filled answers. */
export function computeSignals(input: SignalInput): WorkspaceSignals {
  const dialect = input.dialect ?? 'postgresql';
  const tables = [...input.catalog.tables.values()];
  const facts = classify(input.queries, dialect);
  const dml = facts.filter((f) => f.kind === 'select' || f.kind === 'insert' || f.kind === 'update' || f.kind === 'delete');
  const signals: Signal[] = [];
  const answers: Partial<Answers> = {};
  const patterns = new Set<QueryPattern>();
  const suggestPattern = (p: QueryPattern) => patterns.add(p);

  // --- Schema shape -------------------------------------------------------------------------
  const fkTables = tables.filter(hasForeignKey);
  const jsonTables = tables.filter((t) => t.columns.some((c) => JSON_TYPES.test(c.type)));
  const written = writtenBy(dml);
  const timeSeries = tables.filter((t) => isAppendOnlyTimeSeries(t, written));
  const edges = tables.filter((t) => edgeTarget(t) !== undefined);
  const keyValue = tables.filter(isKeyValueTable);
  const money = tables.flatMap((t) => t.columns.filter((c) => (MONEY_TYPES.test(c.type) && MONEY_NAMES.test(c.name)) || (INTEGER_TYPES.test(c.type) && STOCK_NAMES.test(c.name))).map((c) => `${t.name}.${c.name}`));

  if (fkTables.length > 0) {
    signals.push({ id: 'foreign-keys', text: `${plural(fkTables.length, 'table')} with foreign keys`, suggests: { question: 'dataShape', value: 'relational' } });
  }
  if (jsonTables.length > 0) {
    const majority = jsonTables.length * 2 >= tables.length && jsonTables.length > fkTables.length;
    signals.push({
      id: 'json-columns',
      text: `JSON columns used in ${plural(jsonTables.length, 'table')}${majority ? ' → documents with varying fields' : ' (alongside relational data: JSONB covers it)'}`,
      suggests: majority ? { question: 'dataShape', value: 'documents' } : undefined,
    });
  }
  for (const t of timeSeries.slice(0, 3)) {
    signals.push({ id: `time-series:${t.name}`, text: `append-only table \`${t.name}\` with a timestamp → time-series`, suggests: { question: 'patterns', value: 'time-range' } });
    suggestPattern('time-range');
  }
  if (timeSeries.length > 3) signals.push({ id: 'time-series:more', text: `${timeSeries.length - 3} more append-only time-stamped tables` });
  for (const t of edges.slice(0, 2)) {
    signals.push({ id: `edge:${t.name}`, text: `edge table \`${t.name}\` links ${edgeTarget(t)} to ${edgeTarget(t)} → graph relationships`, suggests: { question: 'patterns', value: 'graph-traversal' } });
    suggestPattern('graph-traversal');
  }
  for (const t of keyValue.slice(0, 2)) {
    signals.push({ id: `key-value:${t.name}`, text: `key-value table \`${t.name}\` (${t.columns.map((c) => c.name).join(', ')})`, suggests: { question: 'patterns', value: 'key-lookup' } });
    suggestPattern('key-lookup');
  }
  if (money.length > 0) {
    const shown = money.slice(0, 3).map((m) => `\`${m}\``).join(', ');
    signals.push({ id: 'money', text: `money or stock columns (${shown}${money.length > 3 ? ', …' : ''}) → multi-record transactions`, suggests: { question: 'transactions', value: 'multi-record' } });
    answers.transactions = 'multi-record';
  }

  // Data shape: the majority shape wins; relational when foreign keys link at least two tables.
  if (tables.length > 0) {
    if (jsonTables.length * 2 >= tables.length && jsonTables.length > fkTables.length) answers.dataShape = 'documents';
    else if (timeSeries.length * 2 > tables.length) answers.dataShape = 'wide-time-ordered';
    else if (keyValue.length === tables.length) answers.dataShape = 'key-value';
    else if (edges.length * 3 >= tables.length && edges.length > 0) answers.dataShape = 'graph';
    else if (fkTables.length > 0) answers.dataShape = 'relational';
  }
  if (answers.dataShape === 'wide-time-ordered') signals.push({ id: 'shape-time-series', text: 'most tables are append-only time series', suggests: { question: 'dataShape', value: 'wide-time-ordered' } });
  if (answers.dataShape === 'key-value') signals.push({ id: 'shape-key-value', text: 'every table is a key-value table', suggests: { question: 'dataShape', value: 'key-value' } });
  if (answers.dataShape === 'graph') signals.push({ id: 'shape-graph', text: 'edge tables make up a large part of the schema', suggests: { question: 'dataShape', value: 'graph' } });

  // --- Queries ------------------------------------------------------------------------------
  const count = (pred: (f: QueryFacts) => boolean) => dml.filter(pred).length;
  const wildcard = count((f) => f.leadingWildcard);
  const fullText = count((f) => f.fullText);
  if (wildcard > 0) {
    signals.push({ id: 'leading-wildcard', text: `\`LIKE '%…%'\` in ${plural(wildcard, 'query', 'queries')} → full-text need`, suggests: { question: 'patterns', value: 'full-text' } });
    suggestPattern('full-text');
  }
  if (fullText > 0) {
    signals.push({ id: 'full-text', text: `full-text search functions in ${plural(fullText, 'query', 'queries')}`, suggests: { question: 'patterns', value: 'full-text' } });
    suggestPattern('full-text');
  }
  const joins = count((f) => f.joins);
  if (joins > 0 || fkTables.length >= 2) {
    signals.push({ id: 'joins', text: joins > 0 ? `JOIN in ${plural(joins, 'query', 'queries')}` : 'foreign keys imply joins', suggests: { question: 'patterns', value: 'joins' } });
    suggestPattern('joins');
  }
  const selects = count((f) => f.kind === 'select');
  const grouped = count((f) => f.groupBy);
  if (grouped > 0) {
    const heavy = grouped >= 5 || grouped * 4 >= Math.max(selects, 1);
    signals.push({ id: 'group-by', text: `GROUP BY in ${plural(grouped, 'query', 'queries')}${heavy ? ' → aggregations' : ''}`, suggests: heavy ? { question: 'patterns', value: 'aggregations' } : undefined });
    if (heavy) suggestPattern('aggregations');
  }
  const recursive = count((f) => f.recursive);
  if (recursive > 0) {
    signals.push({ id: 'recursive', text: `recursive CTEs in ${plural(recursive, 'query', 'queries')} → graph traversal`, suggests: { question: 'patterns', value: 'graph-traversal' } });
    suggestPattern('graph-traversal');
  }
  const lookups = count((f) => f.kind === 'select' && f.equalityColumns.some((c) => isKeyColumn(c, f.tables, input.catalog)));
  if (lookups > 0) {
    signals.push({ id: 'key-lookups', text: `${plural(lookups, 'lookup')} by primary or unique key`, suggests: { question: 'patterns', value: 'key-lookup' } });
    suggestPattern('key-lookup');
  }
  const timeRanges = count((f) => f.kind === 'select' && (f.timeFunctions || f.rangeColumns.some((c) => isTimeColumn(c, f.tables, input.catalog))));
  if (timeRanges > 0) {
    signals.push({ id: 'time-ranges', text: `time-range filters in ${plural(timeRanges, 'query', 'queries')}`, suggests: { question: 'patterns', value: 'time-range' } });
    suggestPattern('time-range');
  }
  const locking = count((f) => f.lockingRead);
  const txControl = facts.filter((f) => f.kind === 'transaction').length;
  if (locking > 0 || txControl > 0) {
    const parts = [locking > 0 ? `SELECT … FOR UPDATE in ${plural(locking, 'query', 'queries')}` : '', txControl > 0 ? `${plural(txControl, 'transaction statement')}` : ''].filter(Boolean);
    signals.push({ id: 'transactions', text: `${parts.join(', ')} → multi-record transactions`, suggests: { question: 'transactions', value: 'multi-record' } });
    answers.transactions = 'multi-record';
  }
  if (dml.length >= 5) {
    const updates = count((f) => f.kind === 'update');
    const writes = count((f) => f.kind === 'insert' || f.kind === 'update' || f.kind === 'delete');
    const share = writes / dml.length;
    const mix: Answers['readWriteMix'] = share < 0.25 ? 'read-heavy' : share < 0.5 ? 'balanced' : 'write-heavy';
    signals.push({
      id: 'write-share',
      text: `${per100(updates, dml.length)} UPDATE statements per 100 queries; ${per100(writes, dml.length)} of 100 write (in the code, not measured traffic)`,
      suggests: { question: 'readWriteMix', value: mix },
    });
    answers.readWriteMix = mix;
  }

  if (patterns.size > 0) answers.patterns = [...patterns];
  const shardKeyHint = shardKey(tables);
  if (shardKeyHint) signals.push({ id: 'shard-key', text: `\`${shardKeyHint.column}\` appears in ${shardKeyHint.tables} of ${tables.length} tables → natural shard key` });
  return { signals, answers, shardKeyHint, tableCount: tables.length, queryCount: dml.length };
}

function classify(queries: string[], dialect: Dialect): QueryFacts[] {
  const out: QueryFacts[] = [];
  for (const q of queries) {
    if (typeof q !== 'string' || q.length === 0) continue;
    for (const st of splitStatements(q, dialect)) {
      if (out.length >= MAX_STATEMENTS) return out;
      out.push(queryFacts(st.text, dialect));
    }
  }
  return out;
}

function hasForeignKey(t: Table): boolean {
  return t.foreignKeys.length > 0 || t.columns.some((c) => c.references);
}

/** Tables changed in place (UPDATE/DELETE) and tables inserted into, by the workspace's queries. */
function writtenBy(facts: QueryFacts[]): { changed: Set<string>; inserted: Set<string> } {
  const changed = new Set<string>();
  const inserted = new Set<string>();
  for (const f of facts) {
    if (!f.writes) continue;
    (f.kind === 'insert' ? inserted : changed).add(f.writes.toLowerCase());
  }
  return { changed, inserted };
}

/**
 * An append-only time series: a time-typed column, never updated or deleted by the code, and
 * either inserted into by the code or named like an event/metric/log table.
 */
function isAppendOnlyTimeSeries(t: Table, w: { changed: Set<string>; inserted: Set<string> }): boolean {
  const name = t.name.toLowerCase();
  if (!t.columns.some((c) => TIME_TYPES.test(c.type))) return false;
  if (w.changed.has(name)) return false;
  return w.inserted.has(name) || EVENT_NAMES.test(name);
}

/** The table an edge table links to itself through two foreign keys (follows: users → users). */
function edgeTarget(t: Table): string | undefined {
  const targets = new Map<string, number>();
  const add = (table: string) => targets.set(table.toLowerCase(), (targets.get(table.toLowerCase()) ?? 0) + 1);
  for (const fk of t.foreignKeys) add(fk.refTable);
  for (const c of t.columns) if (c.references && !t.foreignKeys.some((fk) => fk.columns.includes(c.name))) add(c.references.table);
  for (const [table, n] of targets) if (n >= 2) return table;
  return undefined;
}

/** A table of the shape (key primary key, value [, expiry]): access by key only. */
function isKeyValueTable(t: Table): boolean {
  if (t.primaryKey.length !== 1 || t.columns.length < 2 || t.columns.length > 3 || hasForeignKey(t)) return false;
  return t.columns.some((c) => !t.primaryKey.includes(c.name) && /^(json|jsonb|bytea|blob|longblob|text|mediumtext|longtext)\b/.test(c.type));
}

function columnOf(name: string, tables: string[], catalog: Catalog) {
  for (const tn of tables) {
    const t = catalog.tables.get(tn.toLowerCase());
    const c = t?.columns.find((x) => x.name.toLowerCase() === name.toLowerCase());
    if (t && c) return { t, c };
  }
  return undefined;
}

function isKeyColumn(name: string, tables: string[], catalog: Catalog): boolean {
  const hit = columnOf(name, tables, catalog);
  if (!hit) return name.toLowerCase() === 'id';
  const { t, c } = hit;
  return (t.primaryKey.length === 1 && t.primaryKey[0] === c.name) || !!c.unique || t.uniques.some((u) => u.length === 1 && u[0] === c.name);
}

function isTimeColumn(name: string, tables: string[], catalog: Catalog): boolean {
  const hit = columnOf(name, tables, catalog);
  return !!hit && TIME_TYPES.test(hit.c.type);
}

/** The tenant-like key shared by most tables, when one stands out (≥ 3 tables and ≥ half). */
function shardKey(tables: Table[]): { column: string; tables: number } | undefined {
  const counts = new Map<string, number>();
  for (const t of tables) for (const c of t.columns) if (SHARD_KEY_NAMES.test(c.name.toLowerCase())) counts.set(c.name.toLowerCase(), (counts.get(c.name.toLowerCase()) ?? 0) + 1);
  let best: { column: string; tables: number } | undefined;
  for (const [column, n] of counts) if (!best || n > best.tables) best = { column, tables: n };
  return best && best.tables >= 3 && best.tables * 2 >= tables.length ? best : undefined;
}

function plural(n: number, one: string, many = one + 's'): string {
  return `${n} ${n === 1 ? one : many}`;
}

function per100(part: number, whole: number): number {
  return Math.round((part / whole) * 100);
}
