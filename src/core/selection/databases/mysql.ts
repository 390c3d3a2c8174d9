/** MySQL (InnoDB): the other mainstream relational choice; simpler, with fewer index types. */
import type { Answers, DatabaseModel } from '../types';
import { Reasons, uses } from './reasons';

export const mysql: DatabaseModel = {
  profile: {
    id: 'mysql',
    name: 'MySQL',
    summary: 'Widely operated relational database (InnoDB) with battle-tested replication; Vitess shards it.',
    cap: 'CP',
    capNote: 'One primary; with semi-synchronous or Group Replication a partitioned minority stops accepting writes.',
    guarantees: 'ACID',
    guaranteesNote: 'ACID with InnoDB (REPEATABLE READ by default); DDL is not transactional.',
    sourceOfTruth: true,
  },
  assess(a: Answers) {
    const r = new Reasons();
    r.add('fit', -5, 'Fewer index types than PostgreSQL (no partial indexes, no INCLUDE) and a weaker planner for complex queries.');
    if (a.dataShape === 'relational') r.add('dataShape', 15, 'Relational data is its home ground.');
    if (a.dataShape === 'documents') r.add('dataShape', -5, 'JSON columns can only be indexed through generated columns or functional indexes.');
    if (a.dataShape === 'graph') r.add('dataShape', -10, 'Graphs only fit as edge tables with recursive CTEs.');
    if (a.transactions === 'multi-record') r.add('transactions', 15, 'InnoDB gives multi-row ACID transactions.');
    else if (a.transactions === 'single-record') r.add('transactions', 5, 'Row-level atomic updates.');
    if (a.writeRate === 'high') r.add('writeRate', -5, 'One primary takes every write; 10–100k writes/s is near its ceiling.');
    if (a.writeRate === 'very-high') r.add('writeRate', -15, 'Over 100k writes/s needs sharding with Vitess.');
    if (a.readWriteMix === 'read-heavy') r.add('readWriteMix', 10, 'Replication to many read replicas is battle-tested.');
    if (a.latency === 'sub-ms') r.add('latency', -15, 'A network round trip alone approaches a millisecond; put a cache in front.');
    if (a.dataSize === 'huge') r.add('dataSize', -15, 'Beyond one machine it needs Vitess or application sharding.');
    if (uses(a, 'joins')) r.add('pattern:joins', 10, 'SQL joins (hash joins since 8.0); complex queries plan less well than in PostgreSQL.');
    if (uses(a, 'key-lookup')) r.add('pattern:key-lookup', 10, 'InnoDB clusters rows by primary key: a key lookup reads one B-tree.');
    if (uses(a, 'full-text')) r.add('pattern:full-text', -5, 'FULLTEXT indexes are basic; no trigram index for LIKE \'%…%\'.');
    if (uses(a, 'graph-traversal')) r.add('pattern:graph-traversal', -10, 'Recursive CTEs only; deep traversals get slow.');
    if (uses(a, 'aggregations')) r.add('pattern:aggregations', a.dataSize === 'small' ? 0 : -10, 'Analytics over large tables are slow in a row store without parallel query.');
    if (a.distribution === 'multi-region-writes') r.add('distribution', -15, 'Multi-primary Group Replication is fragile across a WAN.');
    if (a.partition === 'refuse') r.add('partition', 5, 'Semi-synchronous replication avoids losing acknowledged writes on failover.');
    return r.list;
  },
  pairWith(a: Answers) {
    const out: string[] = [];
    if (a.writeRate === 'very-high' || a.dataSize === 'huge') out.push('Vitess for horizontal sharding');
    if (uses(a, 'full-text')) out.push('Elasticsearch for search, fed by binlog CDC');
    if (a.latency === 'sub-ms') out.push('Redis as a cache');
    return out;
  },
};
