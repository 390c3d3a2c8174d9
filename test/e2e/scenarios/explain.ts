/**
 * Scenario 4: right-click a query → "Explain this query" → the plan webview draws the plan as a
 * graph whose root is a Seq Scan on users (no expression index on lower(email) in the fixture
 * schema); switching the metric re-colours it; "Compare with this index" on the suggested
 * index shows the before/after comparison. Selectors follow webview/plan/*.ts.
 */
import type { Frame } from 'playwright-core';
import { expect, waitFor } from '../poll';
import type { Scenario } from '../scenario';

/** The graph's root node (pre-order id 0); its <title> holds the full label. */
export const ROOT_NODE = 'svg.plan-graph g.node[data-id="0"]';
/** The panel's error state ("Could not explain this statement"). */
export const ERROR_MESSAGE = '.error .error-message';

export async function readRoot(frame: Frame): Promise<string> {
  return frame.evaluate((sel) => (document.querySelector(`${sel} > title`)?.textContent ?? '').trim(), ROOT_NODE);
}

export const explain: Scenario = {
  id: 'explain-plan',
  title: 'right-click → "Explain this query" → the plan graph, a metric switch, compare with the suggested index',
  async run({ wb, log }) {
    await wb.openFile('queries/explain.sql');
    await wb.contextMenu(2, 10, 'Explain this query');
    // First explain starts the engine (PGlite) and fills synthetic rows: allow for it.
    const frame = await wb.waitForWebview('the plan webview to draw a plan', `${ROOT_NODE}, ${ERROR_MESSAGE}`, 90_000);
    const error = await frame.evaluate((sel) => document.querySelector(sel)?.textContent ?? '', ERROR_MESSAGE);
    expect(!error, `the plan webview shows "Could not explain this statement": ${error}`);
    const root = await waitFor('the root plan node to be drawn', () => readRoot(frame), (r) => r !== '', 10_000);
    expect(root === 'Seq Scan on users', `root plan node: expected "Seq Scan on users", saw "${root}"`);
    const costliest = await frame.evaluate(() => document.querySelectorAll('svg.plan-graph g.node.costliest').length);
    expect(costliest === 1, `expected one node marked costliest, saw ${costliest}`);
    await wb.screenshot('explain-plan');

    // Metric switch: Rows re-captions every node without redrawing the graph.
    await frame.selectOption('.graph-toolbar select', 'rows');
    const caption = await waitFor(
      'the root caption to show rows',
      () => frame.evaluate((sel) => document.querySelector(`${sel} .metric-text`)?.textContent ?? '', ROOT_NODE),
      (c) => /rows out$/.test(c),
      5_000,
    );
    log(`plan root: ${root}; caption after metric switch: ${caption}`);

    // Compare with the suggested (expression) index: verified by re-planning in the engine.
    const compare = await waitFor(
      'a suggested index with "Compare with this index"',
      () => frame.evaluate(() => Array.from(document.querySelectorAll('.suggestion button')).filter((b) => b.textContent === 'Compare with this index').length),
      (n) => n > 0,
      90_000,
    );
    expect(compare > 0, 'no suggested index to compare');
    await frame.click('.suggestion button:text-is("Compare with this index")');
    const summary = await waitFor(
      'the compare view',
      () => frame.evaluate(() => document.querySelector('.compare-tab .compare-summary')?.textContent ?? ''),
      (s) => s !== '',
      60_000,
    );
    expect(/^Cost [\d,.]+ → [\d,.]+ \(−/.test(summary), `compare summary should show a lower cost: ${summary}`);
    const changed = await frame.evaluate(() => document.querySelectorAll('.compare-side g.change-changed').length);
    expect(changed >= 1, 'the compare view marks the scan that changed');
    log(`compare: ${summary}`);
    await wb.screenshot('explain-compare');
  },
};
