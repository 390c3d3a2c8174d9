/**
 * The catalogue of database APIs we recognise in TS/JS without a type checker. Without types
 * we cannot know that `pool` is a `pg.Pool`, so every entry pairs a call shape with a
 * heuristic on names (the receiver's last name, the method name) that real code follows.
 * The heuristics are tuned against the labelled corpus in test/fixtures/n-plus-one.
 */
import ts = require('typescript');
import { lastName, unwrap } from './source';

export type ApiFamily =
  | 'driver' // pg, mysql2 and anything else with query(sql)/execute(sql)
  | 'sqlite' // better-sqlite3 / sqlite3
  | 'knex'
  | 'kysely'
  | 'drizzle'
  | 'sequelize'
  | 'typeorm'
  | 'prisma'
  | 'mongoose'
  | 'tagged'; // sql`…` of postgres.js, slonik, Drizzle, Prisma.sql

/** How a call receives SQL text in its first argument. */
interface SqlArgMethod {
  family: ApiFamily;
  /** Only when the receiver's name looks like a database handle (`db.get(sql)`, not `router.get`). */
  needsDbReceiver: boolean;
}

/**
 * Methods whose first argument is SQL text. `query`/`execute` cover pg (`pool.query`,
 * `client.query`), mysql2 (`connection.execute`), TypeORM (`manager.query`,
 * `dataSource.query`, `queryRunner.query`) and Sequelize (`sequelize.query`); the family is
 * refined from the receiver name in `familyOfQueryReceiver`.
 */
export const SQL_ARG_METHODS: ReadonlyMap<string, SqlArgMethod> = new Map<string, SqlArgMethod>([
  ['query', { family: 'driver', needsDbReceiver: false }],
  ['execute', { family: 'driver', needsDbReceiver: false }],
  ['raw', { family: 'knex', needsDbReceiver: false }],
  ['unsafe', { family: 'tagged', needsDbReceiver: false }], // postgres.js sql.unsafe('…')
  ['$queryRawUnsafe', { family: 'prisma', needsDbReceiver: false }],
  ['$executeRawUnsafe', { family: 'prisma', needsDbReceiver: false }],
  ['prepare', { family: 'sqlite', needsDbReceiver: false }],
  ['exec', { family: 'sqlite', needsDbReceiver: true }],
  ['all', { family: 'sqlite', needsDbReceiver: true }],
  ['get', { family: 'sqlite', needsDbReceiver: true }],
  ['run', { family: 'sqlite', needsDbReceiver: true }],
  ['each', { family: 'sqlite', needsDbReceiver: true }],
]);

/** Names of database handles as people write them: `db`, `pool`, `this.client`, `userRepo`… */
const DB_RECEIVER_EXACT = new Set([
  'db', 'database', 'knex', 'trx', 'tx', 'transaction', 'conn', 'connection', 'client', 'pool',
  'pg', 'mysql', 'sqlite', 'sql', 'prisma', 'em', 'manager', 'entitymanager', 'datasource',
  'sequelize', 'queryrunner', 'kysely', 'drizzle', 'orm', 'repo', 'repository', 'stmt', 'statement',
]);
const DB_RECEIVER_SUFFIX = /(Db|DB|Database|Pool|Conn|Connection|Client|Repo|Repository|Manager|Knex|Trx|Prisma|DataSource|Sequelize|Stmt|Statement)$/;
/** Receivers that end like a handle but are not databases (`httpClient.get`, `cacheManager`). */
const NOT_DB_RECEIVER = /(http|api|graphql|apollo|redis|cache|s3|storage|fetch|axios|rest|grpc|ws|socket|mail|smtp|queue|kafka|amqp|event|state|session|window|layout|route)/i;

/** True when a receiver's name looks like a database handle. */
export function isDbReceiverName(name: string | undefined): boolean {
  if (!name) return false;
  if (NOT_DB_RECEIVER.test(name)) return false;
  return DB_RECEIVER_EXACT.has(name.toLowerCase()) || DB_RECEIVER_SUFFIX.test(name);
}

/** Refines the family of a `.query(sql)` call from its receiver. */
export function familyOfQueryReceiver(name: string | undefined): ApiFamily {
  const n = (name ?? '').toLowerCase();
  if (n === 'sequelize') return 'sequelize';
  if (/manager|datasource|queryrunner|repo/.test(n)) return 'typeorm';
  return 'driver';
}

/** Identifiers used as SQL tags: `sql`, `SQL`, and renamed imports such as `slonikSql`. */
const SQL_TAG_NAME = /^(sql|SQL)$|[a-z]Sql$/;

/**
 * A tag that marks a template literal as SQL: `sql` (postgres.js, slonik, Drizzle, @vercel/postgres),
 * `Prisma.sql`, `prisma.$queryRaw`/`$executeRaw`, slonik's `sql.type(Row)`/`sql.typeAlias('x')`.
 * Returns the API label, or undefined.
 */
export function sqlTagName(tag: ts.Expression): { api: string; family: ApiFamily } | undefined {
  const t = unwrap(tag);
  if (ts.isIdentifier(t)) {
    return SQL_TAG_NAME.test(t.text) ? { api: t.text, family: 'tagged' } : undefined;
  }
  if (ts.isPropertyAccessExpression(t)) {
    const name = t.name.text;
    if (name === '$queryRaw' || name === '$executeRaw') return { api: name, family: 'prisma' };
    if (name === 'sql' || name === 'SQL') return { api: `${lastName(t.expression) ?? ''}.sql`, family: 'tagged' };
    return undefined;
  }
  if (ts.isCallExpression(t) && ts.isPropertyAccessExpression(t.expression)) {
    // slonik: sql.type(Row)`…`, sql.typeAlias('row')`…`
    const inner = unwrap(t.expression.expression);
    if (ts.isIdentifier(inner) && SQL_TAG_NAME.test(inner.text) && /^type/.test(t.expression.name.text)) {
      return { api: `sql.${t.expression.name.text}`, family: 'tagged' };
    }
  }
  return undefined;
}

/**
 * True when text (after leading comments/space/parentheses) starts like a whole SQL statement.
 * Fragments (`lower(${col})`, `count(*) as n`) are not linted: the rules need a statement.
 */
export function looksLikeStatement(text: string): boolean {
  const body = text.replace(/^(\s|--[^\n]*\n|\/\*[\s\S]*?\*\/|\()*/, '');
  const m = /^(select|with|insert|update|delete|merge|replace|create|alter|drop|truncate|explain|values|call|copy|upsert)\b([\s\S]*)$/i.exec(body);
  if (!m) return false;
  const rest = m[2];
  // "update" alone, or prose such as "Select a user", is not a statement.
  if (!/^\s/.test(rest) && rest !== '' && !/^[(*]/.test(rest)) return false;
  const kw = m[1].toLowerCase();
  if (kw === 'select') return /^\s*(\*|distinct|all|[\w"`$(@'-])/i.test(rest) && !/^\s+(a|an|the|one|your|from the)\s/i.test(rest);
  if (kw === 'insert' || kw === 'replace') return /^\s+(into|ignore|or)\b/i.test(rest) || /^\s+\w+\s*\(/.test(rest);
  if (kw === 'delete') return /^\s+from\b/i.test(rest) || /^\s+\w+\s+from\b/i.test(rest);
  if (kw === 'update') return /\bset\b/i.test(rest);
  if (kw === 'with') return /\bas\s*\(/i.test(rest);
  if (kw === 'create' || kw === 'alter' || kw === 'drop') return /^\s+(unique\s+|or\s+replace\s+|temp(orary)?\s+)?(table|index|view|schema|sequence|type|function|trigger|extension|materialized)\b/i.test(rest);
  return rest.trim().length > 0;
}
