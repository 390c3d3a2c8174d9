/**
 * Scenario: the Queries view lists the SQL sent through the project's own helper
 * (src/wrappers/db.ts → reports.ts) with `wrapper:rawQuery` and its findings count, groups
 * by table, and "Explain this query" from a row's context menu draws a plan.
 */
import { expect, waitFor } from '../poll';
import type { Scenario } from '../scenario';
import { showAdvisorSidebar } from './sidebar';
import { ERROR_MESSAGE, readRoot, ROOT_NODE } from './explain';

const ROW = '.pane-body .monaco-list-row';

export const queriesView: Scenario = {
  id: 'queries-view',
  title: 'the Queries view lists wrapper SQL by file and by table, and explains a query',
  async run({ wb, log }) {
    await showAdvisorSidebar(wb);
    // The tree is a virtual list: rows below the fold are not in the DOM. Fold the Database
    // selection view above it so the Queries view has the sidebar's height for its rows.
    const selectionHeader = wb.page.locator('.pane-header[aria-expanded="true"]', { hasText: /database selection/i });
    if (await selectionHeader.count()) await selectionHeader.first().click();
    const rowsText = () => wb.page.$$eval(ROW, (els) => els.map((e) => (e.textContent ?? '').replace(/\s+/g, ' ').trim()));
    const rows = await waitFor(
      'the Queries view to list the two queries sent through rawQuery',
      rowsText,
      (r) => r.filter((t) => t.includes('wrapper:rawQuery')).length >= 2,
      60_000,
    );
    log(`rows: ${rows.join(' | ')}`);
    expect(rows.some((t) => /reports\.ts/.test(t)), 'the view groups by file (reports.ts)');
    expect(rows.some((t) => /lower\(email\).*wrapper:rawQuery · 2 findings/.test(t)), `the SELECT * / lower(email) query shows its 2 findings: ${rows.join(' | ')}`);
    await wb.screenshot('queries-by-file');

    await wb.runCommand('SQL Plan Advisor: Group queries by table');
    await waitFor('the view to group by table', rowsText, (r) => r.some((t) => /^users\d+ quer/.test(t)) && r.some((t) => /^orders\d+ quer/.test(t)), 20_000);
    await wb.screenshot('queries-by-table');

    // The wrapper query (reports.ts), not the .sql ones with the same predicate.
    const row = wb.page.locator(ROW, { hasText: /users WHERE lo.*wrapper:rawQuery/ }).first();
    await row.click({ button: 'right' });
    await wb.page.locator('.context-view .action-label', { hasText: 'Explain this query' }).first().waitFor({ state: 'visible', timeout: 10_000 });
    await wb.chooseMenuItem('Explain this query');
    const frame = await wb.waitForWebview('the plan webview to draw the wrapper query', `${ROOT_NODE}, ${ERROR_MESSAGE}`, 90_000);
    // The panel may still show an earlier plan: wait until it names the wrapper query's place.
    await waitFor('the panel to show the query of reports.ts:9', () => frame.evaluate(() => document.body.textContent ?? ''), (t) => /reports\.ts:9/.test(t), 60_000);
    const root = await waitFor('a plan root', () => readRoot(frame), (r) => r !== '', 30_000);
    expect(/Scan on users/.test(root), `plan root: ${root}`);
    log(`plan root: ${root}`);
  },
};
