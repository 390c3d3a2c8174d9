/**
 * Table-driven rule tests, after ESLint's RuleTester: `valid` snippets must stay silent,
 * `invalid` snippets must produce exactly the listed findings, each pinned by the exact text
 * its range covers, a message fragment, and optionally the suggested DDL and the text after
 * applying the quick fix. Runs through the real linter and the real parser.
 */
import { strict as assert } from 'assert';
import type { Dialect } from '../../../src/core/dialect';
import { SqlLinter } from '../../../src/core/lint/linter';
import type { RuleSettings } from '../../../src/core/lint/types';
import { sqlRules } from '../../../src/core/rules/index';
import { buildCatalog, emptyCatalog } from '../../../src/core/schema/catalog';
import type { Catalog } from '../../../src/core/schema/types';
import type { Finding } from '../../../src/core/rules/types';

export interface ExpectedFinding {
  /** The exact source text the finding's range covers. */
  text: string;
  /** Fragments the message must contain. */
  message?: string | string[];
  /** Exact suggested DDL, or null when none may be offered. */
  ddl?: string | null;
  /** The whole statement after applying the first fix, or null when no fix may be offered. */
  fixed?: string | null;
}

export interface InvalidCase {
  sql: string;
  dialect?: Dialect;
  errors: ExpectedFinding[];
}

export interface ValidCase {
  sql: string;
  dialect?: Dialect;
}

export interface RuleTable {
  /** DDL of the schema the cases run against (empty: no schema). */
  schema?: string;
  mysqlSchema?: string;
  valid: (string | ValidCase)[];
  invalid: InvalidCase[];
}

/** Applies a fix's edits (end to start so offsets stay valid). */
export function applyFix(text: string, f: Finding): string {
  const edits = [...(f.fixes?.[0]?.edits ?? [])].sort((a, b) => b.start - a.start);
  let out = text;
  for (const e of edits) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

/** Lints `sql` with only `ruleId` enabled. */
export function lintWith(ruleId: string, sql: string, catalog: Catalog, dialect: Dialect = 'postgresql'): Finding[] {
  const rules: RuleSettings = { 'parse-error': 'error' };
  for (const r of sqlRules) if (r.id !== ruleId) rules[r.id] = 'off';
  return new SqlLinter().lint(sql, { dialect, catalog, rules });
}

/** Declares mocha cases for one rule from its table. */
export function ruleTests(ruleId: string, table: RuleTable): void {
  const pg = table.schema ? buildCatalog([{ file: 'schema.sql', text: table.schema }]) : emptyCatalog();
  const my = table.mysqlSchema ? buildCatalog([{ file: 'schema.sql', text: table.mysqlSchema }], 'mysql') : pg;
  const catalogFor = (d: Dialect) => (d === 'mysql' ? my : pg);
  describe(`rule ${ruleId}`, () => {
    describe('valid', () => {
      for (const v of table.valid) {
        const c = typeof v === 'string' ? { sql: v } : v;
        it(c.sql, () => {
          const found = lintWith(ruleId, c.sql, catalogFor(c.dialect ?? 'postgresql'), c.dialect);
          assert.deepEqual(found.map((f) => `${f.ruleId}: ${f.message}`), []);
        });
      }
    });
    describe('invalid', () => {
      for (const c of table.invalid) {
        it(c.sql, () => {
          const found = lintWith(ruleId, c.sql, catalogFor(c.dialect ?? 'postgresql'), c.dialect);
          assert.deepEqual(found.map((f) => c.sql.slice(f.start, f.end)), c.errors.map((e) => e.text), `ranges; messages: ${found.map((f) => f.message).join(' | ')}`);
          found.forEach((f, i) => {
            const e = c.errors[i];
            assert.equal(f.ruleId, ruleId);
            for (const frag of typeof e.message === 'string' ? [e.message] : e.message ?? []) {
              assert.ok(f.message.includes(frag), `message ${JSON.stringify(f.message)} should contain ${JSON.stringify(frag)}`);
            }
            if (e.ddl !== undefined) assert.equal(f.suggestedIndex?.ddl ?? null, e.ddl);
            if (e.fixed !== undefined) assert.equal(f.fixes?.length ? applyFix(c.sql, f) : null, e.fixed);
          });
        });
      }
    });
  });
}
