/**
 * Replication advice: which replication topology the workload and the chosen database call for,
 * with the settings a senior engineer would write down (sync standbys, N/W/R quorums).
 */
import type { Answers, DatabaseId, ReplicationAdvice } from './types';

const LEADERLESS: ReadonlySet<DatabaseId> = new Set(['cassandra', 'dynamodb']);
const CONSENSUS: ReadonlySet<DatabaseId> = new Set(['cockroachdb']);

/** Recommends a replication setup for the winning database under these answers. */
export function recommendReplication(a: Answers, db: DatabaseId): ReplicationAdvice {
  if (CONSENSUS.has(db)) return consensus(a);
  if (LEADERLESS.has(db)) return leaderless(a, db);
  if (a.distribution === 'multi-region-writes') return multiLeader(a, db);
  if (a.transactions === 'multi-record' || (a.partition === 'refuse' && db !== 'redis' && db !== 'clickhouse')) return syncLeader(a, db);
  return asyncLeader(a, db);
}

/**
 * Leaderless quorum sizes. W + R > N makes every read overlap the latest acknowledged write;
 * when the team prefers availability we say plainly that W + R ≤ N trades that away.
 */
export function chooseQuorum(a: Answers): { n: number; w: number; r: number } {
  const n = 3;
  if (a.partition === 'serve-stale' && a.readWriteMix === 'write-heavy') return { n, w: 1, r: 1 };
  if (a.readWriteMix === 'read-heavy' && a.partition === 'refuse') return { n, w: 3, r: 1 };
  return { n, w: 2, r: 2 };
}

function leaderless(a: Answers, db: DatabaseId): ReplicationAdvice {
  const q = chooseQuorum(a);
  const overlaps = q.w + q.r > q.n;
  const details = [
    `N = ${q.n} replicas per key, spread over three racks or availability zones.`,
    overlaps
      ? `W = ${q.w}, R = ${q.r}: W + R = ${q.w + q.r} > N = ${q.n}, so every read quorum overlaps the latest acknowledged write.`
      : `W = ${q.w}, R = ${q.r}: W + R = ${q.w + q.r} ≤ N = ${q.n}; reads may miss the latest write (eventual consistency) in exchange for availability and latency. Use QUORUM (W = R = 2) for the reads that must be fresh.`,
    'Read repair and anti-entropy (hinted handoff, Merkle-tree repair) converge replicas after failures; sloppy quorums keep writes flowing during a partition.',
  ];
  if (a.distribution !== 'single-region') details.push('Per region: N = 3 with LOCAL_QUORUM, so a write waits only for the local region; other regions catch up asynchronously.');
  if (db === 'dynamodb') details.unshift('DynamoDB does this for you: three copies across availability zones, with quorum writes; choose strongly consistent reads where freshness matters.');
  return {
    mode: 'leaderless',
    title: 'Leaderless replication with quorums',
    summary: `Leaderless, N = ${q.n}, W = ${q.w}, R = ${q.r}${overlaps ? ' (W + R > N)' : ' (W + R ≤ N: eventual)'}.`,
    details,
    quorum: q,
  };
}

function consensus(a: Answers): ReplicationAdvice {
  const replicas = a.distribution === 'multi-region-writes' ? 5 : 3;
  return {
    mode: 'consensus',
    title: 'Consensus replication (Raft / Paxos)',
    summary: `${replicas} replicas per range; a write commits on a majority (${Math.floor(replicas / 2) + 1} of ${replicas}).`,
    details: [
      'Each range has a leader (leaseholder); writes are synchronously replicated to a majority, so losing a minority loses no data.',
      a.distribution === 'multi-region-writes'
        ? 'Spread replicas over three or more regions; pin each tenant\'s rows to its home region (REGIONAL BY ROW) so most writes commit locally; survive a region failure with 5 replicas.'
        : 'Three replicas across three availability zones survive one zone failure.',
      'Follower reads (AS OF SYSTEM TIME) serve slightly stale data from the nearest replica when freshness can wait.',
    ],
  };
}

function multiLeader(a: Answers, db: DatabaseId): ReplicationAdvice {
  return {
    mode: 'multi-leader',
    title: 'Multi-leader replication (one leader per region)',
    summary: 'A leader in each region accepts local writes and replicates asynchronously to the others; conflicts must be resolved.',
    details: [
      'Conflicting writes to the same row in two regions are inevitable: decide the rule up front (last-writer-wins loses data; prefer per-record home regions, CRDT counters or application merges).',
      'Avoid multi-leader for money and inventory: a double spend across regions cannot be resolved after the fact.',
      a.transactions === 'multi-record'
        ? 'With multi-record transactions across regions, a consensus database (CockroachDB/Spanner) is the safer design.'
        : 'Within each region keep a leader-follower pair for failover.',
      db === 'postgresql' ? 'PostgreSQL: logical replication in both directions (or pgEdge/BDR) with conflict handling.' : 'Use the database\'s native multi-region feature where it exists.',
    ],
  };
}

function syncLeader(a: Answers, db: DatabaseId): ReplicationAdvice {
  const details = [
    'One leader takes all writes; one standby confirms each commit synchronously, so a failover loses no acknowledged transaction.',
    db === 'postgresql' || db === 'timescaledb'
      ? "PostgreSQL: synchronous_commit = on, synchronous_standby_names = 'ANY 1 (standby_a, standby_b)' — two standbys so one can fail without blocking commits; automated failover with Patroni."
      : db === 'mysql'
        ? 'MySQL: semi-synchronous replication (rpl_semi_sync_source_wait_for_replica_count = 1) or Group Replication; failover with Orchestrator.'
        : db === 'mongodb'
          ? 'MongoDB: a three-member replica set with writeConcern: majority.'
          : db === 'neo4j'
            ? 'Neo4j: a cluster of three primaries commits each transaction on a Raft majority; add secondaries for read scale.'
            : db === 'elasticsearch'
              ? 'Elasticsearch: one replica per primary shard; a write is acknowledged by all in-sync copies; three master-eligible nodes keep a quorum.'
              : 'Use a majority-acknowledged write setting.',
  ];
  if (a.readWriteMix !== 'write-heavy') details.push('Add asynchronous read replicas for read scale; read-your-writes queries go to the leader.');
  if (a.distribution === 'multi-region-reads') details.push('Place an asynchronous replica in each remote region for local reads; it lags by up to seconds.');
  return {
    mode: 'leader-follower-sync',
    title: 'Leader-follower, synchronous standby',
    summary: 'Single leader with a synchronous standby (no lost commits on failover) plus asynchronous read replicas.',
    details,
  };
}

function asyncLeader(a: Answers, db: DatabaseId): ReplicationAdvice {
  const details = [
    'One leader takes all writes and streams them to followers asynchronously: commits do not wait for replicas, so a failover can lose the last moments of writes.',
  ];
  if (db === 'postgresql' || db === 'timescaledb') details.push('PostgreSQL: streaming replication with synchronous_commit = local; failover with Patroni.');
  if (db === 'mysql') details.push('MySQL: asynchronous GTID replication; failover with Orchestrator.');
  if (db === 'mongodb') details.push('MongoDB: a three-member replica set; writeConcern w: 1 is fast but can roll back on failover — use majority for writes that matter.');
  if (db === 'neo4j') details.push('Neo4j: secondaries pull transactions asynchronously from the primaries.');
  if (db === 'redis') details.push('Redis: one primary with two replicas and Sentinel (or Redis Cluster) for failover; set min-replicas-to-write 1 to bound the loss window.');
  if (db === 'clickhouse') details.push('ClickHouse: ReplicatedMergeTree with two replicas per shard, coordinated by ClickHouse Keeper; every replica accepts inserts.');
  if (db === 'elasticsearch') details.push('Elasticsearch: one replica per primary shard (two copies); three master-eligible nodes so the cluster keeps a quorum.');
  if (a.readWriteMix === 'read-heavy') details.push('Serve reads from followers; expect replication lag and route read-your-writes to the leader.');
  if (a.distribution === 'multi-region-reads') details.push('A follower per remote region gives local reads.');
  return {
    mode: 'leader-follower-async',
    title: 'Leader-follower, asynchronous',
    summary: 'Single leader with asynchronous followers: fast commits, small loss window on failover.',
    details,
  };
}
