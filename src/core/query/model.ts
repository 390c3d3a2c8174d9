/**
 * The parser-neutral query model: what the rules, the advisor and anyone else who asks "what
 * does this statement do" read. Two front ends fill it — `pg.ts` from PostgreSQL's own parser
 * (libpg-query) for the `postgresql` dialect, `mysql.ts` from node-sql-parser for `mysql` — and
 * nothing outside `src/core/query/` looks at either parser's tree.
 *
 * Shape, top down:
 * - `QueryStatement`: one parsed statement. `kind` says what it is (`select`, `insert`, `update`,
 *   `delete`, `merge`, or `utility` for DDL and everything else, with the parser's node name in
 *   `utility`). `root` is its outermost query block; `blocks` lists every query block of the
 *   statement (CTEs, derived tables, subqueries, set-operation branches) ordered by position in
 *   the text; `params` every bind parameter (`$1`, `?`, `:name`) in text order.
 * - `QueryBlock`: one SELECT / INSERT / UPDATE / DELETE / MERGE, or a set operation (`kind: 'set'`,
 *   with `setOp` and its `branches`). It holds its CTEs, its FROM items (`from`: relations with
 *   schema and alias, derived tables, table functions, each with its join type and `ON` /
 *   `USING`), the DML `target`, the select list (`selectList`, including `*` / `t.*` as `star`
 *   expressions), `where`, `groupBy`, `having`, `orderBy` (direction and NULLS placement),
 *   `limit` / `offset` (with `offsetClause`, the source range of the whole `OFFSET …` clause, or of
 *   MySQL's `LIMIT o, n`), UPDATE's `set` assignments and `returning`. `parent` is the block
 *   a subquery sits in (for correlated column references) and `ctes` the CTE names visible there.
 * - `Expr`: every expression, predicates included. Predicates are a tree of `and` / `or` / `not`
 *   over `comparison` nodes; a comparison has a normalised operator (`=`, `<>`, `<`, `IN`,
 *   `NOT IN`, `BETWEEN`, `LIKE`, `ILIKE`, `NOT LIKE`, `IS`, `IS NOT`, `IS DISTINCT FROM`, …),
 *   both operands, an optional `quantifier` (`= ANY(…)`) and the operator's own range. IN lists
 *   and BETWEEN bounds are `list` expressions; `IS NULL` compares with a `null` literal.
 *   Functions (`function`, lower-cased name, `extract(field from x)` as `extract('field', x)`),
 *   casts (`cast`, with the syntax used: `x::t`, `CAST(x AS t)`, or a typed literal `DATE '…'`),
 *   other operators (`operator`: arithmetic, `||`, JSON `->`, `@>`, `@@`, …), subqueries
 *   (`subquery`, `exists` set for EXISTS) and `other` (CASE, COALESCE, row constructors, …,
 *   with their sub-expressions in `args`) wrap columns.
 * - Ranges: every node has `range`, offsets into the statement text (end exclusive), snapped to
 *   token boundaries. The PostgreSQL front end always sets it; the MySQL front end leaves it out
 *   where node-sql-parser gives no location and the token search finds nothing.
 * - Names: unquoted identifiers are folded to lower case by the PostgreSQL front end (as
 *   PostgreSQL does) and kept as written by the MySQL one; catalog lookups are case-insensitive.
 *
 * Helpers that answer common questions over the model (walks, conjuncts, constants, column
 * resolution against the catalog) live in `walk.ts` and `scope.ts`.
 */

/** A source range: offsets into the statement text, end exclusive. */
export interface Range {
  start: number;
  end: number;
}

interface Node {
  range?: Range;
}

/** `[schema.][table.]column`. */
export interface ColumnExpr extends Node {
  kind: 'column';
  schema?: string;
  table?: string;
  column: string;
}

/** `*` or `t.*` (in a select list or RETURNING). */
export interface StarExpr extends Node {
  kind: 'star';
  table?: string;
}

export interface LiteralExpr extends Node {
  kind: 'literal';
  type: 'string' | 'number' | 'boolean' | 'null';
  /** The value: string contents unescaped, numbers as written (with sign), `true` / `false`, `null`. */
  value: string;
}

/** A bind parameter: `$1`, `?`, `:name`. */
export interface ParamExpr extends Node {
  kind: 'param';
  /** As written. */
  name: string;
}

export interface CastExpr extends Node {
  kind: 'cast';
  expr: Expr;
  /** Lower-cased type name without schema, e.g. `date`, `uuid[]`, `timestamp with time zone`, `OrganisationType` (quoted names keep case). */
  type: string;
  syntax: '::' | 'cast' | 'typed-literal';
}

export interface FunctionExpr extends Node {
  kind: 'function';
  /** Lower-cased name without schema (`pg_catalog.lower` → `lower`). */
  name: string;
  schema?: string;
  args: Expr[];
  /** `count(*)`. */
  star?: boolean;
  /** Aggregate `FILTER (WHERE …)`. */
  filter?: Expr;
  /** True for window calls (`… OVER (…)`). */
  window?: boolean;
}

/** A non-comparison operator: arithmetic, `||`, JSON and array operators, unary minus. */
export interface OperatorExpr extends Node {
  kind: 'operator';
  op: string;
  /** Absent for prefix operators. */
  left?: Expr;
  right: Expr;
}

/** Normalised comparison operators. */
export type ComparisonOp =
  | '=' | '<>' | '<' | '>' | '<=' | '>='
  | 'IN' | 'NOT IN' | 'BETWEEN' | 'NOT BETWEEN'
  | 'LIKE' | 'ILIKE' | 'NOT LIKE' | 'NOT ILIKE' | 'SIMILAR TO' | 'NOT SIMILAR TO'
  | 'IS' | 'IS NOT' | 'IS DISTINCT FROM' | 'IS NOT DISTINCT FROM';

export interface ComparisonExpr extends Node {
  kind: 'comparison';
  op: ComparisonOp;
  left: Expr;
  /** IN: a `list` or a `subquery`; BETWEEN: a `list` of the two bounds; IS: a `null` / `boolean` literal. */
  right: Expr;
  /** `x = ANY(…)` / `x > ALL(…)`. */
  quantifier?: 'any' | 'all';
  /** Range of the operator keyword(s) / symbol. */
  opRange?: Range;
}

export interface LogicalExpr extends Node {
  kind: 'and' | 'or';
  args: Expr[];
}

export interface NotExpr extends Node {
  kind: 'not';
  arg: Expr;
}

/** IN lists, BETWEEN bounds, `ARRAY[…]`, row constructors. */
export interface ListExpr extends Node {
  kind: 'list';
  items: Expr[];
}

export interface SubqueryExpr extends Node {
  kind: 'subquery';
  query: QueryBlock;
  /** `EXISTS (…)`. */
  exists?: boolean;
}

/** Everything else (CASE, COALESCE, …); its sub-expressions are in `args`. */
export interface OtherExpr extends Node {
  kind: 'other';
  /** What it is, for messages and debugging (`case`, `coalesce`, `row`, …). */
  what: string;
  args: Expr[];
}

export type Expr =
  | ColumnExpr | StarExpr | LiteralExpr | ParamExpr | CastExpr | FunctionExpr | OperatorExpr
  | ComparisonExpr | LogicalExpr | NotExpr | ListExpr | SubqueryExpr | OtherExpr;

export interface TableRelation extends Node {
  kind: 'table';
  schema?: string;
  name: string;
  alias?: string;
}

export interface SubqueryRelation extends Node {
  kind: 'subquery';
  query: QueryBlock;
  alias?: string;
  lateral?: boolean;
}

/** A set-returning function in FROM (`unnest($1::uuid[]) AS u(id)`, `generate_series(…)`). */
export interface FunctionRelation extends Node {
  kind: 'function';
  expr: Expr;
  alias?: string;
  lateral?: boolean;
}

export type Relation = TableRelation | SubqueryRelation | FunctionRelation;

export type JoinKind = 'inner' | 'left' | 'right' | 'full' | 'cross';

/** One item of a FROM list, in order; items after the first carry how they are joined. */
export interface FromItem {
  relation: Relation;
  /** Absent for the first item and for comma-separated items. */
  join?: JoinKind;
  natural?: boolean;
  on?: Expr;
  using?: string[];
}

export interface SelectItem {
  expr: Expr;
  alias?: string;
  range?: Range;
}

export interface OrderItem {
  expr: Expr;
  direction?: 'asc' | 'desc';
  nulls?: 'first' | 'last';
  range?: Range;
}

export interface Assignment {
  column: string;
  value: Expr;
  range?: Range;
}

export interface Cte {
  name: string;
  query: QueryBlock;
  recursive?: boolean;
  range?: Range;
}

export type BlockKind = 'select' | 'insert' | 'update' | 'delete' | 'merge' | 'values' | 'set';

export interface QueryBlock {
  kind: BlockKind;
  range?: Range;
  ctes: Cte[];
  from: FromItem[];
  /** INSERT / UPDATE / DELETE / MERGE target. UPDATE and DELETE also list it first in `from`. */
  target?: TableRelation;
  selectList: SelectItem[];
  distinct?: boolean;
  where?: Expr;
  groupBy: Expr[];
  having?: Expr;
  orderBy: OrderItem[];
  limit?: Expr;
  offset?: Expr;
  /** Range of the whole `OFFSET …` clause (MySQL: of `LIMIT offset, count`). */
  offsetClause?: Range;
  /** How the row count was written. */
  limitSyntax?: 'limit' | 'fetch' | 'mysql-comma';
  /** UPDATE … SET. */
  set: Assignment[];
  /** INSERT … VALUES rows. */
  values: Expr[][];
  /** INSERT … SELECT: the source query. */
  source?: QueryBlock;
  returning: SelectItem[];
  /** `FOR UPDATE`, `FOR SHARE`, … */
  locking?: string[];
  /** Set operations: `union`, `intersect`, `except` over `branches`. */
  setOp?: { op: 'union' | 'intersect' | 'except'; all: boolean };
  branches?: QueryBlock[];
  /** Filled by `finishStatement`: the enclosing block (scope for correlated references). */
  parent?: QueryBlock;
  /** Filled by `finishStatement`: lower-cased names of the CTEs visible in this block. */
  ctesVisible?: Set<string>;
  /** Filled by `finishStatement`: true for the subquery of `EXISTS (…)`. */
  inExists?: boolean;
}

export type StatementKind = 'select' | 'insert' | 'update' | 'delete' | 'merge' | 'utility';

export interface QueryStatement {
  kind: StatementKind;
  /** For `utility`: the parser's name for it (e.g. `CreateStmt`, `create_table`). */
  utility?: string;
  root?: QueryBlock;
  /** Every query block, in text order. */
  blocks: QueryBlock[];
  /** Every bind parameter, in text order. */
  params: ParamExpr[];
}

export type QueryParse =
  | { ok: true; statements: QueryStatement[] }
  | { ok: false; message: string; /** Offset of the error in the statement text, when known. */ offset?: number };
