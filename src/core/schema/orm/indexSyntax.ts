/**
 * An index written the way the table's ORM declares indexes — Prisma `@@index([...])`, Drizzle
 * `index('…').on(t.a, t.b)`, TypeORM `@Index([...])`, a Sequelize `queryInterface.addIndex`
 * migration, a Knex `table.index([...])` — so advice lands in the file the team edits. Shapes an
 * ORM cannot declare (expression keys, INCLUDE, partial indexes) get no ORM form: the raw DDL,
 * in a migration, stays the way.
 */
import type { IndexKey, SchemaOrigin, Table } from '../types';

/** An index in an ORM's syntax, and where it goes. */
export interface OrmIndexForm {
  origin: Exclude<SchemaOrigin, 'sql' | 'server'>;
  /** The declaration as written in that ORM (`@@index([customerId, placedAt(sort: Desc)])`). */
  syntax: string;
  /** The file that declares the table (where the declaration goes). */
  file?: string;
  /**
   * An insertion into `file` that adds the declaration, when it can be placed exactly
   * (Prisma: before the model's closing brace).
   */
  edit?: { offset: number; newText: string };
  /** What to run after editing, in words (`npx prisma migrate dev`). */
  then?: string;
}

/** The index shape to render: keys, and what ORMs cannot say. */
export interface IndexShape {
  name: string;
  /** Keys; `ops` is an operator class (`gin_trgm_ops`). */
  keys: (IndexKey & { ops?: string })[];
  include?: string[];
  where?: string;
  method?: string;
  unique?: boolean;
}

const PRISMA_METHODS: Record<string, string> = { hash: 'Hash', gin: 'Gin', gist: 'Gist', brin: 'Brin', spgist: 'SpGist' };

/** The ORM form of an index on a table declared by an ORM; undefined for SQL tables or shapes the ORM cannot declare. */
export function ormIndexForm(table: Table, ix: IndexShape, opts: { drizzleParam?: string } = {}): OrmIndexForm | undefined {
  const origin = table.origin;
  if (!origin || origin === 'sql' || origin === 'server') return undefined;
  if (ix.include?.length || ix.where || ix.keys.some((k) => !k.column)) return undefined;
  // Operator classes: Prisma (`ops: raw(…)`) and Drizzle (`.op(…)`) can say them, the others cannot.
  if (ix.keys.some((k) => k.ops) && origin !== 'prisma' && origin !== 'drizzle') return undefined;
  const field = (column: string): string => table.columns.find((c) => c.name === column)?.field ?? column;
  const file = table.source?.file;
  const method = ix.method && ix.method !== 'btree' ? ix.method : undefined;
  switch (origin) {
    case 'prisma': {
      const keys = ix.keys.map((k) => field(k.column!) + (k.ops ? `(ops: raw("${k.ops}"))` : k.descending ? '(sort: Desc)' : '')).join(', ');
      const extra = method ? `, type: ${PRISMA_METHODS[method] ?? method}` : '';
      const syntax = `@@${ix.unique ? 'unique' : 'index'}([${keys}]${extra})`;
      const end = table.source?.end;
      return {
        origin,
        syntax,
        file,
        // The model's closing brace starts its line in formatted schemas: insert the line before it.
        ...(end !== undefined ? { edit: { offset: end - 1, newText: `  ${syntax}\n` } } : {}),
        then: 'npx prisma migrate dev --name add_index (creates and applies the migration)',
      };
    }
    case 'drizzle': {
      const keys = ix.keys.map((k) => `${opts.drizzleParam ?? 'table'}.${field(k.column!)}${k.ops ? `.op('${k.ops}')` : k.descending ? '.desc()' : ''}`).join(', ');
      const using = method ? `.using('${method}', ${keys})` : `.on(${keys})`;
      return { origin, syntax: `${ix.unique ? 'uniqueIndex' : 'index'}('${ix.name}')${using}`, file, then: 'npx drizzle-kit generate, then apply the migration' };
    }
    case 'typeorm': {
      const keys = ix.keys.map((k) => `'${field(k.column!)}'`).join(', ');
      const opts = [ix.unique ? 'unique: true' : '', method === 'gin' || method === 'gist' ? `spatial: false` : ''].filter(Boolean);
      return { origin, syntax: `@Index('${ix.name}', [${keys}]${opts.length ? `, { ${opts.join(', ')} }` : ''})`, file, then: 'npx typeorm migration:generate, then migration:run' };
    }
    case 'sequelize': {
      const fields = ix.keys.map((k) => (k.descending ? `{ name: '${k.column}', order: 'DESC' }` : `'${k.column}'`)).join(', ');
      const opts = [`name: '${ix.name}'`, ix.unique ? 'unique: true' : '', method ? `using: '${method.toUpperCase()}'` : ''].filter(Boolean).join(', ');
      return { origin, syntax: `await queryInterface.addIndex('${table.name}', [${fields}], { ${opts} });`, file, then: 'in a new migration (npx sequelize-cli migration:generate), then db:migrate' };
    }
    case 'knex': {
      const cols = ix.keys.map((k) => `'${k.column}'`).join(', ');
      const call = ix.unique ? `table.unique([${cols}], { indexName: '${ix.name}' })` : `table.index([${cols}], '${ix.name}'${method ? `, '${method}'` : ''})`;
      return { origin, syntax: `knex.schema.alterTable('${table.name}', (table) => { ${call}; });`, file, then: 'in a new migration (npx knex migrate:make), then migrate:latest' };
    }
  }
  return undefined;
}

/**
 * The ORM form of a suggested `CREATE [UNIQUE] INDEX [CONCURRENTLY] name ON t [USING m] (keys)`
 * statement, as the lint rules write them; undefined for SQL tables and shapes the ORM cannot say.
 */
export function ormFormOfDdl(table: Table, ddl: string): OrmIndexForm | undefined {
  const shape = indexShapeOfDdl(table, ddl);
  return shape ? ormIndexForm(table, shape) : undefined;
}

/** The index shape of a suggested CREATE INDEX on an ORM table; undefined when the ORM cannot declare it. */
export function indexShapeOfDdl(table: Table, ddl: string): IndexShape | undefined {
  if (!table.origin || table.origin === 'sql' || table.origin === 'server') return undefined;
  const m = /^\s*create\s+(unique\s+)?index\s+(?:concurrently\s+)?(?:if\s+not\s+exists\s+)?("(?:[^"]|"")+"|[\w$]+)\s+on\s+(?:only\s+)?\S+\s*(?:using\s+(\w+)\s*)?\(([^()]*(?:\([^()]*\)[^()]*)*)\)\s*(\S.*)?$/is.exec(ddl.replace(/;\s*$/, ''));
  if (!m || m[5]) return undefined; // INCLUDE / WHERE: not an ORM shape
  const keys: IndexShape['keys'] = [];
  for (const part of m[4].split(',')) {
    const k = /^\s*("(?:[^"]|"")+"|[a-z_][\w$]*)(?:\s+([a-z_]\w*_ops))?(?:\s+(asc|desc))?\s*$/i.exec(part);
    if (!k) return undefined;
    const column = k[1].startsWith('"') ? k[1].slice(1, -1).replace(/""/g, '"') : k[1].toLowerCase();
    const real = table.columns.find((c) => c.name === column) ?? table.columns.find((c) => c.name.toLowerCase() === column.toLowerCase());
    if (!real) return undefined;
    keys.push({ column: real.name, ...(k[3]?.toLowerCase() === 'desc' ? { descending: true } : {}), ...(k[2] ? { ops: k[2] } : {}) });
  }
  const name = m[2].startsWith('"') ? m[2].slice(1, -1) : m[2];
  return { name, keys, method: m[3]?.toLowerCase(), unique: !!m[1] };
}
