/**
 * Scenario 6 (run first): a malformed statement yields one parse-error diagnostic, the valid
 * statements around it are still linted, and the extension keeps working afterwards (every
 * later scenario runs in the same extension host, and the runner checks it never crashed).
 */
import { expectProblems, expectSquiggles, type ExpectedDiagnostic, type Scenario } from '../scenario';

const FILE = 'broken.sql';
const PARSE_ERROR: ExpectedDiagnostic = {
  rule: 'parse-error',
  severity: 'warning',
  line: 3,
  // PostgreSQL's own parser stops at the unknown keyword (`syntax error at or near "SELEC"`).
  column: 1,
  text: 'SELEC id,, FROM WHERE ((',
};
const STILL_LINTED: ExpectedDiagnostic = {
  rule: 'function-on-column',
  severity: 'warning',
  line: 4,
  column: 34,
  text: 'lower(email)',
};

export const malformed: Scenario = {
  id: 'malformed-sql',
  title: 'a malformed SQL file gets a parse error, the rest is linted, the host stays alive',
  async run({ wb, log }) {
    await wb.openFile(`queries/${FILE}`);
    await expectSquiggles(wb, [PARSE_ERROR, STILL_LINTED]);
    await expectProblems(wb, FILE, [PARSE_ERROR, STILL_LINTED]);
    await wb.screenshot('malformed-open');
    log('parse error reported, following statement still linted');
    // Repair the statement: the extension is still responsive and drops the parse error.
    await wb.focusEditor();
    await wb.goTo(3, 1);
    await wb.page.keyboard.press('Shift+End');
    await wb.type('SELECT id FROM users WHERE id = 2;');
    await expectSquiggles(wb, [STILL_LINTED]);
    await expectProblems(wb, FILE, [STILL_LINTED]);
    log('repaired statement re-linted');
  },
};
