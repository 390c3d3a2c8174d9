/**
 * Table-driven tests for migration rules, after the SQL rules' harness: each case is a small
 * set of files (a migration folder, a script…); `valid` cases must stay silent on the checked
 * file, `invalid` cases must produce exactly the listed findings, each pinned by the exact text
 * its range covers and message fragments. Runs the real libpg-query parser, the real catalog
 * reader and the real migration ordering.
 */
import { strict as assert } from 'assert';
import type { Dialect } from '../../../src/core/dialect';
import { withMigrationFindings } from '../../../src/core/migrations/lint';
import { buildMigrationSet } from '../../../src/core/migrations/set';
import { buildCatalog } from '../../../src/core/schema/catalog';
import { isScannableSource } from '../../../src/core/embedded/fileKinds';
import { loadPgParser } from '../../../src/core/sql/pg/libpg';
import type { Finding } from '../../../src/core/rules/types';
import type { ExpectedFinding } from './harness';
import { applyFix } from './harness';

export interface MigrationCase {
  /** Files by path, in any order: the set orders them as the tools would. */
  files: Record<string, string>;
  /** The file checked; default: the last one listed. */
  check?: string;
  dialect?: Dialect;
  name?: string;
}

export interface MigrationInvalidCase extends MigrationCase {
  errors: (ExpectedFinding & { ddl?: string | null })[];
}

export interface MigrationRuleTable {
  valid: MigrationCase[];
  invalid: MigrationInvalidCase[];
}

/** Runs only `ruleId` over the case's checked file. */
export function lintMigrationCase(ruleId: string, c: MigrationCase): { findings: Finding[]; text: string } {
  const dialect = c.dialect ?? 'postgresql';
  const sources = Object.entries(c.files).map(([file, text]) => ({ file, text }));
  const set = buildMigrationSet(sources, dialect);
  const sqlSources = set.files.filter((f) => !isScannableSource(f.file)).map((f) => ({ file: f.file, text: f.text }));
  const catalog = buildCatalog(sqlSources, dialect);
  const file = c.check ?? sources[sources.length - 1].file;
  const text = c.files[file];
  const rules: Record<string, 'off'> = {};
  for (const id of ['blocking-index-build', 'concurrent-index-in-transaction', 'redundant-index', 'unindexed-foreign-key']) if (id !== ruleId) rules[id] = 'off';
  return { findings: withMigrationFindings(file, text, [], { set, catalog, rules }), text };
}

function title(c: MigrationCase): string {
  return c.name ?? Object.entries(c.files).map(([f, t]) => `${f}: ${t.replace(/\s+/g, ' ').slice(0, 90)}`).join(' | ');
}

/** Declares mocha cases for one migration rule from its table. */
export function migrationRuleTests(ruleId: string, table: MigrationRuleTable): void {
  describe(`rule ${ruleId}`, () => {
    before(() => loadPgParser());
    describe('valid', () => {
      for (const c of table.valid) {
        it(title(c), () => {
          const { findings } = lintMigrationCase(ruleId, c);
          assert.deepEqual(findings.map((f) => `${f.ruleId}: ${f.message}`), []);
        });
      }
    });
    describe('invalid', () => {
      for (const c of table.invalid) {
        it(title(c), () => {
          const { findings, text } = lintMigrationCase(ruleId, c);
          assert.deepEqual(findings.map((f) => text.slice(f.start, f.end)), c.errors.map((e) => e.text), `ranges; messages: ${findings.map((f) => f.message).join(' | ')}`);
          findings.forEach((f, i) => {
            const e = c.errors[i];
            assert.equal(f.ruleId, ruleId);
            for (const frag of typeof e.message === 'string' ? [e.message] : e.message ?? []) {
              assert.ok(f.message.includes(frag), `message ${JSON.stringify(f.message)} should contain ${JSON.stringify(frag)}`);
            }
            if (e.ddl !== undefined) assert.equal(f.suggestedIndex?.ddl ?? null, e.ddl);
            if (e.fixed !== undefined) assert.equal(f.fixes?.length ? applyFix(text, f) : null, e.fixed);
          });
        });
      }
    });
  });
}
