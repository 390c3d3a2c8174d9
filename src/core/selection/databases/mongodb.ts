/** MongoDB: document store with native sharding. */
import type { Answers, DatabaseModel } from '../types';
import { Reasons, uses } from './reasons';

export const mongodb: DatabaseModel = {
  profile: {
    id: 'mongodb',
    name: 'MongoDB',
    summary: 'Document database: JSON-like documents, flexible schema, replica sets and built-in sharding.',
    cap: 'CP',
    capNote: 'One primary per replica set; with majority write concern the minority side steps down (reads from secondaries may be stale).',
    guarantees: 'ACID',
    guaranteesNote: 'Atomic per document; multi-document transactions since 4.0, at a cost.',
    sourceOfTruth: true,
  },
  assess(a: Answers) {
    const r = new Reasons();
    if (a.dataShape === 'documents') r.add('dataShape', 25, 'Documents with varying fields are its native model; each document carries its own shape.');
    if (a.dataShape === 'relational') r.add('dataShape', -5, 'Relational data must be embedded or referenced by hand.');
    if (a.dataShape === 'key-value') r.add('dataShape', 5, 'Documents by _id work as a key-value store.');
    if (a.dataShape === 'wide-time-ordered') r.add('dataShape', 5, 'Time-series collections bucket measurements.');
    if (a.dataShape === 'graph') r.add('dataShape', -10, 'Graph traversal is limited to $graphLookup.');
    if (a.transactions === 'multi-record') r.add('transactions', -10, 'Multi-document transactions exist but are slower and have limits; model atomic data into one document.');
    else if (a.transactions === 'single-record') r.add('transactions', 10, 'Atomic single-document updates cover most needs when data is embedded.');
    if (a.writeRate === 'high' || a.writeRate === 'very-high') r.add('writeRate', 10, 'Native sharding spreads writes across shards.');
    if (a.dataSize === 'huge') r.add('dataSize', 15, 'Built-in sharding with a balancer handles data beyond one machine.');
    if (a.dataSize === 'large') r.add('dataSize', 5, 'Can shard later without changing the application.');
    if (a.growth === 'fast') r.add('growth', 5, 'Adding shards absorbs growth.');
    if (a.latency === 'sub-ms') r.add('latency', -10, 'Not an in-memory store.');
    if (a.latency === 'interactive') r.add('latency', 5, 'Indexed reads in single-digit milliseconds.');
    if (uses(a, 'joins')) r.add('pattern:joins', -15, 'Only $lookup: relational queries across collections get awkward and slow.');
    if (uses(a, 'key-lookup')) r.add('pattern:key-lookup', 10, 'Lookups by _id or an indexed field are fast.');
    if (uses(a, 'full-text')) r.add('pattern:full-text', 5, 'Text indexes; Atlas Search adds Lucene relevance.');
    if (uses(a, 'aggregations')) r.add('pattern:aggregations', a.dataSize === 'huge' ? -5 : 0, 'The aggregation pipeline is capable, but it is no columnar engine.');
    if (uses(a, 'graph-traversal')) r.add('pattern:graph-traversal', -10, '$graphLookup only for shallow traversals.');
    if (a.distribution === 'multi-region-writes') r.add('distribution', 5, 'Zone sharding pins each region\'s data to a local primary.');
    if (a.partition === 'refuse') r.add('partition', 5, 'Majority write concern keeps acknowledged writes on failover (CP).');
    return r.list;
  },
  pairWith(a: Answers) {
    const out: string[] = [];
    if (uses(a, 'full-text') && a.dataSize !== 'small') out.push('Atlas Search or Elasticsearch for relevance-ranked search');
    if (uses(a, 'aggregations') && a.dataSize !== 'small') out.push('ClickHouse for analytics');
    if (a.transactions === 'multi-record') out.push('PostgreSQL for the money-moving part (payments, ledger)');
    return out;
  },
};
