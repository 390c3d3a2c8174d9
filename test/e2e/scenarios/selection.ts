/**
 * Scenario 5: the database-selection view opens from the activity bar with PostgreSQL on top for
 * the relational fixture workspace; changing answers towards a graph workload re-ranks at once.
 * Selectors are the ones webview/selection/main.ts documents (ids `q-<question>`, ranking items
 * `li[data-testid="ranking"][data-db][data-rank]`, `#winner[data-db]`).
 */
import type { Frame } from 'playwright-core';
import { expect, waitFor } from '../poll';
import type { Scenario } from '../scenario';
import { showAdvisorSidebar } from './sidebar';

interface Ranking {
  winner: string;
  order: string[];
}

async function readRanking(frame: Frame): Promise<Ranking> {
  return frame.evaluate(() => ({
    winner: document.querySelector('#winner')?.getAttribute('data-db') ?? '',
    order: Array.from(document.querySelectorAll('li[data-testid="ranking"]'))
      .sort((a, b) => Number(a.getAttribute('data-rank')) - Number(b.getAttribute('data-rank')))
      .map((li) => li.getAttribute('data-db') ?? ''),
  }));
}

export const selection: Scenario = {
  id: 'selection-advisor',
  title: 'the sidebar advisor opens, an answer changes, the ranking updates',
  async run({ wb, log }) {
    await showAdvisorSidebar(wb);
    const frame = await wb.waitForWebview('the Database selection view to render its ranking', 'li[data-testid="ranking"]', 45_000);
    const before = await waitFor(
      'PostgreSQL to lead the ranking for the relational fixture workspace',
      () => readRanking(frame),
      (r) => r.winner === 'postgresql' && r.order[0] === 'postgresql' && r.order.length >= 11,
      20_000,
    );
    // Workspace signals come from the fixture's schema (two tables linked by a foreign key).
    const signals = await waitFor(
      'workspace signals to be listed',
      () => frame.$$eval('[data-testid="signal"]', (els) => els.map((e) => e.textContent ?? '')),
      (s) => s.length > 0,
      20_000,
    );
    log(`ranking: ${before.order.slice(0, 4).join(' > ')}…; signals: ${signals.join(' | ')}`);
    await wb.screenshot('selection-initial');

    await frame.selectOption('#q-dataShape', 'graph');
    const afterShape = await waitFor(
      'Neo4j to move up after choosing graph-shaped data',
      () => readRanking(frame),
      (r) => r.order.indexOf('neo4j') < before.order.indexOf('neo4j'),
      10_000,
    );
    await frame.check('#q-patterns-graph-traversal');
    const afterTraversal = await waitFor(
      'Neo4j to lead once graph traversal is a query pattern',
      () => readRanking(frame),
      (r) => r.winner === 'neo4j' && r.order[0] === 'neo4j',
      10_000,
    );
    expect(afterTraversal.order.includes('postgresql'), 'PostgreSQL should still be ranked');
    log(`after graph answers: ${afterShape.order.slice(0, 3).join(' > ')} then ${afterTraversal.order.slice(0, 3).join(' > ')}`);
    await wb.screenshot('selection-graph');
  },
};
