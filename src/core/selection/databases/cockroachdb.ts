/** CockroachDB / Google Spanner: distributed SQL with consensus replication. */
import type { Answers, DatabaseModel } from '../types';
import { Reasons, uses } from './reasons';

export const cockroachdb: DatabaseModel = {
  profile: {
    id: 'cockroachdb',
    name: 'CockroachDB / Spanner',
    summary: 'Distributed SQL: data split into ranges, each replicated by Raft (Spanner: Paxos + TrueTime).',
    cap: 'CP',
    capNote: 'A range that loses its quorum becomes unavailable rather than diverge; the majority side keeps serving.',
    guarantees: 'ACID',
    guaranteesNote: 'Serializable distributed transactions (Spanner: external consistency).',
    sourceOfTruth: true,
  },
  assess(a: Answers) {
    const r = new Reasons();
    if (a.dataShape === 'relational') r.add('dataShape', 15, 'Relational SQL with a PostgreSQL-compatible wire protocol.');
    if (a.dataShape === 'graph') r.add('dataShape', -10, 'Graphs fit only as edge tables.');
    if (a.transactions === 'multi-record') r.add('transactions', 20, 'Serializable ACID transactions across shards and regions.');
    else if (a.transactions === 'single-record') r.add('transactions', 5, 'Atomic row updates.');
    if (a.distribution === 'multi-region-writes') r.add('distribution', 35, 'Every region writes locally-homed rows, and consensus keeps one truth: no conflict resolution.');
    if (a.distribution === 'multi-region-reads') r.add('distribution', 10, 'Follower reads serve nearby, slightly stale data.');
    if (a.writeRate === 'low' && a.distribution === 'single-region') r.add('writeRate', -10, 'A three-node consensus cluster is overhead at this write rate.');
    if (a.writeRate === 'high') r.add('writeRate', 10, 'Writes spread over ranges on many nodes.');
    if (a.writeRate === 'very-high') r.add('writeRate', 15, 'Write throughput grows by adding nodes; ranges split automatically.');
    if (a.dataSize === 'huge') r.add('dataSize', 15, 'Automatic range sharding and rebalancing.');
    if (a.dataSize === 'large') r.add('dataSize', 5, 'Grows past one machine without re-architecture.');
    if (a.dataSize === 'small' && a.distribution === 'single-region') r.add('dataSize', -10, 'At this size single-node PostgreSQL is simpler and 2–10x faster per write.');
    if (a.growth === 'fast') r.add('growth', 5, 'Scales out without a later migration.');
    if (a.latency === 'sub-ms') r.add('latency', -20, 'Every write waits for a quorum round trip.');
    if (a.latency === 'interactive') r.add('latency', -5, 'Consensus writes cost a quorum round trip (tens of ms across regions).');
    if (uses(a, 'joins')) r.add('pattern:joins', 5, 'SQL joins work; joins across ranges on many nodes cost network hops.');
    if (uses(a, 'aggregations')) r.add('pattern:aggregations', -5, 'Distributed aggregation works, but it is an OLTP engine.');
    if (uses(a, 'full-text')) r.add('pattern:full-text', -10, 'Full-text search is limited.');
    if (uses(a, 'graph-traversal')) r.add('pattern:graph-traversal', -10, 'Recursive CTEs hop across nodes.');
    if (uses(a, 'time-range')) r.add('pattern:time-range', -5, 'Sequential timestamp keys make one hot range; hash-shard them.');
    if (a.partition === 'refuse') r.add('partition', 15, 'CP by design: no split brain, no lost writes.');
    else r.add('partition', -10, 'The minority side stops serving consistent reads and all writes.');
    return r.list;
  },
  pairWith(a: Answers) {
    const out: string[] = [];
    if (uses(a, 'full-text')) out.push('Elasticsearch for search, fed by changefeeds');
    if (uses(a, 'aggregations')) out.push('ClickHouse or BigQuery for analytics, fed by changefeeds');
    if (a.latency === 'sub-ms') out.push('a regional Redis cache');
    return out;
  },
};
