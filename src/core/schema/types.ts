/**
 * The schema catalog: what the workspace's DDL says exists. Names are stored lower-cased
 * unless they were quoted in the DDL (PostgreSQL folds unquoted identifiers to lower case).
 */

export interface Column {
  name: string;
  /** Type as written, normalised to lower case (e.g. `varchar(255)`, `timestamptz`, `jsonb`). */
  type: string;
  notNull: boolean;
  /** Default expression as SQL text, when declared. */
  default?: string;
  /** Declared inline as PRIMARY KEY / UNIQUE (also reflected in table.primaryKey / uniques). */
  primaryKey?: boolean;
  unique?: boolean;
  /** Inline or table-level REFERENCES target. */
  references?: { table: string; column: string };
  /** `GENERATED { ALWAYS | BY DEFAULT } AS IDENTITY` (PostgreSQL). */
  identity?: 'always' | 'by default';
  /** Expression of a generated column (`GENERATED ALWAYS AS (expr) STORED`), as written. */
  generated?: string;
  /** The ORM's field name when it differs from the column (Prisma `@map`, Drizzle property…). */
  field?: string;
}

/** One key part of an index: a plain column or an expression such as `lower(email)`. */
export interface IndexKey {
  /** Column name when the key is a plain column. */
  column?: string;
  /** Normalised expression SQL when the key is an expression (e.g. `lower(email)`). */
  expression?: string;
  descending?: boolean;
  /** Operator class as written (`text_pattern_ops`, `gin_trgm_ops`), when declared. */
  opclass?: string;
}

export interface IndexDef {
  name: string;
  table: string;
  keys: IndexKey[];
  /** Non-key columns carried in the leaf (`INCLUDE (…)`, PostgreSQL ≥ 11). */
  include: string[];
  unique: boolean;
  /** Partial-index predicate as SQL text (`status = 'PENDING'`). */
  where?: string;
  /** Access method (`btree`, `gin`, `gist`, `hash`, `brin`…); btree when not stated. */
  method: string;
  /** True for indexes implied by PRIMARY KEY / UNIQUE constraints. */
  implicit: boolean;
  /** Where it was declared, for messages and navigation. */
  source?: SourceRef;
  /** Declared `CREATE INDEX CONCURRENTLY` (PostgreSQL). */
  concurrently?: boolean;
}

export interface ForeignKey {
  columns: string[];
  refTable: string;
  /** Schema of the referenced table when the DDL qualifies it (`REFERENCES shop.events`). */
  refSchema?: string;
  refColumns: string[];
  /** Constraint name when declared. */
  name?: string;
  /** Where the constraint (or the relation that implies it) was declared. */
  source?: SourceRef;
}

/**
 * Which kind of source declared a table: plain SQL DDL, an ORM schema, or a live server.
 * Advice is written in the declaring tool's own syntax (Prisma `@@index`, Drizzle `index()`…).
 */
export type SchemaOrigin = 'sql' | 'prisma' | 'drizzle' | 'typeorm' | 'sequelize' | 'knex' | 'server';

export interface Table {
  name: string;
  /** Schema qualifier when declared (`public`, `app`…). */
  schema?: string;
  columns: Column[];
  primaryKey: string[];
  uniques: string[][];
  foreignKeys: ForeignKey[];
  indexes: IndexDef[];
  source?: SourceRef;
  /** Declaring source kind; plain SQL when absent. */
  origin?: SchemaOrigin;
  /** Relation kind; an ordinary table when absent. Materialized views can carry indexes. */
  kind?: 'table' | 'materialized view';
  /** `PARTITION BY RANGE|LIST|HASH (keys)`: this table is partitioned. */
  partitionBy?: { strategy: 'range' | 'list' | 'hash'; keys: string };
  /** `PARTITION OF parent FOR VALUES …` / `ATTACH PARTITION`: this table is a partition. */
  partitionOf?: { parent: string; bound: string };
  /** `INHERITS (parents)`. */
  inherits?: string[];
  /** The ORM's model/entity name when the table came from an ORM schema (`Order` for `@@map("orders")`). */
  model?: string;
  /** ORM relation fields (Prisma), so relation filters can be rendered as joins. */
  relations?: OrmRelation[];
}

/** A relation field of an ORM model: `customer Customer @relation(fields: [customerId], references: [id])`. */
export interface OrmRelation {
  field: string;
  /** Model name of the other side. */
  model: string;
  /** True for a to-many side (`orders Order[]`). */
  list: boolean;
  /** Fields on this side and the fields they reference; empty on the back-relation side. */
  fields: string[];
  references: string[];
}

/** A plain view (`CREATE VIEW`): a relation queries may name, with no storage or indexes. */
export interface ViewDef {
  name: string;
  schema?: string;
  /** Output column names, when they can be told from the definition. */
  columns: string[];
  /** The defining query as written. */
  query: string;
  source?: SourceRef;
}

/** A user-defined type the DDL declares: an enum or a domain over a base type. */
export type UserType =
  | { kind: 'enum'; name: string; schema?: string; values: string[] }
  | { kind: 'domain'; name: string; schema?: string; baseType: string; notNull: boolean };

export interface SequenceDef {
  name: string;
  schema?: string;
  /** `ALTER SEQUENCE … OWNED BY table.column`. */
  ownedBy?: { table: string; column: string };
}

export interface SourceRef {
  file: string;
  /** Offset of the declaring statement (or ORM declaration) in the file. */
  offset: number;
  /** End offset (exclusive) of the declaration, when known: quick fixes and navigation use it. */
  end?: number;
}

/** A DDL statement the catalog could not understand; reported, never fatal. */
export interface SchemaProblem {
  file: string;
  offset: number;
  message: string;
}

export interface Catalog {
  /** Tables by lower-cased unqualified name. */
  tables: Map<string, Table>;
  problems: SchemaProblem[];
  /** Plain views by lower-cased unqualified name (materialized views live in `tables`). */
  views?: Map<string, ViewDef>;
  /** Enums and domains by lower-cased unqualified name. */
  types?: Map<string, UserType>;
  /** Sequences by lower-cased unqualified name. */
  sequences?: Map<string, SequenceDef>;
}

/** One file of DDL (a migration, schema.sql…). Files are applied in the order given. */
export interface SchemaSource {
  file: string;
  text: string;
}
