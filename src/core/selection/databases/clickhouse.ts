/** ClickHouse: columnar analytics engine. */
import type { Answers, DatabaseModel } from '../types';
import { Reasons, uses } from './reasons';

export const clickhouse: DatabaseModel = {
  profile: {
    id: 'clickhouse',
    name: 'ClickHouse',
    summary: 'Columnar OLAP database: MergeTree tables sorted by key, vectorised execution, heavy compression.',
    cap: 'AP',
    capNote: 'Replicas accept inserts independently and catch up asynchronously through Keeper: available, eventually consistent.',
    guarantees: 'BASE',
    guaranteesNote: 'No multi-row transactions; inserts are atomic per block; updates and deletes are asynchronous mutations.',
    sourceOfTruth: false,
  },
  assess(a: Answers) {
    const r = new Reasons();
    if (uses(a, 'aggregations')) r.add('pattern:aggregations', 30, 'Columnar, vectorised scans aggregate billions of rows per second.');
    else r.add('fit', -15, 'Its strength is analytics; without large aggregations there is little to gain.');
    if (a.dataShape === 'wide-time-ordered') r.add('dataShape', 15, 'Wide event rows sorted by time compress 5–10x in columns.');
    if (a.dataShape === 'documents') r.add('dataShape', -10, 'Varying fields need a fixed schema or JSON columns.');
    if (a.dataShape === 'key-value') r.add('dataShape', -15, 'Not a key-value store.');
    if (a.dataShape === 'graph') r.add('dataShape', -20, 'No graph model.');
    if (a.transactions === 'multi-record') r.add('transactions', -40, 'No multi-row transactions: not a system of record for money or orders.');
    if (a.transactions === 'single-record') r.add('transactions', -15, 'No in-place updates: mutations rewrite data parts asynchronously.');
    if (a.writeRate === 'high' || a.writeRate === 'very-high') r.add('writeRate', 10, 'Ingests millions of rows/s when inserts are batched.');
    if (a.latency === 'sub-ms') r.add('latency', -20, 'Queries take milliseconds to seconds.');
    if (a.latency === 'interactive') r.add('latency', -5, 'Tuned for analytical queries, not per-request lookups.');
    if (a.dataSize === 'huge') r.add('dataSize', 15, 'Compression and distributed tables handle data beyond one machine.');
    if (a.dataSize === 'large') r.add('dataSize', 5, 'Compression keeps this on few nodes.');
    if (a.dataSize === 'small') r.add('dataSize', -5, 'At this size PostgreSQL aggregates fast enough.');
    if (uses(a, 'time-range')) r.add('pattern:time-range', 10, 'Sorting by time prunes granules for range scans; materialised views downsample.');
    if (uses(a, 'key-lookup')) r.add('pattern:key-lookup', -10, 'Point lookups read whole granules (8,192 rows); no OLTP secondary indexes.');
    if (uses(a, 'joins')) r.add('pattern:joins', -5, 'Joins work but favour denormalised tables; large right-hand sides need memory.');
    if (uses(a, 'full-text')) r.add('pattern:full-text', -5, 'Only token and n-gram skip indexes.');
    if (uses(a, 'graph-traversal')) r.add('pattern:graph-traversal', -15, 'No traversals.');
    if (a.partition === 'refuse') r.add('partition', -10, 'Asynchronous replication: replicas may lag; not CP.');
    else r.add('partition', 5, 'Replicas keep serving during a partition.');
    return r.list;
  },
  pairWith(a: Answers) {
    const out: string[] = [];
    if (a.transactions !== 'none' || a.dataShape === 'relational') out.push('PostgreSQL as the transactional source, streamed into ClickHouse by CDC');
    else out.push('Kafka in front for buffered batch inserts');
    return out;
  },
};
