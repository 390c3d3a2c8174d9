/**
 * `sql-plan-advisor lint <paths…> [--schema <path>]… [--dialect …] [--format text|json|sarif]`
 *
 * Lints `.sql` files and SQL embedded in TS/JS files with the same core the editor uses.
 * Without `--schema`, the DDL inside the linted `.sql` files is the schema, applied in
 * numeric path order (so `migrations/2_…` comes before `migrations/10_…`).
 */
import type { Dialect } from '../core/dialect';
import { lintDocument } from '../core/lint/document';
import type { LintOptions, RuleSettings } from '../core/lint/types';
import type { ReceiverTypes } from '../core/embedded/typeReceivers';
import { buildMigrationSet } from '../core/migrations/set';
import type { Severity } from '../core/rules/types';
import { buildCatalog } from '../core/schema/catalog';
import { loadPgParser } from '../core/sql/pg/libpg';
import type { Catalog, SchemaSource } from '../core/schema/types';
import { LineIndex } from '../core/sql/locate';
import { dialectOption, formatOption, parseCommandLine } from './args';
import { isPrismaSchemaFile } from '../core/schema/orm/prisma';
import { comparePaths, displayPath, formatBytes, isLintable, isSqlFile, MAX_FILE_BYTES, readTextFile, selectFiles } from './files';
import { formatJson, formatText } from './format';
import { EXIT, UsageError, type CliIO } from './io';
import { locateFindings, type LintReport } from './report';
import { formatSarif } from './sarif';
import { databaseUrl, LIVE_HELP, LIVE_OPTIONS, liveFailure, openLive } from './live';
import { openIndex, readProjectSettings, saveIndex } from './project';
import { readSchemaSources, schemaFromLintedFiles } from './schema';
import { VERSION } from './version';

export const LINT_USAGE = `Usage: sql-plan-advisor lint <paths…> [options]

Lints .sql files and SQL embedded in .ts/.tsx/.js/.jsx/.mjs/.cjs files. Folders are searched
recursively (node_modules, .git, dist and out are skipped).

Options:
  --schema <path>        schema file or folder: SQL DDL, schema.prisma, ORM models/migrations
                         (repeatable). Default: the DDL in the linted .sql files, ORM schemas
                         among the linted TS/JS files and .prisma files under the linted paths.
  --dialect <name>       postgresql (default) or mysql
  --format <name>        text (default), json or sarif
  --rule <id>=<level>    override a rule's severity: off, error, warning, info, hint (repeatable)
  --config <file>        project settings (default: .sql-plan-advisor.json in the working folder):
                         embedded.sqlFunctions (extra SQL wrappers), nPlusOne.relaxedGlobs
  --types                judge n-plus-one receivers with the TypeScript type checker: each TS/JS
                         file's tsconfig.json is loaded with its node_modules declarations
                         (a database client's type counts, pdf-lib/DOM/Node types do not);
                         files without a tsconfig or node_modules keep provenance
  --migration-query-severity <level>
                         severity of per-query findings inside migration folders (a
                         migration's backfill runs once): info (default), off, hint,
                         warning, error
${LIVE_HELP}  -h, --help             show this help

Exit status: 0 no findings, 1 findings, 2 usage error or unreadable input.
`;

const FORMATS = ['text', 'json', 'sarif'] as const;
const LEVELS = ['off', 'error', 'warning', 'info', 'hint'] as const;

export interface LintRunOptions {
  dialect: Dialect;
  /** `--schema` paths; when empty the linted `.sql` files are the schema. */
  schema: string[];
  rules?: RuleSettings;
  /** A ready catalog (read from a live server): used instead of any DDL files. */
  catalog?: Catalog;
  /** `--config` file (default `.sql-plan-advisor.json` when present). */
  config?: string;
  /** Severity of per-query findings inside migration folders (default info). */
  migrationQuerySeverity?: Severity | 'off';
  /** `--types`: resolve N+1 receivers with the type checker where a tsconfig and node_modules exist. */
  types?: boolean;
}

export interface LintRunResult {
  report: LintReport;
  catalog: Catalog;
  /** True when some input could not be read (exit 2 even if the rest was linted). */
  inputProblems: boolean;
}

/**
 * Lints `paths` (files or folders) and returns the report; notices about skipped or
 * unreadable files go to `io.err`. Throws `UsageError` when nothing could be linted.
 */
export function lintPaths(paths: string[], options: LintRunOptions, io: CliIO): LintRunResult {
  const { files, missing } = selectFiles(paths, io.cwd, isLintable);
  let inputProblems = false;
  for (const m of missing) {
    io.err(`sql-plan-advisor: no such file or folder: ${m}\n`);
    inputProblems = true;
  }
  if (files.length === 0) {
    throw new UsageError(missing.length ? 'nothing to lint' : `no .sql or TS/JS files found in ${paths.join(', ')}`);
  }

  const texts: { file: string; shown: string; text: string }[] = [];
  for (const file of files) {
    const shown = displayPath(file, io.cwd);
    const read = readTextFile(file, MAX_FILE_BYTES);
    if (read.ok) texts.push({ file, shown, text: read.text });
    else if (read.reason === 'too-large') {
      io.err(`sql-plan-advisor: skipped ${shown}: ${formatBytes(read.bytes)} is over the 10 MB limit\n`);
    } else {
      io.err(`sql-plan-advisor: cannot read ${shown}: ${read.message}\n`);
      inputProblems = true;
    }
  }

  // Without --schema (or a server's catalog): the DDL in the linted .sql files, ORM schemas among
  // the linted TS/JS files (their readers skip other code cheaply), and any schema.prisma under
  // the linted folders.
  const sources: SchemaSource[] = options.catalog
    ? []
    : options.schema.length
      ? readSchemaSources(options.schema, io)
      : schemaFromLintedFiles(texts, paths, io);
  const catalog = options.catalog ?? buildCatalog(sources, options.dialect);
  reportSchemaProblems(catalog, sources, io);

  const report: LintReport = { findings: [], filesChecked: texts.length };
  // Wrappers are found across files: the index reads the project's imports from disk.
  const settings = readProjectSettings(io.cwd, options.config, io);
  const index = openIndex(io.cwd, texts.filter((t) => !isSqlFile(t.file)), settings);
  // Migrations in apply order: the DDL sources plus the linted files (TS/JS migrations included).
  const set = buildMigrationSet([...sources, ...texts.map((t) => ({ file: t.shown, text: t.text }))], options.dialect);
  const lintOptions: LintOptions = {
    dialect: options.dialect,
    catalog,
    rules: options.rules,
    embedded: { resolverFor: (f) => index.resolverFor(f), sqlFunctions: settings.sqlFunctions, relaxedGlobs: settings.relaxedGlobs, receiverTypes: options.types ? workspaceTypes(io) : undefined },
    migrations: { set, querySeverity: options.migrationQuerySeverity },
  };
  for (const t of texts) {
    report.findings.push(...locateFindings(t.shown, t.text, lintDocument(t.file, t.text, lintOptions)));
  }
  saveIndex(io.cwd, index);
  return { report, catalog, inputProblems };
}

/** `--types`: the type checker per tsconfig, loaded on the first TS/JS file (the compiler is required lazily). */
function workspaceTypes(io: CliIO): ReceiverTypes {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { WorkspaceTypes } = require('../core/embedded/typeReceivers') as typeof import('../core/embedded/typeReceivers');
  return new WorkspaceTypes((dir, why) => io.err(`sql-plan-advisor: note: --types: ${displayPath(dir, io.cwd) || '.'}: ${why}; n-plus-one receivers there are judged without types\n`));
}

/** Most schema problems listed on stderr; the rest are counted. */
const MAX_SCHEMA_NOTES = 5;

/**
 * Tells the user which DDL statements the catalog could not read: schema-aware rules are
 * blind to what they declare, which explains a missing or surprising finding.
 */
function reportSchemaProblems(catalog: Catalog, sources: SchemaSource[], io: CliIO): void {
  const problems = catalog.problems;
  if (problems.length === 0) return;
  const texts = new Map(sources.map((s) => [s.file, s.text]));
  for (const p of problems.slice(0, MAX_SCHEMA_NOTES)) {
    const text = texts.get(p.file);
    const line = text === undefined ? undefined : new LineIndex(text).position(p.offset).line + 1;
    io.err(`sql-plan-advisor: note: ${p.file}${line ? `:${line}` : ''}: schema statement not understood: ${p.message}\n`);
  }
  if (problems.length > MAX_SCHEMA_NOTES) io.err(`sql-plan-advisor: note: ${problems.length - MAX_SCHEMA_NOTES} more schema statements not understood\n`);
}

/** Reads `--rule id=level` options into rule settings. */
export function ruleOptions(values: string[]): RuleSettings {
  const rules: RuleSettings = {};
  for (const v of values) {
    const m = /^([a-z0-9-]+)=([a-z]+)$/i.exec(v.trim());
    const level = m?.[2].toLowerCase() as (typeof LEVELS)[number] | undefined;
    if (!m || !level || !LEVELS.includes(level)) {
      throw new UsageError(`--rule expects <id>=<${LEVELS.join('|')}>, got '${v}'`);
    }
    rules[m[1].toLowerCase()] = level;
  }
  return rules;
}

/** Reads a severity option (`off`, `error`, `warning`, `info`, `hint`). */
function levelOption(flag: string, value: string | undefined): Severity | 'off' | undefined {
  if (value === undefined) return undefined;
  const level = value.toLowerCase() as (typeof LEVELS)[number];
  if (!LEVELS.includes(level)) throw new UsageError(`${flag} expects one of ${LEVELS.join(', ')}, got '${value}'`);
  return level;
}

/** Entry of the `lint` subcommand. */
export async function runLint(argv: string[], io: CliIO): Promise<number> {
  const args = parseCommandLine(argv, {
    schema: { type: 'string', multiple: true },
    dialect: { type: 'string' },
    format: { type: 'string' },
    rule: { type: 'string', multiple: true },
    ...LIVE_OPTIONS,
    config: { type: 'string' },
    'migration-query-severity': { type: 'string' },
    types: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (args.flag('help')) {
    io.out(LINT_USAGE);
    return EXIT.ok;
  }
  const format = formatOption(args.string('format'), FORMATS);
  const dialect = dialectOption(args.string('dialect'));
  const rules = ruleOptions(args.strings('rule'));
  if (args.positionals.length === 0) throw new UsageError('lint needs at least one file or folder');

  const migrationQuerySeverity = levelOption('--migration-query-severity', args.string('migration-query-severity'));
  // PostgreSQL's parser reads the DDL and the SQL inside views and functions; load it once.
  if (dialect === 'postgresql') await loadPgParser();
  const schema = args.strings('schema');
  const url = schema.length ? undefined : databaseUrl(args, io);
  let serverCatalog: Catalog | undefined;
  let lintDialect = dialect;
  if (url) {
    // The schema comes from the server (unless --schema was given): catalog only, no queries run.
    try {
      const server = await openLive(url, args);
      try {
        serverCatalog = (await server.schema()).catalog;
        if (args.string('dialect') === undefined) lintDialect = server.dialect;
      } finally {
        await server.close();
      }
    } catch (err) {
      return liveFailure(err, io, 'lint');
    }
  }
  const { report, inputProblems } = lintPaths(args.positionals, { dialect: lintDialect, schema, rules, catalog: serverCatalog, config: args.string('config'), migrationQuerySeverity, types: args.flag('types') }, io);
  if (format === 'json') io.out(formatJson(report));
  else if (format === 'sarif') io.out(formatSarif(report, io.cwd, VERSION));
  else io.out(formatText(report));

  if (inputProblems) return EXIT.usage;
  return report.findings.length ? EXIT.findings : EXIT.ok;
}
