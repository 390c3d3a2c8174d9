/** Neo4j: native graph database for multi-hop traversals. */
import type { Answers, DatabaseModel } from '../types';
import { Reasons, uses } from './reasons';

export const neo4j: DatabaseModel = {
  profile: {
    id: 'neo4j',
    name: 'Neo4j',
    summary: 'Native graph database: nodes and relationships with direct pointers, queried with Cypher path patterns.',
    cap: 'CP',
    capNote: 'Causal clustering uses Raft: writes need a majority of primaries; the minority side becomes read-only.',
    guarantees: 'ACID',
    guaranteesNote: 'ACID transactions on one leader.',
    sourceOfTruth: true,
  },
  assess(a: Answers) {
    const r = new Reasons();
    if (uses(a, 'graph-traversal')) r.add('pattern:graph-traversal', 35, 'Multi-hop traversals (friends of friends, recommendations, paths) follow pointers: cost per hop, not per table size.');
    else r.add('fit', -20, 'Without traversals there is little reason for a graph store.');
    if (a.dataShape === 'graph') r.add('dataShape', 30, 'Nodes and relationships are first-class, with index-free adjacency.');
    else if (a.dataShape === 'relational') r.add('dataShape', -5, 'Tabular data fits awkwardly.');
    else r.add('dataShape', -15, 'This data shape is not a graph.');
    if (a.transactions === 'multi-record') r.add('transactions', 10, 'ACID transactions.');
    if (a.transactions === 'single-record') r.add('transactions', 5, 'Atomic updates.');
    if (a.writeRate === 'high') r.add('writeRate', -10, 'One leader takes all writes.');
    if (a.writeRate === 'very-high') r.add('writeRate', -25, 'A single writer cannot keep up with this rate.');
    if (a.dataSize === 'huge') r.add('dataSize', -15, 'Graphs shard badly: traversals cross machines (Fabric/composite databases only).');
    if (a.dataSize === 'large') r.add('dataSize', -5, 'The hot graph should fit in the page cache.');
    if (a.latency === 'sub-ms') r.add('latency', -10, 'Not sub-millisecond over the network.');
    if (uses(a, 'aggregations')) r.add('pattern:aggregations', -10, 'Not built for large aggregations.');
    if (uses(a, 'time-range')) r.add('pattern:time-range', -10, 'Not built for time-range scans.');
    if (uses(a, 'full-text')) r.add('pattern:full-text', 0, 'Lucene-backed full-text indexes exist.');
    if (a.distribution === 'multi-region-writes') r.add('distribution', -15, 'One write leader.');
    if (a.partition === 'refuse') r.add('partition', 5, 'Raft majority: consistent under partition.');
    else r.add('partition', -5, 'The minority side becomes read-only.');
    return r.list;
  },
  pairWith(a: Answers) {
    const out: string[] = [];
    if (a.dataShape !== 'graph' || a.transactions === 'multi-record') out.push('PostgreSQL as the system of record, projecting the relationship graph into Neo4j');
    else out.push('PostgreSQL for accounts and billing');
    return out;
  },
};
