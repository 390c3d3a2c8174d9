import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { renderRuleDocs, RULE_DOCS_DIR } from '../../scripts/gen-rule-docs';
import { SqlLinter } from '../../src/core/lint/linter';
import { allRuleMeta, ruleById, sqlRules } from '../../src/core/rules/index';
import { buildCatalog } from '../../src/core/schema/catalog';

/** The schema the documented examples are written against. */
const docsSchema = buildCatalog([{
  file: 'docs-schema.sql',
  text: `
    CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL, name text, org_id bigint, age int, created_at timestamptz);
    CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint NOT NULL, status text, total numeric(12,2), created_at timestamptz);
    CREATE INDEX orders_user_id_idx ON orders (user_id);
    CREATE INDEX orders_status_created_at_idx ON orders (status, created_at);
    CREATE TABLE payments (id bigint PRIMARY KEY, account_id bigint, amount numeric, created_at timestamptz);
    CREATE TABLE events (id bigint PRIMARY KEY, kind text, created_at timestamptz);
    CREATE TABLE products (id bigint PRIMARY KEY, name text, price numeric);`,
}]);

describe('rule documentation', () => {
  it('docs/rules is up to date with the rule metadata (run `npm run docs` after changing a rule)', () => {
    const expected = renderRuleDocs();
    const actual = fs.readdirSync(RULE_DOCS_DIR).filter((f) => f.endsWith('.md')).sort();
    assert.deepEqual(actual, [...expected.keys()].sort(), 'the set of generated files');
    for (const [name, content] of expected) {
      assert.equal(fs.readFileSync(path.join(RULE_DOCS_DIR, name), 'utf8'), content, `${name} is stale`);
    }
  });

  it('documents n-plus-one too, through the metadata registry', () => {
    assert.ok(ruleById('n-plus-one'), 'n-plus-one registered via registerRuleMeta');
    assert.ok(allRuleMeta().some((m) => m.id === 'n-plus-one'));
  });

  for (const rule of sqlRules) {
    it(`${rule.id}: documented "flagged" examples are flagged, "not flagged" ones are not`, () => {
      const only = Object.fromEntries(sqlRules.filter((r) => r.id !== rule.id).map((r) => [r.id, 'off' as const]));
      const lint = (sql: string) => new SqlLinter().lint(sql, { dialect: 'postgresql', catalog: docsSchema, rules: only });
      for (const bad of rule.examples.bad) assert.deepEqual(lint(bad).map((f) => f.ruleId), [rule.id], bad);
      for (const good of rule.examples.good) assert.deepEqual(lint(good).map((f) => f.ruleId), [], good);
    });
  }
});
