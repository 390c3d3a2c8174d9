/**
 * Sharding advice: only when data size or write rate exceeds one machine. Names the strategy,
 * the shard key, and — just as important — the queries that key makes expensive.
 */
import type { Answers, DatabaseId, ShardingAdvice } from './types';

/** Whether the workload outgrows one machine. */
export function needsSharding(a: Answers): boolean {
  return a.dataSize === 'huge' || a.writeRate === 'very-high';
}

/** Recommends a sharding strategy (or none) for the winning database. */
export function recommendSharding(a: Answers, db: DatabaseId, shardKeyHint?: string): ShardingAdvice {
  if (!needsSharding(a)) {
    return {
      needed: false,
      strategy: 'none',
      summary: 'No sharding: the data and the write rate fit one machine. Climb the scaling ladder first; sharding is the last rung.',
      expensiveQueries: [],
      details: a.growth === 'fast' ? ['Growth is fast: choose a likely shard key now (e.g. tenant_id) and include it in primary keys so a later split is mechanical.'] : [],
    };
  }
  const why = a.dataSize === 'huge' ? 'the data outgrows one machine' : 'the write rate exceeds one leader';
  if (a.dataShape === 'wide-time-ordered' || (a.patterns.includes('time-range') && a.dataShape !== 'relational')) {
    const key = shardKeyHint ?? 'source_id (device, user or stream)';
    return {
      needed: true,
      strategy: 'hash',
      summary: `Hash-shard by ${key} plus a time bucket, because ${why}; never range-shard by time alone — every write would hit the newest shard.`,
      shardKey: `(${key}, time bucket)`,
      expensiveQueries: [
        'Time-range scans across all sources (scatter-gather to every shard)',
        'Aggregations over the whole fleet (fan out, then merge)',
        'Lookups by anything other than the source id',
      ],
      details: [
        'Within a shard, cluster rows by time so a range for one source is one sequential read.',
        'Bucket time (e.g. per day) so partitions stay bounded in size.',
        db === 'clickhouse' ? 'ClickHouse: Distributed table sharded by cityHash64(source_id), ORDER BY (source_id, ts).' : 'Cassandra/ScyllaDB: PRIMARY KEY ((source_id, day), ts).',
      ],
    };
  }
  if (a.dataShape === 'key-value' || db === 'redis' || db === 'dynamodb' || db === 'cassandra') {
    const key = shardKeyHint ?? 'the item key';
    return {
      needed: true,
      strategy: 'consistent-hashing',
      summary: `Consistent hashing on ${key}, because ${why}: adding a node moves only ~1/N of the keys.`,
      shardKey: key,
      expensiveQueries: ['Multi-key operations across shards (MGET, transactions) unless keys share a hash tag', 'Scans and queries by any other attribute'],
      details: [
        'Use virtual nodes (or Redis hash slots / DynamoDB partitions) so load stays even when nodes join or leave.',
        'Watch for hot keys: a celebrity user or a global counter lands on one shard — split it (key#1..key#n) or cache it.',
      ],
    };
  }
  if (a.distribution === 'multi-region-writes') {
    const key = shardKeyHint ?? 'tenant_id';
    return {
      needed: true,
      strategy: 'directory',
      summary: `Directory-based sharding by ${key}: a lookup table maps each tenant to its home region and shard, because ${why} and data must live near its users.`,
      shardKey: key,
      expensiveQueries: ['Queries and joins across tenants (cross-region scatter-gather)', 'Transactions that touch two tenants (two-phase commit across regions)', 'Global uniqueness (e.g. unique email across tenants)'],
      details: ['The directory lets a large tenant move to its own shard without rehashing everyone.', 'Cache the directory; it is read on every request.'],
    };
  }
  const key = shardKeyHint ?? 'tenant_id (or customer_id)';
  return {
    needed: true,
    strategy: 'hash',
    summary: `Hash-shard by ${key}, because ${why}; co-locate every table that carries the key so a tenant's joins stay on one shard.`,
    shardKey: key,
    expensiveQueries: [
      `Joins and transactions across different ${key.split(' ')[0]} values (cross-shard; two-phase commit)`,
      `Lookups by anything other than ${key.split(' ')[0]} (e.g. by email): scatter-gather to every shard unless a global index is kept`,
      'Global aggregations and reports (fan out to all shards)',
      'Unique constraints that do not include the shard key',
    ],
    details: [
      db === 'postgresql' ? 'PostgreSQL: Citus distributed tables on the key; small shared tables become reference tables.' : db === 'mysql' ? 'MySQL: Vitess with a hash vindex on the key.' : 'Use the database\'s native sharding on this key.',
      'Range sharding would suit ordered keys with range queries, but hashing avoids hot spots on sequential ids.',
    ],
  };
}
