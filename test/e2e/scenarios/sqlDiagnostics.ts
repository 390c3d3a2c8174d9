/**
 * Scenario 1: a .sql file with index-defeating queries shows squiggles at the offending
 * expressions and matching Problems entries; editing the file updates both.
 */
import { expect } from '../poll';
import { expectProblems, expectSquiggles, type ExpectedDiagnostic, type Scenario } from '../scenario';

const FILE = 'report.sql';

/** What queries/report.sql must show when opened (its header comment says the same). */
const ON_OPEN: ExpectedDiagnostic[] = [
  { rule: 'function-on-column', severity: 'warning', line: 2, column: 34, text: 'lower(email)' },
  { rule: 'leading-wildcard', severity: 'warning', line: 3, column: 46, text: "'%@example.com'" },
  { rule: 'select-star', severity: 'info', line: 4, column: 8, text: '*' },
];

export const sqlDiagnostics: Scenario = {
  id: 'sql-diagnostics',
  title: 'open a .sql file → squiggles and Problems entries; edit it → they update',
  async run({ wb, log }) {
    await wb.openFile(`queries/${FILE}`);
    await expectSquiggles(wb, ON_OPEN);
    const rows = await expectProblems(wb, FILE, ON_OPEN);
    const lowerRow = rows.find((r) => r.code === 'function-on-column');
    expect(lowerRow?.message.includes('lower(email)'), `function-on-column message should name lower(email): ${lowerRow?.message}`);
    await wb.screenshot('sql-diagnostics-open');
    log('diagnostics on open match');

    // Fix the first query by hand (compare the bare column) and append a new offending one.
    await wb.focusEditor();
    await wb.goTo(2, 34);
    for (let i = 0; i < 'lower(email)'.length; i++) await wb.page.keyboard.press('Shift+ArrowRight');
    await wb.type('email');
    await wb.goTo(5, 60);
    await wb.page.keyboard.press('End');
    await wb.type('\nSELECT id FROM orders WHERE total_cents * 2 > 1000;');
    const text = await wb.editorText();
    expect(
      text.includes("WHERE email = 'ada@example.com';") && text.includes('SELECT id FROM orders WHERE total_cents * 2 > 1000;'),
      `the edits did not land as typed:\n${text}`,
    );

    const AFTER_EDIT: ExpectedDiagnostic[] = [
      ON_OPEN[1],
      ON_OPEN[2],
      { rule: 'expression-on-column', severity: 'warning', line: 6, column: 29, text: 'total_cents * 2' },
    ];
    await expectSquiggles(wb, AFTER_EDIT);
    await expectProblems(wb, FILE, AFTER_EDIT);
    log('diagnostics after the edit match');
  },
};
