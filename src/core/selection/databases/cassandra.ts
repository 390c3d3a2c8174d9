/** Apache Cassandra / ScyllaDB: leaderless wide-column store for write-heavy data at scale. */
import type { Answers, DatabaseModel } from '../types';
import { Reasons, uses } from './reasons';

export const cassandra: DatabaseModel = {
  profile: {
    id: 'cassandra',
    name: 'Cassandra / ScyllaDB',
    summary: 'Leaderless wide-column store on a consistent-hashing ring; writes are log-structured appends.',
    cap: 'AP',
    capNote: 'Leaderless: any replica keeps accepting reads and writes during a partition; consistency is tunable per query (ONE, QUORUM, ALL).',
    guarantees: 'BASE',
    guaranteesNote: 'Eventually consistent; lightweight transactions give compare-and-set on one partition only.',
    sourceOfTruth: true,
  },
  assess(a: Answers) {
    const r = new Reasons();
    if (a.dataShape === 'wide-time-ordered') r.add('dataShape', 25, 'Wide partitions sorted by a clustering key (time) are its native model.');
    if (a.dataShape === 'key-value') r.add('dataShape', 10, 'Partition-key reads and writes are its core operation.');
    if (a.dataShape === 'relational') r.add('dataShape', -15, 'No joins or foreign keys: denormalise one table per query.');
    if (a.dataShape === 'documents') r.add('dataShape', -5, 'Varying fields need maps or a fixed superset of columns.');
    if (a.dataShape === 'graph') r.add('dataShape', -20, 'No graph model.');
    if (a.transactions === 'multi-record') r.add('transactions', -40, 'No multi-row ACID transactions: not for money, orders or inventory.');
    if (a.transactions === 'single-record') r.add('transactions', -5, 'Compare-and-set needs lightweight transactions (Paxos), several times slower.');
    if (a.writeRate === 'very-high') r.add('writeRate', 25, 'Log-structured writes scale linearly by adding nodes; hundreds of thousands of writes/s are routine.');
    if (a.writeRate === 'high') r.add('writeRate', 15, 'Sustains high write rates on a small cluster.');
    if (a.writeRate === 'low') r.add('writeRate', -10, 'A cluster of at least three nodes is heavy machinery for this write rate.');
    if (a.readWriteMix === 'write-heavy') r.add('readWriteMix', 10, 'Optimised for writes: an append to the commit log and a memtable.');
    if (a.dataSize === 'huge') r.add('dataSize', 15, 'Data spreads over the ring; add nodes to grow.');
    if (a.dataSize === 'large') r.add('dataSize', 5, 'Scales out when needed.');
    if (a.dataSize === 'small') r.add('dataSize', -10, 'At this size the operational cost is not justified.');
    if (a.growth === 'fast') r.add('growth', 5, 'New nodes take a share of the ring without re-sharding.');
    if (a.latency === 'interactive') r.add('latency', 5, 'Predictable single-digit-millisecond partition reads.');
    if (a.latency === 'sub-ms') r.add('latency', -10, 'Disk-based and quorum reads: not sub-millisecond.');
    if (uses(a, 'joins')) r.add('pattern:joins', -20, 'No joins: every query pattern needs its own denormalised table.');
    if (uses(a, 'aggregations')) r.add('pattern:aggregations', -15, 'No aggregations beyond one partition; pair it with Spark or ClickHouse.');
    if (uses(a, 'full-text')) r.add('pattern:full-text', -10, 'No real full-text search.');
    if (uses(a, 'graph-traversal')) r.add('pattern:graph-traversal', -20, 'No traversals.');
    if (uses(a, 'time-range')) r.add('pattern:time-range', 10, 'Time-range slices within a partition are sequential reads.');
    if (uses(a, 'key-lookup')) r.add('pattern:key-lookup', 10, 'Partition-key lookups stay fast at any scale.');
    if (a.distribution === 'multi-region-writes') r.add('distribution', 20, 'Multi-datacenter replication with every node writable (LOCAL_QUORUM per region).');
    if (a.distribution === 'multi-region-reads') r.add('distribution', 10, 'Replicas in every datacenter serve local reads.');
    if (a.partition === 'serve-stale') r.add('partition', 15, 'Leaderless: every replica keeps serving during a partition (AP).');
    else r.add('partition', -15, 'AP by design; QUORUM reads and writes give read-your-writes, not linearizability.');
    return r.list;
  },
  pairWith(a: Answers) {
    const out: string[] = [];
    if (a.transactions !== 'none') out.push('PostgreSQL for the transactional core (accounts, billing)');
    if (uses(a, 'aggregations')) out.push('ClickHouse or Spark for analytics over the event stream');
    if (uses(a, 'full-text')) out.push('Elasticsearch for search');
    return out;
  },
};
