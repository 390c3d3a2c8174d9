/** Amazon DynamoDB: managed key-value and document store, Dynamo-style partitioning. */
import type { Answers, DatabaseModel } from '../types';
import { Reasons, uses } from './reasons';

export const dynamodb: DatabaseModel = {
  profile: {
    id: 'dynamodb',
    name: 'DynamoDB',
    summary: 'Managed key-value/document store: items by partition key and sort key, automatic partitioning, no servers to run.',
    cap: 'AP',
    capNote: 'Eventually consistent reads by default (strongly consistent reads within a region); global tables accept writes in every region and reconcile last-writer-wins.',
    guarantees: 'BASE',
    guaranteesNote: 'Atomic per item and conditional writes; TransactWriteItems covers up to 100 items; BASE across regions.',
    sourceOfTruth: true,
  },
  assess(a: Answers) {
    const r = new Reasons();
    if (a.dataSize === 'small' && (a.writeRate === 'low' || a.writeRate === 'medium') && a.distribution === 'single-region') {
      r.add('fit', -20, 'At this size and rate any database serves key lookups; its strengths (no ceiling, no capacity planning, global tables) are not needed yet.');
    }
    if (a.dataShape === 'key-value') r.add('dataShape', 25, 'Partition key + sort key items are key-value at heart, at any scale, with no servers to operate.');
    if (a.dataShape === 'documents') r.add('dataShape', -5, 'Items carry varying attributes, but every query on a non-key attribute needs a secondary index planned up front.');
    if (a.dataShape === 'wide-time-ordered') r.add('dataShape', 5, 'A time sort key models time-ordered items per partition.');
    if (a.dataShape === 'relational') r.add('dataShape', -10, 'No joins: single-table design must encode every access pattern up front.');
    if (a.dataShape === 'graph') r.add('dataShape', -20, 'No graph model.');
    if (a.transactions === 'multi-record') r.add('transactions', -10, 'TransactWriteItems (≤ 100 items, double cost) works but is no general ledger.');
    if (a.transactions === 'single-record') r.add('transactions', 10, 'Conditional writes give atomic compare-and-set per item.');
    if (a.writeRate === 'very-high') r.add('writeRate', 20, 'Partitions split automatically; on-demand capacity absorbs spikes.');
    if (a.writeRate === 'high') r.add('writeRate', 15, 'Scales writes without capacity planning.');
    if (a.latency === 'interactive') r.add('latency', 10, 'Single-digit-millisecond reads and writes at any scale.');
    if (a.latency === 'sub-ms') r.add('latency', -5, 'Microseconds need the DAX cache in front.');
    if (a.dataSize === 'huge') r.add('dataSize', 15, 'No storage ceiling.');
    if (a.dataSize === 'large') r.add('dataSize', 10, 'Storage grows without provisioning.');
    if (a.growth === 'fast') r.add('growth', 10, 'Grows without re-sharding or migrations.');
    if (uses(a, 'key-lookup')) r.add('pattern:key-lookup', 15, 'GetItem/Query by key is the operation it is built for.');
    if (uses(a, 'joins')) r.add('pattern:joins', -20, 'No joins.');
    if (uses(a, 'aggregations')) r.add('pattern:aggregations', -20, 'No aggregations: Scans are slow and billed per item; export to analytics.');
    if (uses(a, 'full-text')) r.add('pattern:full-text', -15, 'No full-text search (pair with OpenSearch).');
    if (uses(a, 'graph-traversal')) r.add('pattern:graph-traversal', -20, 'No traversals.');
    if (uses(a, 'time-range')) r.add('pattern:time-range', 5, 'Range queries on the sort key within one partition key.');
    if (a.distribution === 'multi-region-writes') r.add('distribution', 15, 'Global tables: active-active writes in every region (last writer wins).');
    if (a.distribution === 'multi-region-reads') r.add('distribution', 10, 'Global tables replicate to other regions.');
    if (a.partition === 'serve-stale') r.add('partition', 15, 'Stays writable in every region and reconciles afterwards: always-available writes, as the Dynamo paper\'s shopping cart.');
    else r.add('partition', -5, 'Strongly consistent reads only within a region.');
    return r.list;
  },
  pairWith(a: Answers) {
    const out: string[] = [];
    if (a.transactions !== 'none' || a.dataShape === 'relational') out.push('PostgreSQL (Aurora/RDS) for orders and payments, which need multi-record transactions');
    if (uses(a, 'aggregations')) out.push('S3 export + Athena or ClickHouse for analytics');
    if (uses(a, 'full-text')) out.push('OpenSearch for search, fed by DynamoDB Streams');
    if (a.latency === 'sub-ms') out.push('DAX for microsecond reads');
    return out;
  },
};
