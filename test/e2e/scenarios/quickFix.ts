/**
 * Scenario 3: the quick fix for arithmetic on an indexed column rewrites the comparison, and
 * the diagnostic goes away.
 */
import { expect, waitFor } from '../poll';
import { expectProblems, expectSquiggles, type ExpectedDiagnostic, type Scenario } from '../scenario';

const FILE = 'fixme.sql';
const BEFORE: ExpectedDiagnostic = {
  rule: 'expression-on-column',
  severity: 'warning',
  line: 2,
  column: 37,
  text: 'total_cents + 100',
};
const FIX_TITLE = 'Rewrite as total_cents = 2400';
const FIXED_LINE = 'SELECT id, status FROM orders WHERE total_cents = 2400;';

export const quickFix: Scenario = {
  id: 'quick-fix',
  title: 'apply a quick fix → the document text changes as expected',
  async run({ wb, log }) {
    await wb.openFile(`queries/${FILE}`);
    await expectSquiggles(wb, [BEFORE]);
    await wb.focusEditor();
    await wb.goTo(BEFORE.line, BEFORE.column + 2);
    const titles = await wb.quickFixTitles();
    expect(titles.includes(FIX_TITLE), `quick fixes offered: ${JSON.stringify(titles)}; expected "${FIX_TITLE}"`);
    await wb.screenshot('quick-fix-menu');
    await wb.applyQuickFix(FIX_TITLE);
    const text = await waitFor('the quick fix to rewrite line 2', () => wb.editorText(), (t) => t.split('\n')[1] === FIXED_LINE, 10_000);
    expect(text.split('\n').length === 2 || text.split('\n')[2] === '', `the fix changed more than line 2:\n${text}`);
    log('quick fix applied');
    await expectSquiggles(wb, []);
    await expectProblems(wb, FILE, []);
  },
};
