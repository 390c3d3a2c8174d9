/** TimescaleDB: PostgreSQL with hypertables, compression and continuous aggregates for time series. */
import type { Answers, DatabaseModel } from '../types';
import { Reasons, uses } from './reasons';

export const timescaledb: DatabaseModel = {
  profile: {
    id: 'timescaledb',
    name: 'TimescaleDB',
    summary: 'A PostgreSQL extension: time-partitioned hypertables, columnar compression, continuous aggregates.',
    cap: 'CP',
    capNote: 'It is PostgreSQL: one write leader, consistent rather than available under partition.',
    guarantees: 'ACID',
    guaranteesNote: 'Full PostgreSQL ACID transactions.',
    sourceOfTruth: true,
  },
  assess(a: Answers) {
    const r = new Reasons();
    const timeSeries = a.dataShape === 'wide-time-ordered' || uses(a, 'time-range');
    if (!timeSeries) r.add('fit', -15, 'Without time-series data it is just PostgreSQL plus an extension to operate.');
    if (a.dataShape === 'wide-time-ordered') r.add('dataShape', 25, 'Hypertables partition time-ordered rows into chunks automatically and compress old chunks ~10x.');
    if (a.dataShape === 'relational') r.add('dataShape', 5, 'Relational tables (devices, customers) live next to the time series with full SQL.');
    if (a.dataShape === 'graph') r.add('dataShape', -10, 'Graphs fit no better than in PostgreSQL.');
    if (a.transactions === 'multi-record') r.add('transactions', 15, 'Full PostgreSQL ACID transactions.');
    else if (a.transactions === 'single-record') r.add('transactions', 5, 'Row-level atomic updates.');
    if (a.writeRate === 'high') r.add('writeRate', 5, 'Batched inserts into hypertables sustain 100k+ rows/s on one node.');
    if (a.writeRate === 'very-high') r.add('writeRate', -15, 'One write node (multi-node was discontinued): beyond a few hundred thousand rows/s it runs out.');
    if (a.latency === 'sub-ms') r.add('latency', -15, 'A PostgreSQL round trip is not sub-millisecond.');
    if (a.dataSize === 'huge') r.add('dataSize', -10, 'Compression stretches one node a long way, but it does not shard.');
    if (uses(a, 'time-range')) r.add('pattern:time-range', 20, 'Chunk exclusion prunes time ranges; time_bucket() and continuous aggregates downsample incrementally.');
    if (uses(a, 'aggregations')) r.add('pattern:aggregations', timeSeries ? 10 : 0, 'Continuous aggregates keep rollups current; compressed chunks scan column by column.');
    if (uses(a, 'joins')) r.add('pattern:joins', 10, 'Full SQL joins between measurements and metadata.');
    if (uses(a, 'graph-traversal')) r.add('pattern:graph-traversal', -10, 'Recursive CTEs only.');
    if (uses(a, 'full-text')) r.add('pattern:full-text', 0, 'PostgreSQL full-text search is available.');
    if (a.distribution === 'multi-region-writes') r.add('distribution', -20, 'One write leader; no multi-region writes.');
    if (a.partition === 'refuse') r.add('partition', 10, 'Consistent under partition (CP), like PostgreSQL.');
    else r.add('partition', -5, 'A partitioned minority cannot take writes.');
    return r.list;
  },
  pairWith(a: Answers) {
    const out: string[] = ['PostgreSQL itself for the relational side (same server, same SQL)'];
    if (uses(a, 'aggregations') && a.dataSize === 'huge') out.push('ClickHouse for ad-hoc analytics over the full history');
    if (a.latency === 'sub-ms') out.push('Redis for the latest value per device');
    return out;
  },
};
