/**
 * ORM calls as queries: each recognised call is rendered to the SQL its ORM sends, linted by
 * the ordinary SQL linter, and its findings are mapped back onto the call — onto the exact
 * property (`title: { contains: q }`) when the finding's SQL came from one — and reworded in
 * the ORM's terms. Also the inventory (`ormQueries`) the `queries` command and the advisor read.
 */
import type ts from 'typescript';
import type { Dialect } from '../../dialect';
import { PARSE_ERROR_RULE, SqlLinter } from '../../lint/linter';
import type { DocumentFinding, LintOptions } from '../../lint/types';
import { findTable } from '../../schema/catalog';
import { ormFormOfDdl } from '../../schema/orm/indexSyntax';
import type { Catalog } from '../../schema/types';
import { spanAt, type OrmQuery, type OrmSource } from './rendered';

export type { OrmQuery, OrmSource } from './rendered';

/**
 * True when ORM calls can be rendered against this catalog: they name its tables (Prisma models,
 * Drizzle tables, or plain table names in Knex/Kysely chains), so an empty catalog renders nothing.
 */
export function canRenderOrmCalls(catalog: Catalog): boolean {
  return catalog.tables.size > 0;
}

/** Every ORM call of a parsed source file that renders to SQL. */
export function ormCallQueries(sf: ts.SourceFile, catalog: Catalog): OrmQuery[] {
  if (!canRenderOrmCalls(catalog)) return [];
  // Required here, not imported: the renderers load the TypeScript compiler, which activation must not pay for.
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { prismaQueries } = require('./prisma') as typeof import('./prisma');
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { builderModels } = require('./builders') as typeof import('./builders');
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { renderModel } = require('./model') as typeof import('./model');
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { finderModels } = require('./finders') as typeof import('./finders');
  const out = [...prismaQueries(sf, catalog), ...[...builderModels(sf, catalog), ...finderModels(sf, catalog)].map(renderModel)];
  return out.sort((a, b) => a.start - b.start);
}

/**
 * Rules whose advice is about SQL the ORM writes, not about the call: the column list is the
 * ORM's (every field of the model), and Prisma guards its NOT IN sub-selects with IS NOT NULL.
 * A parse error in rendered SQL is our renderer's limit, never the user's mistake.
 */
const NOT_FOR_ORM = new Set([PARSE_ERROR_RULE, 'select-star', 'not-in-subquery']);

const linter = new SqlLinter({ retain: 2000 });

/** Lints rendered ORM queries; findings land on the call (or the part of it that produced them). */
export function lintOrmQueries(queries: OrmQuery[], opts: LintOptions): DocumentFinding[] {
  const out: DocumentFinding[] = [];
  for (const q of queries) {
    for (const f of linter.lint(q.sql, opts)) {
      if (NOT_FOR_ORM.has(f.ruleId)) continue;
      const span = spanAt(q.spans, f.start, f.end);
      const mapped: DocumentFinding = {
        ruleId: f.ruleId,
        severity: f.severity,
        message: reword(f, q, span, opts.catalog),
        start: span?.fileStart ?? q.start,
        end: span?.fileEnd ?? q.end,
      };
      if (f.suggestedIndex) {
        const table = findTable(opts.catalog, f.suggestedIndex.table);
        const orm = table ? ormFormOfDdl(table, f.suggestedIndex.ddl) : undefined;
        mapped.suggestedIndex = { ...f.suggestedIndex, ...(orm ? { orm } : {}) };
      }
      out.push(mapped);
    }
  }
  return out;
}

function reword(f: DocumentFinding, q: OrmQuery, span: ReturnType<typeof spanAt>, catalog: Catalog): string {
  const where = span?.table && span.column ? `${span.table}.${span.column}` : undefined;
  // The ORM's field name (`categoryId`) where it differs from the column (`category_id`).
  const field = span?.table && span.column ? findTable(catalog, `"${span.table}"`)?.columns.find((c) => c.name === span.column)?.field ?? span.column : span?.column;
  if (f.ruleId === 'leading-wildcard' && span?.words && where) {
    const alt = span.op === 'contains' || span.op === 'endsWith' ? ', or use `startsWith` if a prefix match is enough' : '';
    return `${span.words}: no B-tree index on ${where} can serve it, so every row is scanned (${q.label}). Add a trigram GIN index (pg_trgm)${alt}.`;
  }
  const lead = span?.words ?? `${q.label}${field ? ` filters on \`${field}\`` : ''}`;
  return `${lead}: ${f.message}`;
}

/** One ORM call as an inventory item: where it is, which ORM, the SQL it sends, the tables it reads. */
export interface OrmInventoryItem {
  file: string;
  /** 1-based line and column of the call's start and end. */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  source: OrmSource;
  dialect: Dialect;
  sql: string;
  tables: string[];
  /** File offsets of the call. */
  start: number;
  end: number;
}

/** The ORM calls of one TS/JS file with the SQL each sends (for `queries`, Explain and advice). */
export function ormQueries(file: string, text: string, catalog: Catalog): OrmInventoryItem[] {
  if (!canRenderOrmCalls(catalog)) return [];
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { parseSource } = require('../source') as typeof import('../source');
  const sf = parseSource(file, text);
  return ormCallQueries(sf, catalog).map((q) => {
    const a = sf.getLineAndCharacterOfPosition(q.start);
    const b = sf.getLineAndCharacterOfPosition(q.end);
    return { file, line: a.line + 1, column: a.character + 1, endLine: b.line + 1, endColumn: b.character + 1, source: q.source, dialect: 'postgresql', sql: q.sql, tables: q.tables, start: q.start, end: q.end };
  });
}

/** The ORM call whose range contains `offset`, rendered (for "Explain this query"). */
export function ormQueryAt(file: string, text: string, offset: number, catalog: Catalog): OrmInventoryItem | undefined {
  let best: OrmInventoryItem | undefined;
  for (const q of ormQueries(file, text, catalog)) {
    if (offset >= q.start && offset <= q.end && (!best || q.end - q.start < best.end - best.start)) best = q;
  }
  return best;
}
