/**
 * Project-level settings and the workspace index for the CLI.
 *
 * Settings come from `.sql-plan-advisor.json` in the working folder (or `--config <file>`):
 *   { "embedded": { "sqlFunctions": ["runSql", { "name": "db.q", "argument": 0,
 *                   "placeholders": ["colon"], "dialect": "clickhouse" }] },
 *     "nPlusOne": { "relaxedGlobs": ["**\/*.test.*", "**\/fixtures/**"] } }
 * — the same keys as the extension's `sqlPlanAdvisor.embedded.sqlFunctions` and
 * `sqlPlanAdvisor.nPlusOne.relaxedGlobs` settings.
 *
 * File summaries are cached by content hash in `$SQL_PLAN_ADVISOR_CACHE_DIR`, or by default
 * in `<os tmp>/sql-plan-advisor/cache/<hash of the working folder>/summaries.json`, so a
 * second run re-reads only the files that changed. Set the variable to `off` to disable it.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readSqlFunctions, type SinkInfo } from '../core/embedded/sinks';
import { parseSummaries, serializeSummaries, WorkspaceIndex } from '../core/workspace/index';
import { UsageError, type CliIO } from './io';
import { nodeFileHost } from '../core/workspace/fileHost';

export interface ProjectSettings {
  sqlFunctions: SinkInfo[];
  relaxedGlobs?: string[];
}

/** Reads `.sql-plan-advisor.json` (or the `--config` file); a missing default file is no settings. */
export function readProjectSettings(cwd: string, configPath: string | undefined, io: CliIO): ProjectSettings {
  const file = path.resolve(cwd, configPath ?? '.sql-plan-advisor.json');
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    if (configPath) throw new UsageError(`cannot read config file ${configPath}`);
    return { sqlFunctions: [] };
  }
  let json: { embedded?: { sqlFunctions?: unknown }; nPlusOne?: { relaxedGlobs?: unknown } };
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${path.basename(file)} is not valid JSON: ${(err as Error).message}`);
  }
  const { sinks, problems } = readSqlFunctions(json?.embedded?.sqlFunctions);
  for (const p of problems) io.err(`sql-plan-advisor: note: ${path.basename(file)}: ${p}\n`);
  const globs = json?.nPlusOne?.relaxedGlobs;
  const relaxedGlobs = Array.isArray(globs) ? globs.filter((g): g is string => typeof g === 'string') : undefined;
  return { sqlFunctions: sinks, relaxedGlobs };
}

function cacheFile(cwd: string): string | undefined {
  const dir = process.env.SQL_PLAN_ADVISOR_CACHE_DIR;
  if (dir === 'off') return undefined;
  const base = dir ? path.resolve(dir) : path.join(os.tmpdir(), 'sql-plan-advisor', 'cache', createHash('sha1').update(path.resolve(cwd)).digest('hex').slice(0, 16));
  return path.join(base, 'summaries.json');
}

/** The workspace index over the files given (others are read when an import leads there), with the disk cache. */
export function openIndex(cwd: string, files: { file: string; text: string }[], settings: ProjectSettings): WorkspaceIndex {
  const cache = cacheFile(cwd);
  let cached = new Map();
  if (cache) {
    try {
      cached = parseSummaries(fs.readFileSync(cache, 'utf8'));
    } catch {
      // no cache yet
    }
  }
  const index = new WorkspaceIndex(nodeFileHost, { sqlFunctions: settings.sqlFunctions, cached });
  for (const f of files) index.update(f.file, f.text);
  return index;
}

/** Writes the index's summaries back to the cache when anything new was summarised. Never throws. */
export function saveIndex(cwd: string, index: WorkspaceIndex): void {
  const cache = cacheFile(cwd);
  if (!cache || index.fresh.size === 0) return;
  try {
    fs.mkdirSync(path.dirname(cache), { recursive: true });
    const tmp = `${cache}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, serializeSummaries(index.summariesByHash()));
    fs.renameSync(tmp, cache);
  } catch {
    // A read-only tmp is not worth failing a lint for.
  }
}
