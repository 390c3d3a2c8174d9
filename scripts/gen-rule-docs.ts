/**
 * Generates docs/rules/<id>.md and docs/rules/README.md from the rule metadata, so rule
 * documentation cannot drift from the code (a unit test compares the committed files with
 * `renderRuleDocs()`). Run: `npx tsx scripts/gen-rule-docs.ts` (or `npm run docs`).
 */
import * as fs from 'fs';
import * as path from 'path';
// Importing the document linter pulls in every module that registers rule metadata (n-plus-one).
import '../src/core/lint/document';
import { allRuleMeta } from '../src/core/rules/index';
import type { RuleMeta } from '../src/core/rules/types';

export const RULE_DOCS_DIR = path.join(__dirname, '..', 'docs', 'rules');

function codeBlocks(snippets: string[], lang: string): string {
  return snippets.map((s) => '```' + lang + '\n' + s.trim() + '\n```').join('\n\n');
}

/** `sql` for SQL rules; the source rules' examples are TypeScript. */
function langOf(meta: RuleMeta): string {
  return (meta as { kind?: string }).kind === 'source' ? 'ts' : 'sql';
}

function rulePage(meta: RuleMeta): string {
  const lang = langOf(meta);
  return [
    `# \`${meta.id}\``,
    '',
    meta.description,
    '',
    `- Default severity: **${meta.defaultSeverity}**`,
    `- Needs the schema: **${meta.needsSchema ? 'yes' : 'no'}**${meta.needsSchema ? ' (silent for tables and columns the workspace DDL does not declare)' : ''}`,
    `- Applies to: ${lang === 'ts' ? 'TypeScript / JavaScript sources' : '`.sql` files and SQL embedded in TypeScript / JavaScript'}`,
    '',
    '## Why',
    '',
    meta.rationale,
    '',
    '## Flagged',
    '',
    codeBlocks(meta.examples.bad, lang),
    '',
    '## Not flagged',
    '',
    codeBlocks(meta.examples.good, lang),
    '',
    ...(meta.fix ? ['## Fix', '', meta.fix, ''] : []),
    '## Configuration',
    '',
    'Change the severity or turn the rule off in VS Code settings:',
    '',
    '```json',
    `"sqlPlanAdvisor.rules": { "${meta.id}": "off" }`,
    '```',
    '',
    '_Generated from the rule metadata by `scripts/gen-rule-docs.ts`; edit the rule, not this file._',
    '',
  ].join('\n');
}

function readme(metas: RuleMeta[]): string {
  const rows = metas.map((m) => `| [\`${m.id}\`](${m.id}.md) | ${m.description.replace(/\|/g, '\\|')} | ${m.defaultSeverity} | ${m.needsSchema ? 'yes' : 'no'} |`);
  return [
    '# Rules',
    '',
    '| Rule | What it catches | Default severity | Needs schema |',
    '|---|---|---|---|',
    ...rows,
    '',
    'Statements the SQL parser cannot read are reported once each under the id `parse-error`',
    '(the other statements of the file are still checked). Valid statements the rules do not look at',
    '(DDL, transaction control, `VACUUM`…) are not reported even when the parser cannot read them.',
    '',
    'Severities are configured per rule with `sqlPlanAdvisor.rules` (`off`, `error`, `warning`, `info`, `hint`).',
    '',
    '_Generated from the rule metadata by `scripts/gen-rule-docs.ts`._',
    '',
  ].join('\n');
}

/** File name → content of every generated documentation file. */
export function renderRuleDocs(): Map<string, string> {
  const metas = allRuleMeta();
  const out = new Map<string, string>();
  out.set('README.md', readme(metas));
  for (const m of metas) out.set(`${m.id}.md`, rulePage(m));
  return out;
}

if (require.main === module) {
  fs.mkdirSync(RULE_DOCS_DIR, { recursive: true });
  for (const [name, content] of renderRuleDocs()) fs.writeFileSync(path.join(RULE_DOCS_DIR, name), content);
  console.log(`wrote ${renderRuleDocs().size} files to ${path.relative(process.cwd(), RULE_DOCS_DIR)}`);
}
