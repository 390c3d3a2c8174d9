/**
 * `sql-plan-advisor queries <paths…> [--schema <path>]… [--format text|json]`
 *
 * The query inventory: every statement of the `.sql` files and every SQL statement the TS/JS
 * files send (drivers, raw ORM APIs, tagged templates, the project's own wrappers found
 * across files), with where it is, how it is sent, its engine and the tables it touches.
 */
import { collectInventory } from '../core/inventory/providers';
import type { InventoryFile, InventoryItem } from '../core/inventory/types';
import { loadPgParser } from '../core/sql/pg/libpg';
import { dialectOption, formatOption, parseCommandLine } from './args';
import { displayPath, formatBytes, isLintable, isSqlFile, MAX_FILE_BYTES, readTextFile, selectFiles } from './files';
import { EXIT, UsageError, type CliIO } from './io';
import { openIndex, readProjectSettings, saveIndex } from './project';
import { buildCatalog } from '../core/schema/catalog';
import { readSchemaSources, schemaFromLintedFiles } from './schema';

export const QUERIES_USAGE = `Usage: sql-plan-advisor queries <paths…> [options]

Lists every query found in .sql files and in SQL embedded in .ts/.tsx/.js/.jsx/.mjs/.cjs
files, including SQL passed to the project's own helpers (wrappers found across imports).

Options:
  --schema <path>        schema file or folder: SQL DDL, schema.prisma, ORM models/migrations
                         (repeatable; default: the schema found in the given paths); ORM calls
                         are listed with the SQL they send
  --dialect <name>       postgresql (default) or mysql
  --format <name>        text (default) or json:
                         {"queries":[{"file","line","column","endLine","endColumn",
                                      "source","dialect","sql","tables"}]}
  --config <file>        project settings (default: .sql-plan-advisor.json), see 'lint --help'
  -h, --help             show this help

source: sql-file, pg, mysql2, prisma-raw, knex-raw, tagged-template, wrapper:<name>, …
Exit status: 0 listed (even when empty), 2 usage error or unreadable input.
`;

const FORMATS = ['text', 'json'] as const;

/** Entry of the `queries` subcommand. */
export async function runQueries(argv: string[], io: CliIO): Promise<number> {
  const args = parseCommandLine(argv, {
    schema: { type: 'string', multiple: true },
    dialect: { type: 'string' },
    format: { type: 'string' },
    config: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (args.flag('help')) {
    io.out(QUERIES_USAGE);
    return EXIT.ok;
  }
  const format = formatOption(args.string('format'), FORMATS);
  const dialect = dialectOption(args.string('dialect'));
  if (args.positionals.length === 0) throw new UsageError('queries needs at least one file or folder');

  const { files, missing } = selectFiles(args.positionals, io.cwd, isLintable);
  let inputProblems = false;
  for (const m of missing) {
    io.err(`sql-plan-advisor: no such file or folder: ${m}\n`);
    inputProblems = true;
  }
  if (files.length === 0) throw new UsageError(missing.length ? 'nothing to list' : `no .sql or TS/JS files found in ${args.positionals.join(', ')}`);
  const texts: InventoryFile[] = [];
  for (const file of files) {
    const shown = displayPath(file, io.cwd);
    const read = readTextFile(file, MAX_FILE_BYTES);
    if (read.ok) texts.push({ file, shown, text: read.text });
    else if (read.reason === 'too-large') io.err(`sql-plan-advisor: skipped ${shown}: ${formatBytes(read.bytes)} is over the 10 MB limit\n`);
    else {
      io.err(`sql-plan-advisor: cannot read ${shown}: ${read.message}\n`);
      inputProblems = true;
    }
  }

  const settings = readProjectSettings(io.cwd, args.string('config'), io);
  const index = openIndex(io.cwd, texts.filter((t) => !isSqlFile(t.file)), settings);
  await loadPgParser();
  // ORM calls are rendered against the models the schema declares (as `lint` finds it).
  const schemaPaths = args.strings('schema');
  const catalog = buildCatalog(schemaPaths.length ? readSchemaSources(schemaPaths, io) : schemaFromLintedFiles(texts, args.positionals, io), dialect);
  const queries = collectInventory({ files: texts, dialect, resolverFor: (f) => index.resolverFor(f), catalog });
  saveIndex(io.cwd, index);
  io.out(format === 'json' ? `${JSON.stringify({ queries }, null, 2)}\n` : formatQueriesText(queries));
  return inputProblems ? EXIT.usage : EXIT.ok;
}

/** One block per query: location, source, engine and tables, then the SQL on one line. */
export function formatQueriesText(queries: readonly InventoryItem[]): string {
  if (queries.length === 0) return 'No queries found.\n';
  const lines: string[] = [];
  for (const q of queries) {
    const tables = q.tables.length ? q.tables.join(', ') : '(no table)';
    lines.push(`${q.file}:${q.line}:${q.column} ${q.source} [${q.dialect}] ${tables}`);
    const flat = q.sql.replace(/\s+/g, ' ').trim();
    lines.push(`    ${flat.length > 160 ? flat.slice(0, 159) + '…' : flat}`);
  }
  const files = new Set(queries.map((q) => q.file)).size;
  lines.push('', `${queries.length} ${queries.length === 1 ? 'query' : 'queries'} in ${files} ${files === 1 ? 'file' : 'files'}.`);
  return lines.join('\n') + '\n';
}
