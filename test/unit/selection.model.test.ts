/**
 * The decision model over realistic workloads: each scenario states the answers a team would
 * give, the database a senior engineer would pick, and the reasons the model must cite.
 */
import assert from 'node:assert/strict';
import { adviseSelection } from '../../src/core/selection/advise';
import { DEFAULT_ANSWERS, normaliseAnswers } from '../../src/core/selection/questions';
import type { Answers, DatabaseId, SelectionAdvice } from '../../src/core/selection/types';

interface Scenario {
  name: string;
  answers: Partial<Answers>;
  winner: DatabaseId;
  /** Substrings that must appear among the winner's reasons for (case-insensitive). */
  cites: string[];
  /** Substrings that must appear in the tipping needs (non-PostgreSQL winners). */
  tippedBy?: string[];
  /** Substrings one of the winner's pairings must contain. */
  pairsWith?: string;
  replication?: SelectionAdvice['replication']['mode'];
  sharding?: SelectionAdvice['sharding']['strategy'];
}

const SCENARIOS: Scenario[] = [
  {
    name: 'bank ledger',
    answers: { dataShape: 'relational', transactions: 'multi-record', readWriteMix: 'balanced', writeRate: 'medium', latency: 'interactive', dataSize: 'large', patterns: ['joins', 'aggregations', 'key-lookup'], distribution: 'single-region', partition: 'refuse' },
    winner: 'postgresql',
    cites: ['multi-row acid', 'refuses writes rather than diverge'],
    replication: 'leader-follower-sync',
    sharding: 'none',
  },
  {
    name: 'shopping cart',
    answers: { dataShape: 'key-value', transactions: 'single-record', readWriteMix: 'balanced', writeRate: 'high', latency: 'interactive', dataSize: 'large', growth: 'fast', patterns: ['key-lookup'], distribution: 'multi-region-writes', partition: 'serve-stale' },
    winner: 'dynamodb',
    cites: ['key-value', 'always-available writes'],
    tippedBy: ['key-value access', 'staying available'],
    pairsWith: 'PostgreSQL',
    replication: 'leaderless',
  },
  {
    name: 'social feed',
    answers: { dataShape: 'wide-time-ordered', transactions: 'none', readWriteMix: 'write-heavy', writeRate: 'very-high', latency: 'interactive', dataSize: 'huge', growth: 'fast', patterns: ['key-lookup', 'time-range'], distribution: 'multi-region-reads', partition: 'serve-stale' },
    winner: 'cassandra',
    cites: ['clustering key (time)', 'scale linearly'],
    tippedBy: ['write rate over 100,000'],
    replication: 'leaderless',
    sharding: 'hash',
  },
  {
    name: 'IoT metrics',
    answers: { dataShape: 'wide-time-ordered', transactions: 'none', readWriteMix: 'write-heavy', writeRate: 'high', latency: 'relaxed', dataSize: 'large', patterns: ['time-range', 'aggregations', 'joins'], distribution: 'single-region', partition: 'refuse' },
    winner: 'timescaledb',
    cites: ['hypertables', 'continuous aggregates'],
    tippedBy: ['time-range'],
    pairsWith: 'PostgreSQL',
  },
  {
    name: 'product search',
    answers: { dataShape: 'documents', transactions: 'none', readWriteMix: 'read-heavy', writeRate: 'low', latency: 'interactive', dataSize: 'large', patterns: ['full-text', 'aggregations'], distribution: 'single-region', partition: 'serve-stale' },
    winner: 'elasticsearch',
    cites: ['bm25', 'facets'],
    tippedBy: ['full-text search'],
    pairsWith: 'PostgreSQL as the source of truth',
  },
  {
    name: 'recommendations graph',
    answers: { dataShape: 'graph', transactions: 'single-record', readWriteMix: 'read-heavy', writeRate: 'medium', latency: 'interactive', dataSize: 'large', patterns: ['graph-traversal', 'key-lookup'], distribution: 'single-region', partition: 'refuse' },
    winner: 'neo4j',
    cites: ['multi-hop traversals', 'index-free adjacency'],
    tippedBy: ['graph traversal'],
  },
  {
    name: 'session store',
    answers: { dataShape: 'key-value', transactions: 'none', readWriteMix: 'read-heavy', writeRate: 'medium', latency: 'sub-ms', dataSize: 'small', patterns: ['key-lookup'], distribution: 'single-region', partition: 'serve-stale' },
    winner: 'redis',
    cites: ['sub-millisecond', 'o(1) lookups'],
    tippedBy: ['sub-millisecond'],
    pairsWith: 'PostgreSQL as the durable source of truth',
    replication: 'leader-follower-async',
  },
  {
    name: 'analytics dashboard',
    answers: { dataShape: 'wide-time-ordered', transactions: 'none', readWriteMix: 'read-heavy', writeRate: 'high', latency: 'relaxed', dataSize: 'huge', patterns: ['aggregations', 'time-range'], distribution: 'single-region', partition: 'serve-stale' },
    winner: 'clickhouse',
    cites: ['columnar', 'billions of rows'],
    tippedBy: ['large aggregations'],
  },
  {
    name: 'multi-region SaaS',
    answers: { dataShape: 'relational', transactions: 'multi-record', readWriteMix: 'balanced', writeRate: 'medium', latency: 'interactive', dataSize: 'large', growth: 'fast', patterns: ['joins', 'key-lookup'], distribution: 'multi-region-writes', partition: 'refuse' },
    winner: 'cockroachdb',
    cites: ['every region writes', 'serializable acid'],
    tippedBy: ['writes in several regions'],
    replication: 'consensus',
  },
  {
    name: 'leaderboard',
    answers: { dataShape: 'key-value', transactions: 'single-record', readWriteMix: 'write-heavy', writeRate: 'high', latency: 'sub-ms', dataSize: 'small', patterns: ['key-lookup'], distribution: 'single-region', partition: 'serve-stale' },
    winner: 'redis',
    cites: ['sorted sets', 'sub-millisecond'],
    tippedBy: ['sub-millisecond'],
  },
  {
    name: 'content CMS',
    answers: { dataShape: 'documents', transactions: 'single-record', readWriteMix: 'read-heavy', writeRate: 'low', latency: 'interactive', dataSize: 'small', patterns: ['joins', 'full-text', 'key-lookup'], distribution: 'multi-region-reads', partition: 'refuse' },
    winner: 'postgresql',
    cites: ['jsonb', 'full-text search'],
  },
  {
    name: 'event log',
    answers: { dataShape: 'wide-time-ordered', transactions: 'none', readWriteMix: 'write-heavy', writeRate: 'very-high', latency: 'relaxed', dataSize: 'huge', growth: 'fast', patterns: ['time-range', 'key-lookup'], distribution: 'single-region', partition: 'serve-stale' },
    winner: 'cassandra',
    cites: ['log-structured writes', 'add nodes'],
    tippedBy: ['write rate over 100,000', 'data beyond one machine'],
    replication: 'leaderless',
    sharding: 'hash',
  },
  {
    name: 'user-profile documents at scale',
    answers: { dataShape: 'documents', transactions: 'single-record', readWriteMix: 'balanced', writeRate: 'high', latency: 'interactive', dataSize: 'huge', growth: 'fast', patterns: ['key-lookup'], distribution: 'single-region', partition: 'refuse' },
    winner: 'mongodb',
    cites: ['varying fields', 'built-in sharding'],
    tippedBy: ['documents with varying fields'],
  },
  {
    name: 'order management (typical web app)',
    answers: { ...DEFAULT_ANSWERS, transactions: 'multi-record' },
    winner: 'postgresql',
    cites: ['multi-row acid', 'joins'],
    replication: 'leader-follower-sync',
  },
];

function lower(xs: string[]): string {
  return xs.join(' | ').toLowerCase();
}

describe('selection model: scenarios', () => {
  for (const s of SCENARIOS) {
    it(`${s.name} → ${s.winner}`, () => {
      const advice = adviseSelection(normaliseAnswers(s.answers));
      const table = advice.ranking.map((r) => `${r.id}=${r.score}`).join(', ');
      assert.equal(advice.winner.id, s.winner, `ranking: ${table}`);
      const reasons = lower(advice.winner.reasonsFor.map((c) => c.text));
      for (const c of s.cites) assert.ok(reasons.includes(c.toLowerCase()), `"${c}" not cited in: ${reasons}`);
      if (s.winner === 'postgresql') assert.deepEqual(advice.tippedBy, []);
      else assert.ok(advice.tippedBy.length > 0, 'a non-default winner must name what tipped it');
      const needs = lower(advice.tippedBy.map((t) => t.need));
      for (const t of s.tippedBy ?? []) assert.ok(needs.includes(t.toLowerCase()), `"${t}" not among tipping needs: ${needs}`);
      if (s.pairsWith) assert.ok(advice.winner.pairWith.some((p) => p.includes(s.pairsWith!)), `pairings: ${advice.winner.pairWith.join('; ')}`);
      if (s.replication) assert.equal(advice.replication.mode, s.replication);
      if (s.sharding) assert.equal(advice.sharding.strategy, s.sharding);
      assert.ok(advice.verdict.includes(advice.winner.name), advice.verdict);
    });
  }
});
