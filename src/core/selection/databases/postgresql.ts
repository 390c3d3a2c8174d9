/** PostgreSQL: the general-purpose default this advisor starts from. */
import type { Answers, DatabaseModel } from '../types';
import { Reasons, uses } from './reasons';

export const postgresql: DatabaseModel = {
  profile: {
    id: 'postgresql',
    name: 'PostgreSQL',
    summary: 'General-purpose relational database with the richest indexing and SQL of the open-source engines.',
    cap: 'CP',
    capNote: 'One write leader: a partitioned replica cannot accept writes; with synchronous standbys, commits wait for a replica rather than diverge.',
    guarantees: 'ACID',
    guaranteesNote: 'Full ACID, up to SERIALIZABLE isolation; transactional DDL.',
    sourceOfTruth: true,
  },
  assess(a: Answers) {
    const r = new Reasons();
    r.add('default', 10, 'Mature, general-purpose and well understood; B-tree, GIN, GiST, BRIN, partial and expression indexes cover most needs: the safe default.');
    switch (a.dataShape) {
      case 'relational': r.add('dataShape', 15, 'Relational data with foreign keys is its home ground.'); break;
      case 'documents': r.add('dataShape', 5, 'JSONB with GIN indexes stores and queries documents with varying fields.'); break;
      case 'graph': r.add('dataShape', -10, 'Graphs only fit as edge tables queried with recursive CTEs; every hop is a join.'); break;
      case 'wide-time-ordered': r.add('dataShape', -5, 'Time-ordered rows work with BRIN indexes and partitioning, but bloat and vacuum need care at high ingest.'); break;
      case 'key-value': break;
    }
    if (a.transactions === 'multi-record') r.add('transactions', 20, 'Multi-row ACID transactions (up to SERIALIZABLE) keep money, orders and inventory consistent.');
    else if (a.transactions === 'single-record') r.add('transactions', 5, 'Row-level atomic updates and constraints come for free.');
    if (a.writeRate === 'high') r.add('writeRate', -10, 'One leader takes every write; 10–100k writes/s is near the ceiling of a big machine.');
    if (a.writeRate === 'very-high') r.add('writeRate', -30, 'A single write leader cannot absorb over 100k writes/s; it would need sharding (Citus) or another store.');
    if (a.readWriteMix === 'read-heavy') r.add('readWriteMix', 5, 'Read replicas scale reads almost linearly.');
    if (a.latency === 'sub-ms') r.add('latency', -15, 'A network round trip plus planning is typically 0.5–2 ms; sub-millisecond needs an in-memory store in front.');
    if (a.dataSize === 'small') r.add('dataSize', 5, 'Under 100 GB fits in memory on one modest machine.');
    if (a.dataSize === 'huge') r.add('dataSize', -20, 'Beyond one machine it needs Citus or application-level sharding.');
    if (a.growth === 'fast' && a.dataSize !== 'small') r.add('growth', -5, 'Fast growth on a single node means planning the move to sharding early.');
    if (uses(a, 'joins')) r.add('pattern:joins', 15, 'Full SQL joins with a cost-based planner.');
    if (uses(a, 'full-text')) {
      r.add('pattern:full-text', 5, 'Built-in full-text search (tsvector + GIN) and pg_trgm for LIKE \'%…%\' cover moderate search needs.');
      if (a.dataSize !== 'small') r.add('pattern:full-text', -10, 'No BM25 relevance tuning, typo tolerance or fast facets at large scale.');
    }
    if (uses(a, 'graph-traversal')) r.add('pattern:graph-traversal', -10, 'Recursive CTEs handle shallow hierarchies; deep multi-hop traversals get slow.');
    if (uses(a, 'time-range')) r.add('pattern:time-range', 5, 'BRIN indexes and declarative partitioning make time-range scans cheap.');
    if (uses(a, 'aggregations')) {
      if (a.dataSize === 'huge') r.add('pattern:aggregations', -15, 'A row store scans billions of rows slowly; large aggregations take minutes.');
      else if (a.dataSize === 'large') r.add('pattern:aggregations', -5, 'Large aggregations need parallel scans or materialised views at this size.');
      else r.add('pattern:aggregations', 5, 'Window functions, GROUPING SETS and parallel aggregation handle analytics at this size.');
    }
    if (uses(a, 'key-lookup')) r.add('pattern:key-lookup', 5, 'Primary-key lookups through a B-tree take well under a few milliseconds.');
    if (a.distribution === 'multi-region-writes') r.add('distribution', -20, 'One write leader: remote regions pay a cross-region round trip on every write; no built-in multi-leader.');
    if (a.distribution === 'multi-region-reads') r.add('distribution', 5, 'Async read replicas in each region serve local reads.');
    if (a.partition === 'refuse') r.add('partition', 10, 'With synchronous replication it refuses writes rather than diverge (CP).');
    else r.add('partition', -5, 'A partitioned minority cannot take writes; it stays consistent rather than available.');
    return r.list;
  },
  pairWith(a: Answers) {
    const out: string[] = [];
    if (uses(a, 'full-text') && a.dataSize !== 'small') out.push('Elasticsearch for search, fed from PostgreSQL by change data capture (Debezium) or an outbox table');
    if (a.latency === 'sub-ms' || (a.readWriteMix === 'read-heavy' && a.writeRate !== 'low')) out.push('Redis as a read-through cache for hot keys');
    if (uses(a, 'aggregations') && a.dataSize !== 'small') out.push('ClickHouse for analytics, fed by CDC, so reporting never competes with OLTP');
    if (uses(a, 'graph-traversal')) out.push('Neo4j for deep traversals if recursive CTEs become the bottleneck');
    if (uses(a, 'time-range') && a.dataShape === 'wide-time-ordered') out.push('the TimescaleDB extension for hypertables and continuous aggregates');
    return out;
  },
};
