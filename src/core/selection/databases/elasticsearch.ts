/** Elasticsearch / OpenSearch: the search engine, usually beside a source of truth. */
import type { Answers, DatabaseModel } from '../types';
import { Reasons, uses } from './reasons';

export const elasticsearch: DatabaseModel = {
  profile: {
    id: 'elasticsearch',
    name: 'Elasticsearch',
    summary: 'Distributed search engine on Lucene: inverted indexes, BM25 relevance, analyzers, aggregations for facets.',
    cap: 'CP',
    capNote: 'Cluster state needs a master quorum: the minority side stops accepting writes; searches are near-real-time (refresh interval).',
    guarantees: 'BASE',
    guaranteesNote: 'No transactions; per-document versioning; a write becomes searchable after the next refresh.',
    sourceOfTruth: false,
  },
  assess(a: Answers) {
    const r = new Reasons();
    if (uses(a, 'full-text')) r.add('pattern:full-text', 40, 'Inverted indexes with BM25 relevance, analyzers, synonyms, typo tolerance and facets.');
    else r.add('fit', -25, 'Its strength is search; without a full-text need it is an expensive secondary store.');
    if (a.dataShape === 'documents') r.add('dataShape', 10, 'JSON documents with dynamic mappings.');
    if (a.dataShape === 'wide-time-ordered') r.add('dataShape', 5, 'Time-based indices suit logs.');
    if (a.dataShape === 'relational') r.add('dataShape', -5, 'Relations must be flattened into documents.');
    if (a.dataShape === 'key-value') r.add('dataShape', -5, 'Overkill for access by key.');
    if (a.dataShape === 'graph') r.add('dataShape', -15, 'No graph model.');
    if (a.transactions === 'multi-record') r.add('transactions', -40, 'No transactions and near-real-time visibility: never the source of truth for money or orders.');
    if (a.transactions === 'single-record') r.add('transactions', -10, 'Only per-document optimistic versioning.');
    if (a.readWriteMix === 'read-heavy') r.add('readWriteMix', 5, 'Replica shards scale searches.');
    if (a.readWriteMix === 'write-heavy') r.add('readWriteMix', -5, 'Indexing is CPU-heavy and an update rewrites the whole document.');
    if (a.latency === 'sub-ms') r.add('latency', -15, 'Searches take milliseconds to tens of milliseconds.');
    if (a.dataSize === 'huge') r.add('dataSize', 10, 'Shards spread an index over many nodes.');
    if (a.dataSize === 'large') r.add('dataSize', 5, 'Scales out by shards.');
    if (uses(a, 'aggregations')) r.add('pattern:aggregations', 10, 'Aggregations power facets and dashboards.');
    if (uses(a, 'joins')) r.add('pattern:joins', -15, 'No real joins (nested and parent-child only).');
    if (uses(a, 'time-range')) r.add('pattern:time-range', 5, 'Date ranges over time-based indices.');
    if (uses(a, 'key-lookup')) r.add('pattern:key-lookup', -5, 'Get by id works but is not what it is for.');
    if (uses(a, 'graph-traversal')) r.add('pattern:graph-traversal', -15, 'No traversals.');
    if (a.distribution === 'multi-region-writes') r.add('distribution', -10, 'Clusters do not span regions; cross-cluster replication is one-way.');
    return r.list;
  },
  pairWith() {
    return ['PostgreSQL as the source of truth, indexed into Elasticsearch by change data capture or an outbox'];
  },
};
