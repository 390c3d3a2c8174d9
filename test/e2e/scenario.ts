/**
 * The shape of an end-to-end scenario, and the diagnostics expectation they share: what the
 * Problems panel lists for a file and where the squiggles are drawn must both match a table.
 */
import { waitFor } from './poll';
import type { ProblemRow, Severity, Squiggle, Workbench } from './workbench';

export interface ScenarioContext {
  wb: Workbench;
  /** Absolute path of the throwaway copy of test/e2e/workspace the server opened. */
  workspace: string;
  /** File the in-host suite's harness writes its outcome to. */
  inHostReport: string;
  /** Progress line in the runner's output. */
  log(message: string): void;
}

export interface Scenario {
  /** Short id used in screenshots and output. */
  id: string;
  /** What the user does and sees, one line. */
  title: string;
  run(ctx: ScenarioContext): Promise<void>;
}

/** One diagnostic a user should see: rule id, severity, 1-based position and the squiggled text. */
export interface ExpectedDiagnostic {
  rule: string;
  severity: Severity;
  line: number;
  column: number;
  /** Exactly the text under the squiggle. */
  text: string;
}

const problemKey = (p: { rule: string; severity: string; line: number; column: number }) =>
  `${p.rule} ${p.severity} ${p.line}:${p.column}`;

const byPosition = (a: string, b: string) => a.localeCompare(b, undefined, { numeric: true });

/** The Problems panel lists for `fileName` exactly `expected` (rule, severity, position) from source sql-plan-advisor. */
export async function expectProblems(wb: Workbench, fileName: string, expected: ExpectedDiagnostic[], timeoutMs = 30_000): Promise<ProblemRow[]> {
  const want = expected.map(problemKey).sort(byPosition);
  await wb.showProblems();
  const rows = await waitFor(
    `the Problems panel to list for ${fileName}: ${want.join(', ') || '(nothing)'}`,
    async () => (await wb.problemsFor(fileName)).filter((r) => r.source === 'sql-plan-advisor'),
    (rows) => {
      const got = rows.map((r) => problemKey({ rule: r.code, severity: r.severity, line: r.line, column: r.column })).sort(byPosition);
      return JSON.stringify(got) === JSON.stringify(want) && rows.every((r) => r.message.length > 0);
    },
    timeoutMs,
  );
  return rows;
}

const squiggleKey = (s: { severity: string; line: number; column: number; text: string }) =>
  `${s.severity} ${s.line}:${s.column} "${s.text}"`;

/** The active editor draws exactly one squiggle per expected diagnostic, under exactly the expected text. */
export async function expectSquiggles(wb: Workbench, expected: ExpectedDiagnostic[], timeoutMs = 30_000): Promise<Squiggle[]> {
  const want = expected.map(squiggleKey).sort(byPosition);
  return waitFor(
    `squiggles at ${want.join(', ') || '(none)'}`,
    () => wb.squiggles(),
    (got) => JSON.stringify(got.map(squiggleKey).sort(byPosition)) === JSON.stringify(want),
    timeoutMs,
  );
}
