/**
 * The query an ORM call or builder chain stands for, in a small model every ORM's reader fills
 * (table, filters, sort, paging) and one writer renders to SQL with a source map. Each filter
 * keeps the file range that produced it and, where the ORM has its own words for it, those
 * words, so findings read in the ORM's terms.
 */
import type { Table } from '../../schema/types';
import { SqlWriter, type OrmQuery, type OrmSource } from './rendered';

/** What a filter compares a column with: a bound value, or a LIKE pattern whose shape is known. */
export type Operand = { kind: 'param' } | { kind: 'pattern'; head: string; tail: string; literal?: boolean } | { kind: 'null' };

export type Cond =
  | { kind: 'cmp'; column: string; op: string; value: Operand; start: number; end: number; words?: string }
  | { kind: 'in'; column: string; count: number; not: boolean; start: number; end: number; words?: string }
  | { kind: 'between'; column: string; start: number; end: number; words?: string }
  | { kind: 'group'; op: 'AND' | 'OR' | 'NOT'; items: Cond[]; start: number; end: number }
  /** A SQL fragment written by the user (`.where('u.email = :e')`), parameters already `$n`-free. */
  | { kind: 'sql'; text: string; start: number; end: number };

export interface OrderItem {
  column: string;
  descending: boolean;
  start: number;
  end: number;
}

export interface QueryModel {
  source: OrmSource;
  kind: 'select' | 'count' | 'update' | 'delete';
  table: Table;
  /** Alias written after the table (`"User"` for TypeORM), when the ORM uses one. */
  alias?: string;
  /** Selected columns; undefined = all columns (rendered as the list, or `*` when `star`). */
  columns?: string[];
  star?: boolean;
  set?: string[];
  where: Cond[];
  order: OrderItem[];
  limit?: { start: number; end: number } | 'one';
  offset?: { start: number; end: number };
  label: string;
  start: number;
  end: number;
}

/** How an ORM writes identifiers and keywords. */
interface Style {
  upper: boolean;
  /** Qualify columns in WHERE/ORDER BY with the table (or alias). */
  qualify: boolean;
  /** TypeORM's `"User"."id" AS "User_id"` select list. */
  aliasedColumns?: boolean;
  /** Sequelize: `FROM "Users" AS "User"`. */
  asAlias?: boolean;
}

const STYLES: Record<OrmSource, Style> = {
  prisma: { upper: true, qualify: true },
  knex: { upper: false, qualify: false },
  kysely: { upper: false, qualify: false },
  drizzle: { upper: false, qualify: true },
  typeorm: { upper: true, qualify: true, aliasedColumns: true },
  sequelize: { upper: true, qualify: true, asAlias: true },
};

function q(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Renders a query model to the SQL its ORM sends, with the source map. */
export function renderModel(m: QueryModel): OrmQuery {
  const s = STYLES[m.source];
  const kw = (k: string) => (s.upper ? k : k.toLowerCase());
  const w = new SqlWriter();
  const table = (m.table.schema ? `${q(m.table.schema)}.` : '') + q(m.table.name);
  // UPDATE and DELETE name the table itself: an alias exists only in a SELECT's FROM.
  const owner = m.alias && m.kind !== 'update' && m.kind !== 'delete' ? q(m.alias) : table;
  const col = (c: string) => (s.qualify ? `${owner}.${q(c)}` : q(c));
  const from = m.alias ? `${table}${s.asAlias ? ` ${kw('AS')} ` : ' '}${q(m.alias)}` : table;
  if (m.kind === 'update') {
    w.add(`${kw('UPDATE')} ${table} ${kw('SET')} `);
    (m.set ?? []).forEach((c, i) => {
      if (i) w.add(', ');
      w.add(`${q(c)} = `).param();
    });
  }
  else if (m.kind === 'delete') w.add(`${kw('DELETE FROM')} ${table}`);
  else if (m.kind === 'count') w.add(`${kw('SELECT')} ${kw('COUNT')}(*) ${kw('FROM')} ${from}`);
  else {
    const cols = m.columns ?? (m.star ? undefined : m.table.columns.map((c) => c.name));
    const list = !cols ? '*' : cols.map((c) => (s.aliasedColumns ? `${owner}.${q(c)} ${kw('AS')} ${q(`${m.alias ?? m.table.name}_${c}`)}` : q(c))).join(', ');
    w.add(`${kw('SELECT')} ${list} ${kw('FROM')} ${from}`);
  }
  if (m.where.length) {
    w.add(` ${kw('WHERE')} `);
    writeConds(w, m.where, 'AND', col, kw, m.table.name);
  }
  if (m.order.length && m.kind !== 'update' && m.kind !== 'delete') {
    w.add(` ${kw('ORDER BY')} `);
    m.order.forEach((o, i) => {
      if (i) w.add(', ');
      w.from(o.start, o.end, () => w.add(`${col(o.column)} ${kw(o.descending ? 'DESC' : 'ASC')}`), { op: 'orderBy', table: m.table.name, column: o.column });
    });
  }
  if (m.limit) {
    w.add(` ${kw('LIMIT')} `);
    if (m.limit === 'one') w.param();
    else w.from(m.limit.start, m.limit.end, () => w.param(), { op: 'limit' });
  }
  if (m.offset) {
    w.add(` ${kw('OFFSET')} `);
    const o = m.offset;
    w.from(o.start, o.end, () => w.param(), { op: 'offset' });
  }
  const tables = [m.table.name];
  return { source: m.source, sql: w.text, start: m.start, end: m.end, label: m.label, tables, spans: w.spans };
}

function writeConds(w: SqlWriter, items: Cond[], joiner: 'AND' | 'OR', col: (c: string) => string, kw: (k: string) => string, table: string): void {
  const many = items.length > 1;
  if (many) w.add('(');
  items.forEach((c, i) => {
    if (i) w.add(` ${kw(joiner)} `);
    writeCond(w, c, col, kw, table);
  });
  if (many) w.add(')');
}

function writeCond(w: SqlWriter, c: Cond, col: (c: string) => string, kw: (k: string) => string, table: string): void {
  switch (c.kind) {
    case 'group':
      w.from(c.start, c.end, () => {
        if (c.op === 'NOT') {
          w.add(`${kw('NOT')} (`);
          writeConds(w, c.items, 'AND', col, kw, table);
          w.add(')');
        } else if (c.items.length) writeConds(w, c.items, c.op, col, kw, table);
        else w.add(c.op === 'OR' ? '1=0' : '1=1');
      });
      return;
    case 'sql':
      w.from(c.start, c.end, () => w.add(`(${c.text})`));
      return;
    case 'in':
      w.from(c.start, c.end, () => {
        w.add(`${col(c.column)} ${kw(c.not ? 'NOT IN' : 'IN')} (`);
        for (let k = 0; k < Math.max(1, c.count); k++) {
          if (k) w.add(', ');
          w.param();
        }
        w.add(')');
      }, { table, column: c.column, ...(c.words ? { words: c.words } : {}) });
      return;
    case 'between':
      w.from(c.start, c.end, () => w.add(`${col(c.column)} ${kw('BETWEEN')} `).param().add(` ${kw('AND')} `).param(), { table, column: c.column, ...(c.words ? { words: c.words } : {}) });
      return;
    case 'cmp':
      w.from(c.start, c.end, () => {
        const v = c.value;
        if (v.kind === 'null') w.add(`${col(c.column)} ${kw(c.op === '<>' || c.op === '!=' ? 'IS NOT NULL' : 'IS NULL')}`);
        else if (v.kind === 'param') w.add(`${col(c.column)} ${kw(c.op)} `).param();
        else if (v.literal) w.add(`${col(c.column)} ${kw(c.op)} '${v.head.replace(/'/g, "''")}'`);
        else {
          w.add(`${col(c.column)} ${kw(c.op)} (`);
          if (v.head) w.add(`'${v.head.replace(/'/g, "''")}' || `);
          w.param();
          if (v.tail) w.add(` || '${v.tail.replace(/'/g, "''")}'`);
          w.add(')');
        }
      }, { op: c.op, table, column: c.column, ...(c.words ? { words: c.words } : {}) });
      return;
  }
}
