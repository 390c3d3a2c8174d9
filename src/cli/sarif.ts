/**
 * SARIF 2.1.0 output, shaped for GitHub code scanning: every rule we know is described in
 * `tool.driver.rules` (GitHub shows the rule's help next to each alert), results refer to
 * them by id and index, and locations are relative URIs under `%SRCROOT%` so alerts map to
 * files in the checked-out repository.
 */
import { pathToFileURL } from 'node:url';
import type * as Sarif from 'sarif';
import { allRuleMeta, ruleById } from '../core/rules/index';
import { RULE_DOCS_BASE, type RuleMeta, type Severity } from '../core/rules/types';
import type { LintReport, LocatedFinding } from './report';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
export const TOOL_NAME = 'sql-plan-advisor';
export const TOOL_INFORMATION_URI = 'https://github.com/sql-plan-advisor/sql-plan-advisor';

type SarifLevel = NonNullable<Sarif.ReportingConfiguration['level']>;

/** SARIF has no `info`/`hint`; both are `note`. */
export function sarifLevel(severity: Severity): SarifLevel {
  return severity === 'error' ? 'error' : severity === 'warning' ? 'warning' : 'note';
}

/** Rules that exist without being a `SqlRule` (reported by the linter itself). */
const PSEUDO_RULES: Record<string, { description: string; rationale: string; level: SarifLevel }> = {
  'parse-error': {
    description: 'A statement could not be parsed, so no rule could check it.',
    rationale:
      'The parser did not understand this statement (a syntax error, or syntax the parser does not support). The other statements in the file are still checked.',
    level: 'warning',
  },
};

function describeRule(id: string, meta: RuleMeta | undefined): Sarif.ReportingDescriptor {
  const pseudo = PSEUDO_RULES[id];
  const description = meta?.description ?? pseudo?.description ?? `Finding reported by ${TOOL_NAME}.`;
  const rationale = meta?.rationale ?? pseudo?.rationale ?? description;
  const level = meta ? sarifLevel(meta.defaultSeverity) : pseudo?.level ?? 'warning';
  const fix = meta?.fix ? `\n\nFix: ${meta.fix}` : '';
  const helpUri = `${RULE_DOCS_BASE}${id}.md`;
  return {
    id,
    // SARIF wants a PascalCase-ish name distinct from the id; GitHub shows it in the rule list.
    name: id.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase()),
    shortDescription: { text: description },
    fullDescription: { text: rationale },
    help: { text: `${rationale}${fix}\n\nDocumentation: ${helpUri}`, markdown: `${rationale}${fix}\n\n[Rule documentation](${helpUri})` },
    helpUri,
    defaultConfiguration: { level },
    properties: {
      tags: ['sql', 'performance'],
      precision: meta?.needsSchema ? 'medium' : 'high',
      'problem.severity': level === 'note' ? 'recommendation' : level,
    },
  };
}

/** Every rule id known to the registry, the pseudo rules, then any other id seen in results. */
function ruleIds(findings: LocatedFinding[]): string[] {
  const ids = new Set(allRuleMeta().map((r) => r.id));
  for (const id of Object.keys(PSEUDO_RULES)) ids.add(id);
  for (const f of findings) ids.add(f.rule);
  return [...ids];
}

/** Percent-encodes each path segment so spaces and `#` survive as a relative URI reference. */
function relativeUri(file: string): string {
  return file.split('/').map(encodeURIComponent).join('/');
}

/** Builds the SARIF log object for a report; `cwd` is the `%SRCROOT%` the URIs are relative to. */
export function buildSarif(report: LintReport, cwd: string, toolVersion: string): Sarif.Log {
  const ids = ruleIds(report.findings);
  const rules = ids.map((id) => describeRule(id, ruleById(id)));
  const index = new Map(ids.map((id, i) => [id, i]));
  const srcRoot = pathToFileURL(cwd).href.replace(/\/?$/, '/');
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: TOOL_NAME,
            version: toolVersion,
            semanticVersion: toolVersion,
            informationUri: TOOL_INFORMATION_URI,
            rules,
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: srcRoot } },
        columnKind: 'utf16CodeUnits',
        results: report.findings.map((f) => ({
          ruleId: f.rule,
          ruleIndex: index.get(f.rule)!,
          level: sarifLevel(f.severity),
          message: { text: f.suggestedIndex ? `${f.message}\nSuggested index: ${f.suggestedIndex.ddl}` : f.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: relativeUri(f.file), uriBaseId: '%SRCROOT%' },
                region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn },
              },
            },
          ],
        })),
      },
    ],
  };
}

/** SARIF log as pretty-printed JSON, newline-terminated. */
export function formatSarif(report: LintReport, cwd: string, toolVersion: string): string {
  return JSON.stringify(buildSarif(report, cwd, toolVersion), null, 2) + '\n';
}
