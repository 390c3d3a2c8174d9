/**
 * The lint report as the CLI prints it: findings located by 1-based line and column in a
 * file path relative to the working directory. The JSON shape is part of the CLI contract.
 */
import type { DocumentFinding } from '../core/lint/types';
import type { Severity, SuggestedIndex } from '../core/rules/types';
import { LineIndex } from '../core/sql/locate';

/** One finding in contract shape (`--format json` prints exactly these keys). */
export interface ReportedFinding {
  file: string;
  rule: string;
  severity: Severity;
  message: string;
  /** 1-based line and column (UTF-16 code units, as editors count) of the first character. */
  line: number;
  column: number;
  /** 1-based line and column just past the last character (exclusive end, as SARIF defines it). */
  endLine: number;
  endColumn: number;
}

/** A reported finding plus data only the text/SARIF writers use (never in JSON output). */
export interface LocatedFinding extends ReportedFinding {
  suggestedIndex?: SuggestedIndex;
}

export interface LintReport {
  findings: LocatedFinding[];
  /** Number of files that were read and linted. */
  filesChecked: number;
}

/** Converts document findings (offsets) into located findings for one file, in offset order. */
export function locateFindings(file: string, text: string, findings: DocumentFinding[]): LocatedFinding[] {
  if (findings.length === 0) return [];
  const lines = new LineIndex(text);
  return [...findings]
    .sort((a, b) => a.start - b.start || a.end - b.end)
    .map((f) => {
      const start = lines.position(f.start);
      const end = lines.position(Math.max(f.end, f.start));
      const located: LocatedFinding = {
        file,
        rule: f.ruleId,
        severity: f.severity,
        message: f.message,
        line: start.line + 1,
        column: start.column + 1,
        endLine: end.line + 1,
        endColumn: end.column + 1,
      };
      if (f.suggestedIndex) located.suggestedIndex = f.suggestedIndex;
      return located;
    });
}

/** Strips writer-only data so JSON output holds exactly the contract keys, in contract order. */
export function toContractShape(f: LocatedFinding): ReportedFinding {
  return {
    file: f.file,
    rule: f.rule,
    severity: f.severity,
    message: f.message,
    line: f.line,
    column: f.column,
    endLine: f.endLine,
    endColumn: f.endColumn,
  };
}
