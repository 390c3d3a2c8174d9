/**
 * "Add suggested index…" on a missing-index finding, in a project whose migrations are Knex
 * files: the first choice is a new Knex migration in db/migrations that builds the index with
 * CREATE INDEX CONCURRENTLY and disables Knex's transaction — and the migration rules have
 * nothing to say about the file it wrote.
 */
import * as fs from 'fs';
import * as path from 'path';
import { expect, waitFor } from '../poll';
import { expectProblems, expectSquiggles, type ExpectedDiagnostic, type Scenario } from '../scenario';

const FILE = 'open_orders.sql';
const MISSING: ExpectedDiagnostic = { rule: 'missing-index', severity: 'warning', line: 2, column: 42, text: 'status' };
const FIX_TITLE = 'Add suggested index on orders';
const NEW_FILE = /^\d{14}_add_orders_status_idx\.js$/;

export const concurrentIndexMigration: Scenario = {
  id: 'concurrent-index-migration',
  title: 'Add suggested index → a new Knex migration with CREATE INDEX CONCURRENTLY and its transaction disabled',
  async run({ wb, workspace, log }) {
    const migrations = path.join(workspace, 'db', 'migrations');
    const before = new Set(fs.readdirSync(migrations));
    await wb.openFile(`queries/${FILE}`);
    await expectSquiggles(wb, [MISSING]);
    await wb.focusEditor();
    await wb.goTo(MISSING.line, MISSING.column + 2);
    // The migration set is read in the background after activation; when it lands, the open
    // documents are re-linted and their diagnostics republished. Ask again if Ctrl+. raced that.
    const titles = await waitFor(
      `the quick-fix menu to offer "${FIX_TITLE}…"`,
      async () => {
        const offered = await wb.quickFixTitles().catch(() => [] as string[]);
        if (!offered.some((t) => t.startsWith(FIX_TITLE))) await wb.page.keyboard.press('Escape');
        return offered;
      },
      (offered) => offered.some((t) => t.startsWith(FIX_TITLE)),
      20_000,
      500,
    );
    log(`quick fixes: ${titles.join(' | ')}`);
    await wb.applyQuickFix(FIX_TITLE);

    // The quick pick lists the new migration first, described in the project's format.
    const first = await waitFor(
      'the "Add suggested index" quick pick to offer a new Knex migration first',
      () => wb.page.locator('.quick-input-widget .monaco-list-row').first().textContent({ timeout: 1000 }),
      (t) => !!t && /db\/migrations\/\d{14}_add_orders_status_idx\.js/.test(t) && /Knex migration \(CONCURRENTLY, transaction disabled\)/.test(t),
      15_000,
    );
    log(`first choice: ${first?.replace(/\s+/g, ' ')}`);
    await wb.screenshot('concurrent-index-migration-pick');
    await wb.page.keyboard.press('Enter');

    const created = await waitFor(
      'a new migration file in db/migrations',
      async () => fs.readdirSync(migrations).filter((f) => !before.has(f)),
      (files) => files.length === 1,
      15_000,
    );
    expect(NEW_FILE.test(created[0]), `new file named ${created[0]}`);
    const text = fs.readFileSync(path.join(migrations, created[0]), 'utf8');
    expect(text.includes('exports.config = { transaction: false };'), `Knex transaction not disabled:\n${text}`);
    expect(text.includes('await knex.raw(`CREATE INDEX CONCURRENTLY orders_status_idx ON orders (status)`);'), `no CONCURRENTLY build:\n${text}`);
    expect(text.includes('DROP INDEX CONCURRENTLY IF EXISTS orders_status_idx'), `no down migration:\n${text}`);
    await waitFor('the new migration to open in an editor', () => wb.activeTabLabel(), (l) => l.includes(created[0]), 10_000);
    log(`wrote db/migrations/${created[0]}`);
    await wb.screenshot('concurrent-index-migration-file');
    // The file we wrote obeys the migration rules: no blocking build, no CONCURRENTLY in a transaction.
    await expectProblems(wb, created[0], []);
  },
};
