/**
 * Properties of the selection model beyond the named scenarios: every database is ranked with
 * its CAP stance and guarantees, one changed answer re-ranks and is named as the tipping need,
 * replication quorums satisfy W + R > N when consistency is wanted, sharding appears only past
 * one machine, the ladder is climbed in order, and the decision record and page are sound.
 */
import assert from 'node:assert/strict';
import { adviseSelection } from '../../src/core/selection/advise';
import { DATABASES } from '../../src/core/selection/databases';
import { renderDecisionRecord } from '../../src/core/selection/markdown';
import { makeNonce, selectionPageHtml } from '../../src/core/selection/page';
import { DEFAULT_ANSWERS, QUESTIONS, normaliseAnswers } from '../../src/core/selection/questions';
import { chooseQuorum, recommendReplication } from '../../src/core/selection/replication';
import { recommendSharding } from '../../src/core/selection/sharding';
import { scalingLadder } from '../../src/core/selection/ladder';
import type { Answers } from '../../src/core/selection/types';

const base = (over: Partial<Answers> = {}): Answers => normaliseAnswers({ ...DEFAULT_ANSWERS, ...over });

/** Every combination of the single-choice answers would be 30k cases; a fixed stride covers them evenly. */
function sampleAnswers(): Answers[] {
  const out: Answers[] = [];
  const one = QUESTIONS.filter((q) => q.kind === 'one');
  const patterns = QUESTIONS.find((q) => q.id === 'patterns')!.choices.map((c) => c.value);
  for (let i = 0; i < 400; i++) {
    const a: Record<string, unknown> = {};
    let k = i * 7919;
    for (const q of one) {
      a[q.id] = q.choices[k % q.choices.length].value;
      k = Math.floor(k / q.choices.length) + i;
    }
    a.patterns = patterns.filter((_, j) => ((i >> j) & 1) === 1);
    out.push(normaliseAnswers(a));
  }
  return out;
}

describe('selection model: ranking invariants', () => {
  it('ranks at least the eleven databases the issue names, each with CAP and ACID/BASE', () => {
    const names = adviseSelection(base()).ranking.map((r) => r.name);
    for (const n of ['PostgreSQL', 'MySQL', 'MongoDB', 'Cassandra / ScyllaDB', 'Redis', 'DynamoDB', 'Elasticsearch', 'Neo4j', 'ClickHouse', 'TimescaleDB', 'CockroachDB / Spanner']) {
      assert.ok(names.includes(n), `${n} missing from ${names.join(', ')}`);
    }
    for (const r of adviseSelection(base()).ranking) {
      assert.match(r.cap, /^(CP|AP)$/);
      assert.match(r.guarantees, /^(ACID|BASE)$/);
      assert.ok(r.capNote.length > 20 && r.guaranteesNote.length > 10);
    }
  });
  it('over 400 sampled workloads: sorted, ranked 1..n, reasons signed, a tipping need whenever PostgreSQL loses', () => {
    for (const a of sampleAnswers()) {
      const adv = adviseSelection(a);
      adv.ranking.forEach((r, i) => {
        assert.equal(r.rank, i + 1);
        if (i > 0) assert.ok(adv.ranking[i - 1].score >= r.score);
        assert.ok(r.reasonsFor.every((c) => c.points > 0) && r.reasonsAgainst.every((c) => c.points < 0));
        assert.equal(r.score, 50 + [...r.reasonsFor, ...r.reasonsAgainst].reduce((s, c) => s + c.points, 0));
      });
      const pg = adv.ranking.find((r) => r.id === 'postgresql')!;
      if (adv.winner.id === 'postgresql') assert.deepEqual(adv.tippedBy, []);
      else {
        assert.ok(adv.winner.score > pg.score);
        assert.ok(adv.tippedBy.length > 0, JSON.stringify(a));
        assert.ok(adv.tippedBy.every((t) => t.delta > 0 && t.factor !== 'default' && t.factor !== 'fit'));
      }
      assert.ok(adv.verdict.length > 0);
    }
  });
  it('PostgreSQL wins the typical web application', () => {
    assert.equal(adviseSelection(base()).winner.id, 'postgresql');
  });
  it('is deterministic and ignores the order of ticked patterns', () => {
    const a = adviseSelection(base({ patterns: ['key-lookup', 'joins'] }));
    const b = adviseSelection(base({ patterns: ['joins', 'key-lookup'] }));
    assert.deepEqual(a.ranking.map((r) => [r.id, r.score]), b.ranking.map((r) => [r.id, r.score]));
  });
});

describe('selection model: one changed answer re-ranks and is named', () => {
  const flips: Array<[string, Partial<Answers>, Partial<Answers>, string, string]> = [
    ['latency', { dataShape: 'key-value', patterns: ['key-lookup'], transactions: 'none', partition: 'refuse' }, { latency: 'sub-ms' }, 'redis', 'sub-millisecond latency'],
    ['graph traversal', { dataShape: 'graph' }, { patterns: ['graph-traversal'] }, 'neo4j', 'graph traversal'],
    ['full-text', { transactions: 'none', patterns: ['aggregations'], dataSize: 'large' }, { patterns: ['aggregations', 'full-text'] }, 'elasticsearch', 'full-text search'],
    ['regions', { transactions: 'multi-record', dataSize: 'large' }, { distribution: 'multi-region-writes' }, 'cockroachdb', 'writes in several regions'],
  ];
  for (const [name, start, change, winner, need] of flips) {
    it(`${name}: PostgreSQL → ${winner}`, () => {
      const before = adviseSelection(base(start));
      assert.equal(before.winner.id, 'postgresql', before.ranking.map((r) => `${r.id}=${r.score}`).join(' '));
      const after = adviseSelection(base({ ...start, ...change }));
      assert.equal(after.winner.id, winner, after.ranking.map((r) => `${r.id}=${r.score}`).join(' '));
      assert.ok(after.tippedBy.some((t) => t.need === need), after.tippedBy.map((t) => t.need).join('; '));
      assert.ok(after.verdict.includes(need), after.verdict);
    });
  }
});

describe('selection model: replication', () => {
  it('leaderless quorums overlap (W + R > N) whenever the team refuses stale data', () => {
    for (const a of sampleAnswers().filter((x) => x.partition === 'refuse')) {
      const q = chooseQuorum(a);
      assert.ok(q.w + q.r > q.n, JSON.stringify(q));
    }
  });
  it('says plainly when availability-first quorums give up the overlap', () => {
    const r = recommendReplication(base({ partition: 'serve-stale', readWriteMix: 'write-heavy' }), 'cassandra');
    assert.equal(r.mode, 'leaderless');
    assert.deepEqual(r.quorum, { n: 3, w: 1, r: 1 });
    assert.ok(r.details.some((d) => d.includes('W + R = 2 ≤ N = 3')));
  });
  it('a ledger on PostgreSQL gets a synchronous standby with the settings to write down', () => {
    const r = recommendReplication(base({ transactions: 'multi-record' }), 'postgresql');
    assert.equal(r.mode, 'leader-follower-sync');
    assert.ok(r.details.some((d) => d.includes("synchronous_standby_names = 'ANY 1")));
  });
  it('a cache gets asynchronous leader-follower replication', () => {
    assert.equal(recommendReplication(base({ transactions: 'none', partition: 'serve-stale' }), 'redis').mode, 'leader-follower-async');
  });
  it('multi-region writes on a single-leader database get multi-leader with a conflict warning', () => {
    const r = recommendReplication(base({ distribution: 'multi-region-writes', transactions: 'single-record' }), 'mongodb');
    assert.equal(r.mode, 'multi-leader');
    assert.ok(r.details.some((d) => /conflict/i.test(d)));
  });
  it('distributed SQL uses consensus with 5 replicas across regions', () => {
    const r = recommendReplication(base({ distribution: 'multi-region-writes' }), 'cockroachdb');
    assert.equal(r.mode, 'consensus');
    assert.match(r.summary, /^5 replicas per range; a write commits on a majority \(3 of 5\)/);
  });
});

describe('selection model: sharding and the scaling ladder', () => {
  it('no sharding while one machine suffices', () => {
    const s = recommendSharding(base({ dataSize: 'large', writeRate: 'high' }), 'postgresql');
    assert.equal(s.needed, false);
    assert.equal(s.strategy, 'none');
  });
  it('relational data beyond one machine: hash by the tenant key the workspace suggests, with the costs named', () => {
    const s = recommendSharding(base({ dataSize: 'huge' }), 'postgresql', 'tenant_id');
    assert.equal(s.strategy, 'hash');
    assert.equal(s.shardKey, 'tenant_id');
    assert.ok(s.expensiveQueries.some((q) => q.includes('Lookups by anything other than tenant_id')));
    assert.ok(s.details.some((d) => d.includes('Citus')));
  });
  it('time series are hash-sharded by source plus a time bucket, never by time alone', () => {
    const s = recommendSharding(base({ dataShape: 'wide-time-ordered', writeRate: 'very-high' }), 'cassandra');
    assert.equal(s.strategy, 'hash');
    assert.match(s.summary, /never range-shard by time alone/);
  });
  it('key-value data uses consistent hashing; multi-region relational data a directory', () => {
    assert.equal(recommendSharding(base({ dataShape: 'key-value', dataSize: 'huge' }), 'dynamodb').strategy, 'consistent-hashing');
    assert.equal(recommendSharding(base({ distribution: 'multi-region-writes', dataSize: 'huge' }), 'cockroachdb').strategy, 'directory');
  });
  it('the ladder starts at indexes and climbs only as far as needed', () => {
    const small = scalingLadder(base());
    assert.equal(small.reached, 'indexes');
    assert.deepEqual(small.steps.map((s) => s.status), ['now', 'later', 'later', 'later', 'later']);
    const reads = scalingLadder(base({ readWriteMix: 'read-heavy', writeRate: 'medium' }));
    assert.equal(reads.reached, 'cache');
    const huge = scalingLadder(base({ dataSize: 'huge' }));
    assert.equal(huge.reached, 'shard');
    assert.equal(huge.steps.find((s) => s.id === 'bigger-machine')!.status, 'now');
    const growing = scalingLadder(base({ growth: 'fast' }));
    assert.equal(growing.steps.find((s) => s.id === 'read-replicas')!.status, 'next');
  });
});

describe('selection: answers from untrusted state', () => {
  it('unknown fields and values fall back to the defaults', () => {
    const a = normaliseAnswers({ dataShape: 'spreadsheet', latency: 'sub-ms', patterns: ['joins', 'telepathy', 42], extra: '<script>' });
    assert.equal(a.dataShape, DEFAULT_ANSWERS.dataShape);
    assert.equal(a.latency, 'sub-ms');
    assert.deepEqual(a.patterns, ['joins']);
    assert.ok(!('extra' in a));
    assert.deepEqual(normaliseAnswers(null), normaliseAnswers(DEFAULT_ANSWERS));
    assert.deepEqual(normaliseAnswers('junk'), normaliseAnswers(DEFAULT_ANSWERS));
  });
  it('the model never sees an invalid answer even when called with one', () => {
    const adv = adviseSelection({ ...DEFAULT_ANSWERS, writeRate: 'ludicrous' } as unknown as Answers);
    assert.equal(adv.winner.id, 'postgresql');
  });
});

describe('selection: decision record', () => {
  const answers = base({ dataShape: 'key-value', latency: 'sub-ms', transactions: 'none', partition: 'serve-stale', patterns: ['key-lookup'] });
  const advice = adviseSelection(answers);
  const md = renderDecisionRecord({
    answers,
    advice,
    signals: [{ id: 'x', text: 'key-value table `sessions` (sid, data | meta)' }],
    date: '2026-11-25',
    fromWorkspace: new Set(['dataShape']),
  });
  it('is an ADR with context, decision, alternatives, replication, sharding and ladder', () => {
    assert.match(md, /^# Database selection: Redis\n/);
    for (const h of ['## Context', '## Decision', '## Alternatives considered', '## Replication: ', '## Sharding: not needed', '## Scaling ladder', '## Consequences']) assert.ok(md.includes(h), h);
    assert.ok(md.includes('- Date: 2026-11-25'));
    assert.ok(md.includes('Use **Redis**'));
    assert.ok(md.includes('What tipped it away from PostgreSQL: sub-millisecond latency'));
    assert.ok(md.includes('- Under partition: **AP**.'));
  });
  it('marks answers from the workspace and lists every database in the alternatives table', () => {
    assert.ok(md.includes('| Data shape | Key-value (get/put by key) _(from workspace)_ |'));
    assert.equal(md.split('\n').filter((l) => /^\| \d+ \| /.test(l)).length, DATABASES.length);
  });
  it('escapes table cells but keeps list text readable', () => {
    assert.ok(md.includes('- key-value table `sessions` (sid, data | meta)'));
    assert.ok(!/\| [^|\n]*data \| meta/.test(md.split('## Decision')[1]));
  });
});

describe('selection: webview page shell', () => {
  it('has a strict CSP: nothing by default, scripts only by nonce, styles only from the extension', () => {
    const nonce = makeNonce();
    const html = selectionPageHtml({ cspSource: 'vscode-webview://abc', nonce, scriptUri: 'vscode-webview://abc/selection.js', styleUri: 'vscode-webview://abc/selection.css' });
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)![1];
    assert.match(csp, /default-src 'none'/);
    assert.ok(csp.includes(`script-src 'nonce-${nonce}'`));
    assert.match(csp, /style-src vscode-webview:\/\/abc(;|$)/);
    assert.ok(!/unsafe-inline|unsafe-eval|https?:/.test(csp));
    assert.equal((html.match(/<script /g) ?? []).length, 1);
    assert.ok(html.includes(`<script nonce="${nonce}" src="vscode-webview://abc/selection.js">`));
  });
  it('nonces are fresh and attribute values are escaped', () => {
    assert.notEqual(makeNonce(), makeNonce());
    const html = selectionPageHtml({ cspSource: 'x', nonce: 'n', scriptUri: '"><script>alert(1)</script>', styleUri: 's' });
    assert.ok(!html.includes('"><script>alert(1)'));
  });
});
