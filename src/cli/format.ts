/** Human (`text`) and machine (`json`) renderings of a lint report. */
import type { Severity } from '../core/rules/types';
import { toContractShape, type LintReport } from './report';

/** `{"findings":[…]}` with the contract keys, pretty-printed, newline-terminated. */
export function formatJson(report: LintReport): string {
  return JSON.stringify({ findings: report.findings.map(toContractShape) }, null, 2) + '\n';
}

const SEVERITY_ORDER: Severity[] = ['error', 'warning', 'info', 'hint'];

/**
 * `file:line:col severity message [rule]`, one line per finding (the shape terminals and
 * editors turn into links) plus an indented `suggested: CREATE INDEX …` line when a rule
 * proposes an index, a blank line between files, then a summary line.
 */
export function formatText(report: LintReport): string {
  const lines: string[] = [];
  let previousFile: string | undefined;
  for (const f of report.findings) {
    if (previousFile !== undefined && f.file !== previousFile) lines.push('');
    previousFile = f.file;
    lines.push(`${f.file}:${f.line}:${f.column} ${f.severity} ${oneLine(f.message)} [${f.rule}]`);
    // The DDL is what the reader acts on; an indented continuation keeps `file:line:col` greppable.
    if (f.suggestedIndex) lines.push(`    suggested: ${oneLine(f.suggestedIndex.ddl)}`);
    // The same index in the table's ORM schema syntax, and where it goes.
    const orm = f.suggestedIndex?.orm;
    if (orm) lines.push(`    ${orm.origin}: ${oneLine(orm.syntax)}${orm.file ? `  (in ${orm.file})` : ''}`);
  }
  if (lines.length) lines.push('');
  lines.push(summary(report));
  return lines.join('\n') + '\n';
}

function summary(report: LintReport): string {
  const checked = `${report.filesChecked} ${plural(report.filesChecked, 'file')} checked`;
  const n = report.findings.length;
  if (n === 0) return `No findings; ${checked}.`;
  const counts = new Map<Severity, number>();
  for (const f of report.findings) counts.set(f.severity, (counts.get(f.severity) ?? 0) + 1);
  const parts = SEVERITY_ORDER.filter((s) => counts.has(s)).map((s) => {
    const c = counts.get(s)!;
    return s === 'info' || s === 'hint' ? `${c} ${s}` : `${c} ${plural(c, s)}`;
  });
  const files = new Set(report.findings.map((f) => f.file)).size;
  return `${n} ${plural(n, 'finding')} (${parts.join(', ')}) in ${files} ${plural(files, 'file')}; ${checked}.`;
}

function plural(n: number, word: string): string {
  return n === 1 ? word : word + 's';
}

/** Messages are one line in text output so each finding stays one grep-able line. */
function oneLine(message: string): string {
  return message.replace(/\s*\r?\n\s*/g, ' ');
}
