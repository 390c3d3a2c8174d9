/**
 * The in-host mocha suite (test/vscode/suite: activation, registered commands, diagnostics),
 * run inside code-server's extension host through the companion harness extension. Runs last:
 * it opens and edits documents through the API.
 */
import { HARNESS_COMMAND_TITLE, readReport } from '../inHostHarness';
import { expect, waitFor } from '../poll';
import type { Scenario } from '../scenario';

export const inHostSuite: Scenario = {
  id: 'in-host-suite',
  title: 'the test/vscode mocha suite, run inside the extension host',
  async run({ wb, inHostReport, log }) {
    await wb.runCommand(HARNESS_COMMAND_TITLE);
    const report = await waitFor('the in-host suite to write its report', async () => readReport(inHostReport), (r) => r !== undefined, 150_000, 500);
    for (const t of report!.passes) log(`in-host pass: ${t}`);
    const failures = report!.failures.map((f) => `${f.title}: ${f.error.split('\n').slice(0, 3).join(' ')}`);
    expect(report!.failed === 0 && report!.passed > 0, `in-host suite: ${report!.passed} passed, ${report!.failed} failed\n${failures.join('\n')}`);
  },
};
