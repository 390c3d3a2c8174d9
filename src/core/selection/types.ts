/**
 * Vocabulary of the database-selection advisor: the workload facts a team answers (or the
 * workspace suggests), and the recommendation the model derives from them. Pure data, shared
 * by the model, the extension host and the webview (which ranks locally so a changed answer
 * re-ranks at once).
 */

export type DataShape = 'relational' | 'documents' | 'wide-time-ordered' | 'key-value' | 'graph';
export type Transactions = 'none' | 'single-record' | 'multi-record';
export type ReadWriteMix = 'read-heavy' | 'balanced' | 'write-heavy';
/** Sustained writes per second: low < 1k, medium < 10k, high < 100k, very-high beyond. */
export type WriteRate = 'low' | 'medium' | 'high' | 'very-high';
export type Latency = 'relaxed' | 'interactive' | 'sub-ms';
/** small < 100 GB, large < 5 TB (fits one big machine), huge beyond one machine. */
export type DataSize = 'small' | 'large' | 'huge';
export type Growth = 'steady' | 'fast';
export type QueryPattern = 'joins' | 'full-text' | 'graph-traversal' | 'time-range' | 'aggregations' | 'key-lookup';
export type Distribution = 'single-region' | 'multi-region-reads' | 'multi-region-writes';
/** What the system should do when the network partitions: refuse (stay consistent) or serve stale. */
export type PartitionBehaviour = 'refuse' | 'serve-stale';

/** The workload facts the model ranks on. Every field always has a value (see DEFAULT_ANSWERS). */
export interface Answers {
  dataShape: DataShape;
  transactions: Transactions;
  readWriteMix: ReadWriteMix;
  writeRate: WriteRate;
  latency: Latency;
  dataSize: DataSize;
  growth: Growth;
  patterns: QueryPattern[];
  distribution: Distribution;
  partition: PartitionBehaviour;
}

export type QuestionId = keyof Answers;

export type DatabaseId =
  | 'postgresql'
  | 'mysql'
  | 'mongodb'
  | 'cassandra'
  | 'redis'
  | 'dynamodb'
  | 'elasticsearch'
  | 'neo4j'
  | 'clickhouse'
  | 'timescaledb'
  | 'cockroachdb';

/**
 * What a score contribution is about. Question ids, one per query pattern, plus `default`
 * (PostgreSQL's standing as the general-purpose default) and `fit` (a general judgement about
 * whether the engine's niche is needed at all).
 */
export type Factor = Exclude<QuestionId, 'patterns'> | `pattern:${QueryPattern}` | 'default' | 'fit';

/** One reason for or against a database, with its weight. Positive points argue for it. */
export interface Contribution {
  factor: Factor;
  points: number;
  text: string;
}

/** Fixed facts about a database, independent of the workload. */
export interface DatabaseProfile {
  id: DatabaseId;
  name: string;
  /** One line: what it is. */
  summary: string;
  /** Behaviour under a network partition. */
  cap: 'CP' | 'AP';
  capNote: string;
  guarantees: 'ACID' | 'BASE';
  guaranteesNote: string;
  /** True when it can be the system of record (durable, transactional enough to trust). */
  sourceOfTruth: boolean;
}

/** A database's module: its profile, how it judges a workload, and what it pairs with. */
export interface DatabaseModel {
  profile: DatabaseProfile;
  assess(a: Answers): Contribution[];
  pairWith(a: Answers): string[];
}

export interface RankedDatabase {
  id: DatabaseId;
  name: string;
  score: number;
  rank: number;
  reasonsFor: Contribution[];
  reasonsAgainst: Contribution[];
  cap: 'CP' | 'AP';
  capNote: string;
  guarantees: 'ACID' | 'BASE';
  guaranteesNote: string;
  pairWith: string[];
}

/** A need on which the winner beat PostgreSQL, and by how much. */
export interface TippingNeed {
  factor: Factor;
  need: string;
  /** Winner's points minus PostgreSQL's points on this factor. */
  delta: number;
}

export type ReplicationMode = 'leader-follower-sync' | 'leader-follower-async' | 'multi-leader' | 'leaderless' | 'consensus';

export interface ReplicationAdvice {
  mode: ReplicationMode;
  title: string;
  summary: string;
  details: string[];
  /** Leaderless quorum settings (N replicas, W write acks, R read acks). */
  quorum?: { n: number; w: number; r: number };
}

export type ShardingStrategy = 'none' | 'hash' | 'range' | 'consistent-hashing' | 'directory';

export interface ShardingAdvice {
  needed: boolean;
  strategy: ShardingStrategy;
  summary: string;
  shardKey?: string;
  /** Queries the chosen key makes expensive (scatter-gather, cross-shard transactions…). */
  expensiveQueries: string[];
  details: string[];
}

export type LadderStepId = 'indexes' | 'read-replicas' | 'cache' | 'bigger-machine' | 'shard';
export type LadderStatus = 'now' | 'next' | 'later' | 'not-needed';

export interface LadderStep {
  id: LadderStepId;
  title: string;
  status: LadderStatus;
  why: string;
}

export interface ScalingLadder {
  /** The highest rung this workload needs. */
  reached: LadderStepId;
  steps: LadderStep[];
}

/** Everything the view shows and the decision record writes. */
export interface SelectionAdvice {
  ranking: RankedDatabase[];
  winner: RankedDatabase;
  /** Empty when PostgreSQL wins; otherwise the needs that outweighed it, biggest first. */
  tippedBy: TippingNeed[];
  /** One paragraph, plain words: why the winner, and what tipped it. */
  verdict: string;
  replication: ReplicationAdvice;
  sharding: ShardingAdvice;
  ladder: ScalingLadder;
}

/** A fact found in the workspace that suggests an answer ("17 tables with foreign keys"). */
export interface Signal {
  id: string;
  text: string;
  /** The answer it suggests; absent for facts shown for context only. */
  suggests?: { question: QuestionId; value: string };
}

/** Result of scanning the workspace: evidence, and the answers it pre-fills. */
export interface WorkspaceSignals {
  signals: Signal[];
  answers: Partial<Answers>;
  /** A shard key the schema suggests (most widely shared tenant/user key), when one stands out. */
  shardKeyHint?: { column: string; tables: number };
  tableCount: number;
  queryCount: number;
}
