/**
 * Scenario 2: a TypeScript file with a query inside a loop (N+1) and SQL embedded in string
 * literals shows diagnostics in the TS file, at the call and inside the strings.
 */
import { expect } from '../poll';
import { expectProblems, expectSquiggles, type ExpectedDiagnostic, type Scenario } from '../scenario';

const FILE = 'orders.ts';

/** What src/orders.ts must show (its header comment says the same). */
const EXPECTED: ExpectedDiagnostic[] = [
  { rule: 'n-plus-one', severity: 'warning', line: 10, column: 28, text: 'pool.query' },
  { rule: 'select-star', severity: 'info', line: 10, column: 47, text: '*' },
  { rule: 'function-on-column', severity: 'warning', line: 17, column: 71, text: 'lower(email)' },
];

export const embeddedTs: Scenario = {
  id: 'ts-n-plus-one',
  title: 'open a .ts file with an N+1 loop and embedded SQL → diagnostics there',
  async run({ wb, log }) {
    await wb.openFile(`src/${FILE}`);
    await expectSquiggles(wb, EXPECTED);
    const rows = await expectProblems(wb, FILE, EXPECTED);
    const n1 = rows.find((r) => r.code === 'n-plus-one');
    expect(/loop/i.test(n1?.message ?? ''), `the n-plus-one message should name the loop: ${n1?.message}`);
    log('diagnostics in the TS file match');
    const hover = await wb.hoverText(10, 30, 'n-plus-one');
    expect(/N\+1/.test(hover), `hovering the N+1 call should explain it: ${hover}`);
    await wb.screenshot('ts-n-plus-one-hover');
  },
};
