/**
 * Scenario 4: right-click a query → "Explain this query" → the plan webview draws the plan whose
 * root is a Seq Scan on users (no expression index on lower(email) in the fixture schema).
 * Selectors follow webview/plan/main.ts.
 */
import type { Frame } from 'playwright-core';
import { expect, waitFor } from '../poll';
import type { Scenario } from '../scenario';

/** The plan tree's first node card is the root; its heading reads e.g. "Seq Scan on users". */
const ROOT_NODE_TYPE = '.tree .node .node-type';
/** The panel's error state ("Could not explain this statement"). */
const ERROR_MESSAGE = '.error .error-message';

async function readRoot(frame: Frame): Promise<string> {
  return frame.evaluate((sel) => (document.querySelector(sel)?.textContent ?? '').trim(), ROOT_NODE_TYPE);
}

export const explain: Scenario = {
  id: 'explain-plan',
  title: 'right-click → "Explain this query" → the plan webview shows the expected root node',
  async run({ wb, log }) {
    await wb.openFile('queries/explain.sql');
    await wb.contextMenu(2, 10, 'Explain this query');
    // First explain starts the engine (PGlite) and fills synthetic rows: allow for it.
    const frame = await wb.waitForWebview('the plan webview to draw a plan', `${ROOT_NODE_TYPE}, ${ERROR_MESSAGE}`, 90_000);
    const error = await frame.evaluate((sel) => document.querySelector(sel)?.textContent ?? '', ERROR_MESSAGE);
    expect(!error, `the plan webview shows "Could not explain this statement": ${error}`);
    const root = await waitFor('the root plan node to be drawn', () => readRoot(frame), (r) => r !== '', 10_000);
    expect(root === 'Seq Scan on users', `root plan node: expected "Seq Scan on users", saw "${root}"`);
    const summary = await frame.evaluate(() => document.querySelector('.summary')?.textContent ?? '');
    log(`plan root: ${root}; summary: ${summary}`);
    await wb.screenshot('explain-plan');
  },
};
