/** Redis: in-memory data structures; the answer to sub-millisecond needs. */
import type { Answers, DatabaseModel } from '../types';
import { Reasons, uses } from './reasons';

export const redis: DatabaseModel = {
  profile: {
    id: 'redis',
    name: 'Redis',
    summary: 'In-memory data-structure server: strings, hashes, sorted sets, streams; optional persistence.',
    cap: 'AP',
    capNote: 'Asynchronous replication: during a partition the old primary keeps accepting writes that are lost when a replica is promoted.',
    guarantees: 'BASE',
    guaranteesNote: 'Single commands are atomic; MULTI/EXEC batches without rollback; durability depends on AOF fsync.',
    sourceOfTruth: false,
  },
  assess(a: Answers) {
    const r = new Reasons();
    if (a.latency !== 'sub-ms' && (a.writeRate === 'low' || a.writeRate === 'medium')) {
      r.add('fit', -25, 'Without a sub-millisecond or very high-rate need, an in-memory store is a second system for little gain; PostgreSQL serves key lookups in about a millisecond.');
    }
    if (a.dataShape === 'key-value') r.add('dataShape', 25, 'In-memory data structures (hashes, sorted sets, counters) make key-value work trivial.');
    else if (a.dataShape === 'relational') r.add('dataShape', -15, 'No relations, no ad-hoc queries: only access by key.');
    else if (a.dataShape === 'graph') r.add('dataShape', -15, 'No graph model.');
    else r.add('dataShape', -10, 'Only access by key: this shape needs secondary queries it cannot answer.');
    if (a.latency === 'sub-ms') r.add('latency', 35, 'Everything is in memory: sub-millisecond reads and writes.');
    if (a.latency === 'interactive') r.add('latency', 5, 'Far faster than needed.');
    if (a.transactions === 'multi-record') r.add('transactions', -40, 'No rollback and asynchronous replication that can lose acknowledged writes: never the ledger.');
    if (a.transactions === 'single-record') r.add('transactions', 5, 'Single commands (INCR, ZADD, SET NX) are atomic.');
    if (a.dataSize === 'small') r.add('dataSize', 5, 'Fits in RAM.');
    if (a.dataSize === 'large') r.add('dataSize', -25, 'Everything lives in RAM: hundreds of GB to TB is costly.');
    if (a.dataSize === 'huge') r.add('dataSize', -40, 'Data beyond one machine, all in RAM, is prohibitively expensive.');
    if (a.writeRate === 'high' || a.writeRate === 'very-high') r.add('writeRate', 10, 'Hundreds of thousands of operations/s per node; Redis Cluster spreads keys over hash slots.');
    if (uses(a, 'key-lookup')) r.add('pattern:key-lookup', 15, 'O(1) lookups by key; sorted sets rank in O(log n).');
    if (uses(a, 'joins')) r.add('pattern:joins', -25, 'No joins.');
    if (uses(a, 'aggregations')) r.add('pattern:aggregations', -15, 'No ad-hoc aggregation; counters must be maintained on write.');
    if (uses(a, 'full-text')) r.add('pattern:full-text', -10, 'Full-text needs the RediSearch module.');
    if (uses(a, 'graph-traversal')) r.add('pattern:graph-traversal', -15, 'No traversals.');
    if (uses(a, 'time-range')) r.add('pattern:time-range', -5, 'Sorted sets by timestamp work for short windows only.');
    if (a.distribution === 'multi-region-writes') r.add('distribution', -5, 'Open-source Redis has no active-active replication (Redis Enterprise CRDTs do).');
    if (a.partition === 'serve-stale') r.add('partition', 10, 'Keeps serving from memory; a lost write is acceptable for caches and sessions.');
    else r.add('partition', -15, 'Asynchronous replication loses acknowledged writes on failover; it cannot refuse consistently.');
    return r.list;
  },
  pairWith() {
    return ['PostgreSQL as the durable source of truth (Redis holds hot or expiring data)'];
  },
};
