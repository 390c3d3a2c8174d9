/**
 * Synthetic rows that make PostgreSQL plan like it would on real data: one
 * `INSERT … SELECT … FROM generate_series` per table, computed inside the engine (no row
 * crosses the WASM boundary). Values respect types, NOT NULL, UNIQUE / PRIMARY KEY (derived
 * from the row number), foreign keys (a referencing row picks an existing row number of the
 * referenced table and derives the same value from it) and plausible distributions: status-like
 * columns get a handful of skewed values, ids are unique, timestamps spread over two years.
 */
import { quoteIdent, quoteLiteral, type ColumnInfo, type TableInfo } from './introspect';

/** Rows for tables not given a count. Matches the `sqlPlanAdvisor.engine.defaultRows` default. */
export const DEFAULT_ROWS = 10_000;

/** Row count for a table from `rows` (by `name` or `schema.name`, case-insensitive). */
export function rowsFor(table: Pick<TableInfo, 'schema' | 'name'>, rows: Record<string, number> | undefined, defaultRows: number): number {
  const lower: Record<string, number> = {};
  for (const [k, v] of Object.entries(rows ?? {})) lower[k.toLowerCase()] = v;
  const n = lower[`${table.schema}.${table.name}`.toLowerCase()] ?? lower[table.name.toLowerCase()] ?? defaultRows;
  return Math.max(0, Math.floor(Number.isFinite(n) ? n : defaultRows));
}

/** The statement that fills one table, or undefined when the table gets no rows. */
export interface FillPlan {
  table: TableInfo;
  rows: number;
  sql?: string;
  /** Columns left to their DEFAULT / NULL because no generator fits their type. */
  skippedColumns: string[];
  /** The relation actually filled when it is not the table itself (a partition). */
  target?: string;
}

/** Where and how one fill lands when it is not simply the whole table (partitions). */
export interface FillTarget {
  /** Qualified relation inserted into (a leaf partition). */
  into: string;
  /** Column → SQL expression replacing the generated value (values inside a partition's bounds). */
  override?: Map<string, string>;
  /** Condition every generated row must meet (the partition constraint); others are dropped. */
  where?: string;
  /** First row number (partitions of one table take consecutive ranges, so ids stay unique). */
  start?: number;
}

// Small vocabularies for categorical columns, most frequent first (the pick below is skewed).
const VOCAB: [RegExp, string[]][] = [
  [/(^|_)(status|state)$/, ['active', 'inactive', 'pending', 'suspended', 'closed']],
  [/(^|_)role$/, ['user', 'admin', 'editor', 'viewer']],
  [/(^|_)(priority|severity|level)$/, ['low', 'medium', 'high', 'urgent']],
  [/(^|_)(tier|plan)$/, ['free', 'pro', 'enterprise']],
  [/(^|_)currency(_code)?$/, ['USD', 'EUR', 'GBP', 'JPY', 'INR']],
  [/(^|_)country(_code)?$/, ['US', 'DE', 'FR', 'GB', 'IN', 'BR', 'JP', 'CA', 'AU', 'ES']],
  [/(^|_)(lang|language|locale)$/, ['en', 'de', 'fr', 'es', 'ja']],
  [/(^|_)gender$/, ['female', 'male', 'other']],
  [/(^|_)city$/, ['London', 'Paris', 'Berlin', 'Tokyo', 'New York', 'Madrid', 'Rome', 'Toronto', 'Sydney', 'Mumbai', 'Lagos', 'Lima']],
  [/(^|_)first_?name$/, ['Alice', 'Bob', 'Carol', 'David', 'Erin', 'Frank', 'Grace', 'Heidi', 'Ivan', 'Judy', 'Mallory', 'Niaj', 'Olivia', 'Peggy', 'Rupert', 'Sybil', 'Trent', 'Victor', 'Walter', 'Yara']],
  [/(^|_)(last_?name|surname)$/, ['Smith', 'Jones', 'Garcia', 'Müller', 'Rossi', 'Dubois', 'Tanaka', 'Kim', 'Singh', 'Silva', 'Novak', 'Cohen', 'Brown', 'Lopez', 'Martin']],
  [/(^|_)(type|kind|category|channel|source|stage|phase|group)$/, Array.from({ length: 8 }, (_, i) => `${'x'}${i + 1}`)],
];

const LONG_TEXT = /(^|_)(description|body|content|text|comment|comments|notes?|bio|summary|message|details|payload)$/;

/** Plans the INSERT for every table. `counts` maps a table's qualified name to its row count. */
export function planFills(tables: TableInfo[], counts: Map<string, number>): FillPlan[] {
  const byName = new Map(tables.map((t) => [t.qualified, t]));
  return tables.map((t) => planFill(t, counts.get(t.qualified) ?? 0, byName, counts));
}

/** Plans the INSERT for one table (or, with `target`, one partition of it). */
export function planFill(table: TableInfo, rows: number, byName: Map<string, TableInfo>, counts: Map<string, number>, target?: FillTarget): FillPlan {
  if (rows <= 0) return { table, rows: 0, skippedColumns: [] };
  const uniqueCols = new Set<string>();
  for (const u of [table.primaryKey, ...table.uniques]) if (u.length === 1) uniqueCols.add(u[0]);

  // Multi-column keys (join tables): enumerate combinations in mixed radix so pairs are unique.
  const radixIdx = new Map<string, string>();
  const composite = [table.primaryKey, ...table.uniques].find((u) => u.length > 1);
  if (composite) {
    let divisor = 1;
    for (const col of composite) {
      const fk = table.foreignKeys.find((f) => f.columns.length === 1 && f.columns[0] === col);
      const n = Math.max(1, fk ? counts.get(fk.refTable) ?? 1 : rows);
      radixIdx.set(col, `(1 + ((g.i::bigint - 1) / ${divisor}) % ${n})`);
      divisor = Math.min(divisor * n, Number.MAX_SAFE_INTEGER);
    }
  }

  const laterals: string[] = [];
  const fkIdx = new Map<string, { idx: string; ref: TableInfo | undefined; refCol: string; nullable: boolean }>();
  table.foreignKeys.forEach((fk, k) => {
    const ref = byName.get(fk.refTable);
    const refRows = counts.get(fk.refTable) ?? 0;
    let idx: string;
    const det = fk.columns.length === 1 ? radixIdx.get(fk.columns[0]) : undefined;
    if (det) idx = det;
    else {
      // Skewed toward low row numbers: a few parents have many children, as in real data.
      laterals.push(`CROSS JOIN LATERAL (SELECT (1 + floor(power(random(), 1.5) * ${Math.max(1, refRows)}))::bigint + 0 * g.i AS r) AS fk${k}`);
      idx = `fk${k}.r`;
    }
    const nullable = fk.columns.every((c) => !table.columns.find((x) => x.name === c)?.notNull);
    fk.columns.forEach((c, j) => {
      if (!fkIdx.has(c)) fkIdx.set(c, { idx, ref, refCol: fk.refColumns[j], nullable: nullable && refRows > 0 ? true : nullable });
    });
  });

  const names: string[] = [];
  const exprs: string[] = [];
  const skipped: string[] = [];
  let overriding = false;
  for (const col of table.columns) {
    if (col.generated) continue;
    let expr: string | undefined = target?.override?.get(col.name);
    const fk = fkIdx.get(col.name);
    if (expr) {
      // A partition key: the partition's bounds decide.
    } else if (fk) {
      const refCol = fk.ref?.columns.find((c) => c.name === fk.refCol);
      expr = refCol ? valueExpr(refCol, fk.ref!.name, fk.idx, true) : undefined;
      if (expr && fk.nullable) expr = `CASE WHEN random() < 0.1 THEN NULL ELSE ${expr} END`;
    } else {
      const idx = radixIdx.get(col.name) ?? 'g.i';
      const unique = uniqueCols.has(col.name) || radixIdx.has(col.name) || !!col.sequence;
      expr = valueExpr(col, table.name, idx, unique);
      if (expr && !col.notNull && !unique) {
        const p = /(^|_)(deleted|archived|cancell?ed|canceled|removed|banned)_(at|on|date)$/.test(col.name.toLowerCase()) ? 0.95 : 0.05;
        expr = `CASE WHEN random() < ${p} THEN NULL ELSE ${expr} END`;
      }
    }
    if (expr === undefined) {
      if (col.hasDefault || !col.notNull) {
        skipped.push(col.name);
        continue;
      }
      // NOT NULL with no default and an unknown type: try a text cast; the INSERT reports if it fails.
      expr = `(g.i::text)::${col.type}`;
    }
    if (col.identity === 'a') overriding = true;
    names.push(quoteIdent(col.name));
    exprs.push(expr);
  }
  if (!names.length) return { table, rows, skippedColumns: skipped };
  const start = target?.start ?? 1;
  const series = `generate_series(${start}, ${start + rows - 1}) AS g(i) ${laterals.join(' ')}`;
  const into = target?.into ?? table.qualified;
  const head = `INSERT INTO ${into} (${names.join(', ')})${overriding ? ' OVERRIDING SYSTEM VALUE' : ''}\n`;
  const sql = target?.where
    ? `${head}SELECT ${names.join(', ')} FROM (SELECT ${exprs.map((e, i) => `${e} AS ${names[i]}`).join(',\n  ')}\nFROM ${series}) AS s\nWHERE ${target.where}\nON CONFLICT DO NOTHING`
    : `${head}SELECT ${exprs.join(',\n  ')}\nFROM ${series}\nON CONFLICT DO NOTHING`;
  return { table, rows, sql, skippedColumns: skipped, target: target?.into };
}

/** Length limit of `character varying(n)` / `character(n)`, if any. */
function lengthLimit(type: string): number | undefined {
  const m = /^(?:character varying|character|varchar|char|bpchar)\((\d+)\)/.exec(type);
  return m ? Number(m[1]) : undefined;
}

/** Skewed pick from a list: the first value is the most common (≈ 45% of rows for 5 values). */
function pick(values: string[], castTo: string): string {
  const arr = `ARRAY[${values.map(quoteLiteral).join(', ')}]`;
  return `(${arr})[1 + floor(power(random(), 2) * ${values.length})::int]::${castTo}`;
}

/**
 * SQL expression for one column's value in a row. `idx` is a SQL expression for the row number
 * the value derives from (unique columns and foreign keys must derive from it so values match
 * across tables); `unique` asks for an injective function of `idx`.
 */
export function valueExpr(col: ColumnInfo, tableName: string, idx: string, unique: boolean): string | undefined {
  const name = col.name.toLowerCase();
  const type = col.baseType.toLowerCase();
  const cast = col.type;
  if (col.allowedValues?.length) return pick(col.allowedValues, cast);
  if (col.enumLabels?.length) return pick(col.enumLabels, cast);

  if (col.category === 'N') return numberExpr(name, type, idx, unique, cast);
  if (col.category === 'B') {
    if (unique) return `(${idx} % 2 = 0)`;
    const p = /^(is_|has_)?(active|enabled|verified|visible|published|confirmed|valid)$/.test(name)
      ? 0.8
      : /^(is_)?(deleted|archived|banned|blocked|locked|suspended|flagged)$/.test(name) ? 0.05 : 0.5;
    return `(random() < ${p})`;
  }
  if (col.category === 'D') return dateTimeExpr(name, type, idx, unique, cast);
  if (col.category === 'S') return stringExpr(name, type, tableName, idx, unique, cast, col.defaultLiteral);
  if (type === 'uuid') return unique ? `md5(${quoteLiteral(tableName + ':')} || ${idx})::uuid` : `md5(random()::text)::uuid`;
  if (type === 'json' || type === 'jsonb') return `jsonb_build_object('id', ${idx}, 'tag', 'tag' || (${idx} % 10))::${cast}`;
  if (type === 'bytea') return `decode(md5(${idx}::text), 'hex')`;
  if (type === 'inet' || type === 'cidr') return `('10.0.0.0'::inet + ${idx})::${cast}`;
  if (type === 'tsvector') return `to_tsvector('simple', 'word' || (${idx} % 1000) || ' common')`;
  if (col.category === 'A') return col.notNull ? `'{}'::${cast}` : undefined;
  return undefined;
}

function numberExpr(name: string, type: string, idx: string, unique: boolean, cast: string): string {
  const isInt = /^(integer|smallint|bigint|int[248]?|oid)$/.test(type);
  const m = /^numeric\((\d+),(\d+)\)/.exec(type);
  if (unique) return `(${idx})::${cast}`;
  if (type === 'money') return `(random() * 1000)::numeric(12,2)::money`;
  let max = 1000;
  let expr: string;
  if (/(^|_)age$/.test(name)) expr = `18 + floor(random() * 63)`;
  else if (/(^|_)(quantity|qty|units)$/.test(name)) expr = `1 + floor(random() * 10)`;
  else if (/(^|_)year$/.test(name)) expr = `1990 + floor(random() * 36)`;
  else if (/(^|_)(rating|stars|score)$/.test(name)) expr = `1 + floor(random() * 5)`;
  else if (/(^|_)(count|total_count|views|clicks|likes)$|_count$/.test(name)) expr = `floor(power(random(), 3) * 1000)`;
  else if (/(^|_)(price|amount|total|cost|balance|subtotal|tax|fee|salary)(_cents)?$/.test(name)) {
    max = /_cents$/.test(name) ? 100_000 : 500;
    expr = `power(random(), 2) * ${max}`;
  } else expr = `random() * ${max}`;
  if (type === 'smallint') expr = `least(${expr}, 32000)`;
  if (m) {
    const p = Number(m[1]);
    const s = Number(m[2]);
    const cap = Math.pow(10, p - s) - 1;
    return `round(least(${expr}, ${cap})::numeric, ${s})::${cast}`;
  }
  if (isInt) return `floor(${expr})::${cast}`;
  return `(${expr})::${cast}`;
}

function dateTimeExpr(name: string, type: string, idx: string, unique: boolean, cast: string): string | undefined {
  if (type === 'date') {
    if (/(^|_)(birth|dob|birthday|born)/.test(name)) return `(date '1950-01-01' + floor(random() * 20000)::int)`;
    if (unique) return `(date '1970-01-01' + (${idx})::int)`;
    return `(current_date - floor(random() * 730)::int)`;
  }
  if (type.startsWith('timestamp')) {
    if (unique) return `(timestamp '2020-01-01' + (${idx}) * interval '1 second')::${cast}`;
    if (/(^|_)(expires|due|scheduled|starts?|ends?)(_at|_on)?$/.test(name)) return `(now() + (random() * 2 - 1) * interval '365 days')::${cast}`;
    return `(now() - random() * interval '730 days')::${cast}`;
  }
  if (type.startsWith('time')) return `(time '00:00' + random() * interval '24 hours')::${cast}`;
  if (type === 'interval') return `(random() * interval '30 days')`;
  return undefined;
}

/** Status values of order-like tables, most common first (a mature shop ships most orders). */
const ORDER_STATES = ['delivered', 'shipped', 'paid', 'pending', 'cancelled', 'refunded'];

/**
 * The values of a categorical column: the column's vocabulary (order-like tables get order
 * states), in the letter case of its default, which is always among them — `DEFAULT 'PENDING'`
 * yields `DELIVERED, SHIPPED, PAID, PENDING…`, so queries written against real data match.
 */
function vocabulary(name: string, tableName: string, base: string[], defaultLiteral: string | undefined): string[] {
  let values = base[0] === 'x1' ? base.map((_, i) => `${name}_${i + 1}`) : base;
  if (/(^|_)(status|state)$/.test(name) && /order|shipment|payment|invoice|purchase|checkout|cart/i.test(tableName)) values = ORDER_STATES;
  if (defaultLiteral !== undefined && defaultLiteral.length <= 40) {
    const upper = defaultLiteral === defaultLiteral.toUpperCase() && /[A-Z]/.test(defaultLiteral);
    const cased = upper ? values.map((v) => v.toUpperCase()) : values;
    // The default is the initial state: common, but not the majority in settled data.
    const rest = cased.filter((v) => v.toLowerCase() !== defaultLiteral.toLowerCase());
    values = [...rest.slice(0, 2), defaultLiteral, ...rest.slice(2)];
  }
  return values;
}

function stringExpr(name: string, type: string, tableName: string, idx: string, unique: boolean, cast: string, defaultLiteral?: string): string {
  const limit = lengthLimit(type);
  const fit = (e: string) => (limit ? `left(${e}, ${limit})::${cast}` : `(${e})::${cast}`);
  if (/(^|_)e?mail(_address)?$/.test(name)) return fit(`'user' || ${idx} || '@example.com'`);
  if (!unique) {
    const vocab = VOCAB.find(([re]) => re.test(name));
    if (vocab) {
      const values = vocabulary(name, tableName, vocab[1], defaultLiteral);
      return limit ? `left(${pick(values, 'text')}, ${limit})::${cast}` : pick(values, cast);
    }
    if (LONG_TEXT.test(name)) return fit(`repeat('lorem ipsum dolor sit amet ', 1 + floor(random() * 6)::int)`);
    if (/(^|_)(password|hash|digest|checksum)$/.test(name)) return fit(`md5(random()::text)`);
  }
  if (/(^|_)(phone|mobile|tel)/.test(name)) return fit(`'+1-555-' || lpad((${idx})::text, 7, '0')`);
  if (/(^|_)(url|website|link|homepage)$/.test(name)) return fit(`'https://example.com/${tableName}/' || ${idx}`);
  if (limit !== undefined && limit < 8) return fit(`md5((${idx})::text)`);
  return fit(`${quoteLiteral(name + '_')} || ${idx}`);
}

/** Statements that move each serial/identity sequence past the generated ids. */
export function sequenceResets(tables: TableInfo[]): string[] {
  const out: string[] = [];
  for (const t of tables) {
    for (const c of t.columns) {
      if (!c.sequence || c.category !== 'N') continue;
      out.push(`SELECT setval(${quoteLiteral(c.sequence)}, GREATEST((SELECT max(${quoteIdent(c.name)}) FROM ${t.qualified})::bigint, 1))`);
    }
  }
  return out;
}
