/**
 * Live database: a throwaway PostgreSQL 15 (the test harness's) holds the fixture workspace's
 * schema with rows; the scenario adds it to `sqlPlanAdvisor.connections`, picks it from the
 * status-bar picker, explains a query, and sees the server's plan with the panel naming the
 * server. It switches back to the bundled engine afterwards so later scenarios are unaffected.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Client } from 'pg';
import { expect, waitFor } from '../poll';
import type { Scenario } from '../scenario';
import { startPostgres } from '../../support/servers';

const PICK_COMMAND = 'SQL Plan Advisor: Choose the plan source (bundled engine or a live database)';

export const liveExplain: Scenario = {
  id: 'live-explain',
  title: 'pick a live PostgreSQL connection → "Explain this query" → the server\'s plan, naming the server',
  async run({ wb, workspace, log }) {
    const server = await startPostgres();
    try {
      const admin = new Client({ connectionString: server.adminUrl });
      await admin.connect();
      const schemaDir = path.join(workspace, 'schema');
      for (const f of fs.readdirSync(schemaDir).sort()) await admin.query(fs.readFileSync(path.join(schemaDir, f), 'utf8'));
      await admin.query(`INSERT INTO users (email, name) SELECT 'u' || g || '@example.com', 'User ' || g FROM generate_series(1, 20000) g;
        ALTER TABLE users OWNER TO app; ALTER TABLE orders OWNER TO app; ANALYZE`);
      await admin.end();

      // Workspace settings of the throwaway workspace (trusted: trust is disabled in this run).
      // The file has comments (JSONC), so the entry is added before its closing brace.
      const settingsFile = path.join(workspace, '.vscode', 'settings.json');
      const settings = fs.readFileSync(settingsFile, 'utf8').trimEnd();
      const entry = `,\n  "sqlPlanAdvisor.connections": ${JSON.stringify([{ name: 'e2e-pg', url: server.url }])}\n}\n`;
      fs.writeFileSync(settingsFile, settings.replace(/\s*\}$/, entry));

      const row = wb.page.locator('.quick-input-list .monaco-list-row').filter({ hasText: 'e2e-pg (127.0.0.1)' });
      await waitFor(
        'the plan-source picker to offer e2e-pg',
        async () => {
          await wb.runCommand(PICK_COMMAND);
          const shown = await row.first().isVisible({ timeout: 3000 }).catch(() => false);
          if (!shown) await wb.page.keyboard.press('Escape');
          return shown;
        },
        (shown) => shown,
        30_000,
        500,
      );
      await row.first().click();
      const status = await waitFor('the status bar to show the connection', () => wb.page.locator('.statusbar').innerText(), (t) => t.includes('e2e-pg (127.0.0.1)'), 10_000);
      log(`status bar: ${status.split('\n').find((l) => l.includes('e2e-pg'))}`);

      await wb.openFile('queries/explain.sql');
      await wb.contextMenu(2, 10, 'Explain this query');
      const frame = await waitFor(
        'the plan panel to show a plan from PostgreSQL 15',
        async () => {
          for (const f of wb.page.frames()) {
            const text = await f.evaluate(() => document.body?.textContent ?? '').catch(() => '');
            if (/PostgreSQL 15\.\d+ at 127\.0\.0\.1:\d+\/shop/.test(text) && (text.includes('Seq Scan on users') || text.includes('Could not explain'))) return f;
          }
          return undefined;
        },
        (f) => f !== undefined,
        60_000,
        500,
      );
      const text = await frame!.evaluate(() => document.body.textContent ?? '');
      expect(!text.includes('Could not explain'), `the plan panel shows an error: ${text.slice(0, 300)}`);
      expect(/Plan from PostgreSQL 15\.\d+ at 127\.0\.0\.1:\d+\/shop\./.test(text), 'the notes say which server made the plan');
      // "EXPLAIN ANALYZE" here would mean a second explain ran (the mouse once hit the lens above the statement).
      expect(!text.includes('EXPLAIN ANALYZE'), `the panel shows a plain EXPLAIN, as asked: ${text.slice(0, 300)}`);
      expect(/reads all ~20,000 rows/.test(text), `the warning uses the server's row count (20,000 users): ${text.slice(0, 600)}`);
      // Index advice is verified on the server (HypoPG); wait for it so nothing still talks to the
      // server when the scenario switches back and stops it.
      const advice = await waitFor(
        'the index advice verified on the server',
        () => frame!.evaluate(() => document.querySelector('section.suggestions')?.textContent ?? ''),
        (t) => t.includes('users_lower_email_idx') || t.includes('No index advice'),
        60_000,
        500,
      );
      expect(advice.includes('users_lower_email_idx'), `HypoPG verified the expression index: ${advice.slice(0, 300)}`);
      await wb.screenshot('live-explain');

      await wb.runCommand(PICK_COMMAND);
      // Its description is unique to the picker item (the palette's command title also says "bundled engine").
      await wb.page.locator('.quick-input-list .monaco-list-row').filter({ hasText: 'PGlite, synthetic rows' }).first().click();
      await waitFor('the status bar to show the bundled engine', () => wb.page.locator('.statusbar').innerText(), (t) => t.includes('Bundled engine'), 10_000);
    } finally {
      await server.stop();
    }
  },
};
