/**
 * `schema.prisma` → catalog tables, as `prisma migrate` would create them on PostgreSQL:
 * models (`@@map`/`@map` names), scalar types and `@db.*` native types, enums, `@default`,
 * `@id`/`@@id` (`<Model>_pkey`), `@unique`/`@@unique` (`<Model>_<fields>_key`), `@@index`
 * (`<Model>_<fields>_idx`, `sort`, `type`, `map`), and relations → foreign keys
 * (`<Model>_<fields>_fkey`), which `relationMode = "prisma"` leaves out of the database.
 * Each table also keeps its model and field names, so Prisma calls can be rendered to SQL.
 */
import type { Column, ForeignKey, IndexDef, IndexKey, OrmRelation, SchemaProblem, Table } from '../types';

/** One attribute as written: `@unique`, `@@index([a, b(sort: Desc)], type: Hash)`. */
interface Attribute {
  name: string;
  args: Arg[];
  start: number;
  end: number;
}

type Value = { kind: 'string'; value: string } | { kind: 'ident'; value: string } | { kind: 'number'; value: string } | { kind: 'array'; items: Value[] } | { kind: 'call'; name: string; args: Arg[] };
interface Arg {
  name?: string;
  value: Value;
}

interface FieldDecl {
  name: string;
  type: string;
  list: boolean;
  optional: boolean;
  attributes: Attribute[];
  start: number;
  end: number;
}

interface Block {
  keyword: string;
  name: string;
  start: number;
  end: number;
  bodyStart: number;
  lines: { text: string; start: number }[];
}

const SCALAR_TYPES: Record<string, string> = {
  String: 'text',
  Int: 'integer',
  BigInt: 'bigint',
  Float: 'double precision',
  Decimal: 'decimal(65,30)',
  Boolean: 'boolean',
  DateTime: 'timestamp(3)',
  Json: 'jsonb',
  Bytes: 'bytea',
};

/** `@db.X(args)` → the PostgreSQL type Prisma creates. */
const NATIVE_TYPES: Record<string, string> = {
  Text: 'text', VarChar: 'varchar', Char: 'char', Uuid: 'uuid', Xml: 'xml', Inet: 'inet', Citext: 'citext',
  Bit: 'bit', VarBit: 'varbit', Integer: 'integer', Int: 'integer', SmallInt: 'smallint', BigInt: 'bigint', Oid: 'oid',
  DoublePrecision: 'double precision', Real: 'real', Decimal: 'decimal', Money: 'money', Boolean: 'boolean',
  Timestamp: 'timestamp', Timestamptz: 'timestamptz', Date: 'date', Time: 'time', Timetz: 'timetz',
  Json: 'json', JsonB: 'jsonb', ByteA: 'bytea',
};

const INDEX_METHODS: Record<string, string> = { BTree: 'btree', Hash: 'hash', Gin: 'gin', Gist: 'gist', Brin: 'brin', SpGist: 'spgist' };

/** True for a file Prisma reads as a schema (`schema.prisma`, or a `.prisma` file of a multi-file schema). */
export function isPrismaSchemaFile(file: string): boolean {
  return /\.prisma$/i.test(file);
}

/** Reads a Prisma schema; unreadable parts are reported as problems, never thrown. */
export function readPrismaSchema(file: string, text: string): { tables: Table[]; problems: SchemaProblem[] } {
  const problems: SchemaProblem[] = [];
  const blocks = splitBlocks(stripComments(text));
  const enums = new Set(blocks.filter((b) => b.keyword === 'enum').map((b) => b.name));
  const enumNames = new Map(blocks.filter((b) => b.keyword === 'enum').map((b) => [b.name, enumDbName(b)]));
  const datasource = blocks.find((b) => b.keyword === 'datasource');
  const relationMode = datasource ? /relationMode\s*=\s*"(\w+)"/.exec(datasource.lines.map((l) => l.text).join('\n'))?.[1] : undefined;
  const emulatedRelations = relationMode === 'prisma';
  const models = blocks.filter((b) => b.keyword === 'model');
  const modelNames = new Set(models.map((m) => m.name));
  const parsed = models.map((m) => ({ block: m, fields: parseFields(m, problems, file), blockAttrs: parseBlockAttributes(m, problems, file) }));
  const tableOf = new Map<string, string>();
  for (const p of parsed) tableOf.set(p.block.name, stringArg(p.blockAttrs.find((a) => a.name === 'map')) ?? p.block.name);
  const columnOf = (model: string, field: string): string => {
    const m = parsed.find((p) => p.block.name === model);
    const f = m?.fields.find((x) => x.name === field);
    return (f && stringArg(f.attributes.find((a) => a.name === 'map'))) ?? field;
  };

  const tables: Table[] = [];
  for (const { block, fields, blockAttrs } of parsed) {
    const tableName = tableOf.get(block.name)!;
    const schemaAttr = stringArg(blockAttrs.find((a) => a.name === 'schema'));
    const table: Table = {
      name: tableName,
      ...(schemaAttr ? { schema: schemaAttr } : {}),
      columns: [],
      primaryKey: [],
      uniques: [],
      foreignKeys: [],
      indexes: [],
      source: { file, offset: block.start, end: block.end },
      origin: 'prisma',
      model: block.name,
    };
    const relations: OrmRelation[] = [];
    const col = (field: string): string => columnOf(block.name, field);
    const addIndex = (ix: Omit<IndexDef, 'table' | 'include'>): void => {
      table.indexes.push({ ...ix, table: tableName, include: [] });
    };
    for (const f of fields) {
      if (modelNames.has(f.type)) {
        const rel = f.attributes.find((a) => a.name === 'relation');
        const fieldsArg = rel ? identList(rel, 'fields') : [];
        const refsArg = rel ? identList(rel, 'references') : [];
        relations.push({ field: f.name, model: f.type, list: f.list, fields: fieldsArg, references: refsArg });
        if (fieldsArg.length && !emulatedRelations) {
          const fk: ForeignKey = {
            columns: fieldsArg.map(col),
            refTable: tableOf.get(f.type) ?? f.type,
            refColumns: refsArg.map((r) => columnOf(f.type, r)),
            name: (rel && namedString(rel, 'map')) ?? `${tableName}_${fieldsArg.map(col).join('_')}_fkey`,
            source: { file, offset: f.start, end: f.end },
          };
          table.foreignKeys.push(fk);
        }
        continue;
      }
      const name = col(f.name);
      // Scalar lists are created without NOT NULL (`TEXT[]`), whatever the field says.
      const column: Column = { name, type: columnType(f, enums, enumNames), notNull: !f.optional && !f.list };
      if (f.list && !modelNames.has(f.type)) column.type += '[]';
      const def = f.attributes.find((a) => a.name === 'default');
      const defSql = def ? defaultSql(def.args[0]?.value, column.type) : undefined;
      if (defSql) column.default = defSql;
      if (def?.args[0]?.value.kind === 'call' && def.args[0].value.name === 'autoincrement') {
        column.type = column.type === 'bigint' ? 'bigserial' : column.type === 'smallint' ? 'smallserial' : 'serial';
        delete column.default;
      }
      table.columns.push(column);
      if (name !== f.name) column.field = f.name;
      const id = f.attributes.find((a) => a.name === 'id');
      if (id) {
        column.primaryKey = true;
        table.primaryKey = [name];
        addIndex({ name: namedString(id, 'map') ?? `${tableName}_pkey`, keys: [{ column: name }], unique: true, method: 'btree', implicit: true, source: { file, offset: f.start, end: f.end } });
      }
      const unique = f.attributes.find((a) => a.name === 'unique');
      if (unique) {
        addIndex({ name: namedString(unique, 'map') ?? `${tableName}_${name}_key`, keys: [{ column: name }], unique: true, method: 'btree', implicit: false, source: { file, offset: unique.start, end: unique.end } });
      }
    }
    for (const a of blockAttrs) {
      if (a.name !== 'id' && a.name !== 'unique' && a.name !== 'index') continue;
      const first = a.args.find((x) => !x.name || x.name === 'fields');
      const keys = first?.value.kind === 'array' ? first.value.items.map((v) => indexKey(v, col)) : [];
      if (!keys.length || keys.some((k) => !k)) {
        problems.push({ file, offset: a.start, message: `could not read @@${a.name}: expected a list of fields` });
        continue;
      }
      const plain = (keys as IndexKey[]).map((k) => k.column!);
      const source = { file, offset: a.start, end: a.end };
      if (a.name === 'id') {
        table.primaryKey = plain;
        addIndex({ name: namedString(a, 'map') ?? `${tableName}_pkey`, keys: plain.map((c) => ({ column: c })), unique: true, method: 'btree', implicit: true, source });
      } else {
        const typeArg = a.args.find((x) => x.name === 'type')?.value;
        const method = typeArg?.kind === 'ident' ? INDEX_METHODS[typeArg.value] ?? typeArg.value.toLowerCase() : 'btree';
        const unique = a.name === 'unique';
        const name = namedString(a, 'map') ?? namedString(a, 'name') ?? prismaIndexName(tableName, plain, unique ? 'key' : 'idx');
        addIndex({ name, keys: keys as IndexKey[], unique, method, implicit: false, source });
      }
    }
    if (relations.length) table.relations = relations;
    tables.push(table);
  }
  tables.push(...implicitManyToMany(tables, relationNames(parsed), emulatedRelations, file));
  return { tables, problems };
}

/** `@relation("Name")` of each list relation field without `fields` (model.field → name). */
function relationNames(parsed: { block: Block; fields: FieldDecl[] }[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const p of parsed) {
    for (const f of p.fields) {
      const rel = f.attributes.find((a) => a.name === 'relation');
      const name = rel?.args.find((a) => !a.name || a.name === 'name')?.value;
      if (name?.kind === 'string') out.set(`${p.block.name}.${f.name}`, name.value);
    }
  }
  return out;
}

/**
 * Implicit many-to-many relations (`tags Tag[]` on one side, `posts Post[]` on the other, no
 * `fields`): Prisma creates a join table `_<A>To<B>` (models in alphabetical order, or
 * `_<RelationName>`) with columns "A" and "B", primary key (A, B), an index on B and foreign keys.
 */
function implicitManyToMany(tables: Table[], names: Map<string, string>, emulated: boolean, file: string): Table[] {
  const out: Table[] = [];
  const byModel = new Map(tables.map((t) => [t.model!, t]));
  for (const t of tables) {
    for (const r of t.relations ?? []) {
      if (!r.list || r.fields.length) continue;
      const other = byModel.get(r.model);
      const back = other?.relations?.find((x) => x.model === t.model && x.list && !x.fields.length && (names.get(`${other.model}.${x.field}`) ?? '') === (names.get(`${t.model}.${r.field}`) ?? ''));
      if (!other || !back) continue;
      const [a, b] = [t, other].sort((x, y) => (x.model! < y.model! ? -1 : x.model! > y.model! ? 1 : 0));
      if (a !== t && a !== b) continue; // each pair once, from the alphabetically first model
      if (a === b && r.field > back.field) continue;
      const name = `_${names.get(`${t.model}.${r.field}`) ?? `${a.model}To${b.model}`}`;
      if (out.some((x) => x.name === name)) continue;
      const keyType = (m: Table) => (m.columns.find((c) => c.name === m.primaryKey[0])?.type ?? 'integer').replace(/^serial$/, 'integer').replace(/^bigserial$/, 'bigint');
      const source = { file, offset: t.source!.offset, end: t.source!.end };
      const join: Table = {
        name,
        columns: [
          { name: 'A', type: keyType(a), notNull: true },
          { name: 'B', type: keyType(b), notNull: true },
        ],
        primaryKey: ['A', 'B'],
        uniques: [],
        foreignKeys: emulated
          ? []
          : [
              { columns: ['A'], refTable: a.name, refColumns: [a.primaryKey[0]], name: `${name}_A_fkey`, source },
              { columns: ['B'], refTable: b.name, refColumns: [b.primaryKey[0]], name: `${name}_B_fkey`, source },
            ],
        indexes: [
          { name: `${name}_AB_pkey`, table: name, keys: [{ column: 'A' }, { column: 'B' }], include: [], unique: true, method: 'btree', implicit: true, source },
          { name: `${name}_B_index`, table: name, keys: [{ column: 'B' }], include: [], unique: false, method: 'btree', implicit: false, source },
        ],
        source,
        origin: 'prisma',
      };
      out.push(join);
    }
  }
  return out;
}

/** Prisma's default constraint names: `<table>_<columns>_<suffix>`, cut to 63 bytes as PostgreSQL would. */
export function prismaIndexName(table: string, columns: string[], suffix: 'idx' | 'key' | 'fkey' | 'pkey'): string {
  const base = `${table}_${columns.join('_')}`;
  return base.length + suffix.length + 1 > 63 ? `${base.slice(0, 63 - suffix.length - 1)}_${suffix}` : `${base}_${suffix}`;
}

function indexKey(v: Value, col: (field: string) => string): IndexKey | undefined {
  if (v.kind === 'ident') return { column: col(v.value) };
  if (v.kind === 'call') {
    const sort = v.args.find((a) => a.name === 'sort')?.value;
    const key: IndexKey = { column: col(v.name) };
    if (sort?.kind === 'ident' && sort.value === 'Desc') key.descending = true;
    return key;
  }
  return undefined;
}

function columnType(f: FieldDecl, enums: Set<string>, enumNames: Map<string, string>): string {
  const native = f.attributes.find((a) => a.name.startsWith('db.'));
  if (native) {
    const base = NATIVE_TYPES[native.name.slice(3)] ?? native.name.slice(3).toLowerCase();
    const args = native.args.map((a) => (a.value.kind === 'number' || a.value.kind === 'ident' ? a.value.value : ''));
    return args.length ? `${base}(${args.join(',')})` : base;
  }
  if (enums.has(f.type)) {
    const db = enumNames.get(f.type) ?? f.type;
    return /^[a-z_][a-z0-9_]*$/.test(db) ? db : `"${db}"`;
  }
  return SCALAR_TYPES[f.type] ?? f.type.toLowerCase();
}

function enumDbName(b: Block): string {
  const map = b.lines.map((l) => /^\s*@@map\(\s*"([^"]+)"/.exec(l.text)?.[1]).find(Boolean);
  return map ?? b.name;
}

function defaultSql(v: Value | undefined, type: string): string | undefined {
  if (!v) return undefined;
  if (v.kind === 'string') return `'${v.value.replace(/'/g, "''")}'`;
  if (v.kind === 'number') return v.value;
  if (v.kind === 'ident') {
    if (v.value === 'true' || v.value === 'false') return v.value;
    return `'${v.value}'`; // an enum value
  }
  if (v.kind === 'call') {
    if (v.name === 'now') return 'CURRENT_TIMESTAMP';
    if (v.name === 'dbgenerated') {
      const inner = v.args[0]?.value;
      return inner?.kind === 'string' ? inner.value : undefined;
    }
    // uuid(), cuid(), nanoid(), autoincrement() are filled in by the client or a sequence.
    return undefined;
  }
  if (v.kind === 'array') return type.endsWith('[]') ? 'ARRAY[]' : undefined;
  return undefined;
}

function stringArg(a: Attribute | undefined): string | undefined {
  const v = a?.args.find((x) => !x.name || x.name === 'name')?.value;
  return v?.kind === 'string' ? v.value : undefined;
}

function namedString(a: Attribute, name: string): string | undefined {
  const v = a.args.find((x) => x.name === name)?.value;
  return v?.kind === 'string' ? v.value : undefined;
}

function identList(a: Attribute, name: string): string[] {
  const v = a.args.find((x) => x.name === name)?.value;
  return v?.kind === 'array' ? v.items.filter((i) => i.kind === 'ident').map((i) => (i as { value: string }).value) : [];
}

/** Blanks `//` comments (not inside strings), keeping offsets. */
function stripComments(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') {
        out += c + (text[i + 1] ?? '');
        i++;
        continue;
      }
      if (c === '"' || c === '\n') inString = false;
      out += c;
    } else if (c === '"') {
      inString = true;
      out += c;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') {
        out += ' ';
        i++;
      }
      if (i < text.length) out += '\n';
    } else out += c;
  }
  return out;
}

/** Top-level `keyword Name { … }` blocks with their body lines (continuation lines joined). */
function splitBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  const re = /(^|\n)[ \t]*(model|enum|datasource|generator|view|type)\s+(\w+)\s*\{/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    const start = m.index + m[1].length + (m[0].length - m[1].length - m[0].trimStart().length);
    const bodyStart = m.index + m[0].length;
    let depth = 1;
    let i = bodyStart;
    let inString = false;
    for (; i < text.length && depth > 0; i++) {
      const c = text[i];
      if (inString) {
        if (c === '\\') i++;
        else if (c === '"') inString = false;
      } else if (c === '"') inString = true;
      else if (c === '{') depth++;
      else if (c === '}') depth--;
    }
    const end = i;
    const body = text.slice(bodyStart, end - 1);
    blocks.push({ keyword: m[2], name: m[3], start, end, bodyStart, lines: logicalLines(body, bodyStart) });
    re.lastIndex = end;
  }
  return blocks;
}

/** Lines of a block body; a line with unclosed brackets continues on the next. */
function logicalLines(body: string, base: number): { text: string; start: number }[] {
  const out: { text: string; start: number }[] = [];
  let current = '';
  let start = 0;
  let depth = 0;
  let offset = 0;
  for (const line of body.split('\n')) {
    if (!current.trim()) start = base + offset;
    current += (current ? '\n' : '') + line;
    for (const c of line.replace(/"(\\.|[^"\\])*"/g, '')) {
      if (c === '(' || c === '[') depth++;
      else if (c === ')' || c === ']') depth = Math.max(0, depth - 1);
    }
    offset += line.length + 1;
    if (depth === 0) {
      if (current.trim()) out.push({ text: current, start: start + (current.length - current.trimStart().length) });
      current = '';
    }
  }
  if (current.trim()) out.push({ text: current, start: start + (current.length - current.trimStart().length) });
  return out;
}

function parseFields(b: Block, problems: SchemaProblem[], file: string): FieldDecl[] {
  const out: FieldDecl[] = [];
  for (const line of b.lines) {
    const text = line.text.trim();
    if (text.startsWith('@@')) continue;
    const m = /^(\w+)\s+([\w.]+)(\[\])?(\?)?/.exec(text);
    if (!m) {
      problems.push({ file, offset: line.start, message: `could not read this line of model ${b.name}` });
      continue;
    }
    const attributes = parseAttributes(text.slice(m[0].length), line.start + m[0].length, problems, file);
    out.push({ name: m[1], type: m[2].replace(/^Unsupported$/, 'text'), list: !!m[3], optional: !!m[4], attributes, start: line.start, end: line.start + text.length });
  }
  return out;
}

function parseBlockAttributes(b: Block, problems: SchemaProblem[], file: string): Attribute[] {
  const out: Attribute[] = [];
  for (const line of b.lines) {
    const text = line.text.trim();
    if (!text.startsWith('@@')) continue;
    // Ranges start at the first `@` of `@@index`, so a quick fix can replace the whole attribute.
    out.push(...parseAttributes(text.slice(1), line.start + 1, problems, file).map((a) => ({ ...a, start: a.start - 1 })));
  }
  return out;
}

/** Attributes after a field's type (`@id @default(now()) @db.Timestamptz(6)`) or a block line. */
function parseAttributes(text: string, base: number, problems: SchemaProblem[], file: string): Attribute[] {
  const out: Attribute[] = [];
  const p = new ValueParser(text);
  for (;;) {
    p.space();
    if (p.done()) break;
    if (!p.eat('@')) {
      problems.push({ file, offset: base + p.pos, message: `unexpected text: ${text.slice(p.pos, p.pos + 20)}` });
      break;
    }
    const start = base + p.pos - 1;
    const name = p.name();
    const args = p.peek('(') ? p.args() : [];
    out.push({ name, args, start, end: base + p.pos });
  }
  return out;
}

/** A small recursive-descent reader for attribute arguments. */
class ValueParser {
  pos = 0;
  constructor(private readonly s: string) {}
  done(): boolean {
    return this.pos >= this.s.length;
  }
  space(): void {
    while (this.pos < this.s.length && /\s/.test(this.s[this.pos])) this.pos++;
  }
  peek(c: string): boolean {
    this.space();
    return this.s[this.pos] === c;
  }
  eat(c: string): boolean {
    if (this.peek(c)) {
      this.pos++;
      return true;
    }
    return false;
  }
  name(): string {
    this.space();
    const m = /^[\w.]+/.exec(this.s.slice(this.pos));
    if (!m) {
      this.pos = this.s.length;
      return '';
    }
    this.pos += m[0].length;
    return m[0];
  }
  args(): Arg[] {
    const out: Arg[] = [];
    this.eat('(');
    while (!this.done() && !this.eat(')')) {
      const save = this.pos;
      const n = /^\s*(\w+)\s*:/.exec(this.s.slice(this.pos));
      let name: string | undefined;
      if (n) {
        name = n[1];
        this.pos += n[0].length;
      }
      out.push({ ...(name ? { name } : {}), value: this.value() });
      this.eat(',');
      if (this.pos === save) this.pos++;
    }
    return out;
  }
  value(): Value {
    this.space();
    const c = this.s[this.pos];
    if (c === '"') {
      let i = this.pos + 1;
      let v = '';
      while (i < this.s.length && this.s[i] !== '"') {
        if (this.s[i] === '\\') i++;
        v += this.s[i] ?? '';
        i++;
      }
      this.pos = i + 1;
      return { kind: 'string', value: v };
    }
    if (c === '[') {
      this.pos++;
      const items: Value[] = [];
      while (!this.done() && !this.eat(']')) {
        const save = this.pos;
        items.push(this.value());
        this.eat(',');
        if (this.pos === save) this.pos++;
      }
      return { kind: 'array', items };
    }
    const num = /^-?\d+(\.\d+)?/.exec(this.s.slice(this.pos));
    if (num) {
      this.pos += num[0].length;
      return { kind: 'number', value: num[0] };
    }
    const name = this.name();
    if (this.s[this.pos] === '(') return { kind: 'call', name, args: this.args() };
    return { kind: 'ident', value: name };
  }
}
