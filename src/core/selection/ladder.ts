/**
 * The scaling ladder: indexes → read replicas → cache → bigger machine → shard. Each rung is
 * cheaper and less disruptive than the next, so a workload climbs only as high as it must.
 */
import { needsSharding } from './sharding';
import type { Answers, LadderStep, LadderStepId, ScalingLadder } from './types';

const TITLES: Record<LadderStepId, string> = {
  indexes: 'Indexes and query fixes',
  'read-replicas': 'Read replicas',
  cache: 'Cache',
  'bigger-machine': 'Bigger machine',
  shard: 'Shard',
};

/** Places the workload on the ladder: which rungs it needs now, next, or not at all. */
export function scalingLadder(a: Answers): ScalingLadder {
  const heavyReads = a.readWriteMix === 'read-heavy' && (a.writeRate !== 'low' || a.dataSize !== 'small' || a.distribution === 'multi-region-reads');
  const needs: Record<LadderStepId, string | undefined> = {
    indexes: 'Always first: the right index turns a full scan into a few page reads; fix queries that defeat indexes.',
    'read-replicas': heavyReads || a.distribution === 'multi-region-reads' ? 'Reads dominate: replicas multiply read capacity (mind replication lag).' : undefined,
    cache: a.latency === 'sub-ms' || (heavyReads && a.latency !== 'relaxed') ? (a.latency === 'sub-ms' ? 'Sub-millisecond reads need an in-memory cache for hot keys.' : 'Hot, repeated reads are cheaper from a cache than from replicas.') : undefined,
    'bigger-machine': a.writeRate === 'high' || a.dataSize === 'large' || needsSharding(a) ? 'Writes or data outgrow a modest machine: scale up (more RAM, faster disks) before scaling out.' : undefined,
    shard: needsSharding(a) ? (a.dataSize === 'huge' ? 'Data beyond one machine: sharding is unavoidable.' : 'Over 100k writes/s exceeds one leader: writes must be split.') : undefined,
  };
  const order: LadderStepId[] = ['indexes', 'read-replicas', 'cache', 'bigger-machine', 'shard'];
  let reached: LadderStepId = 'indexes';
  for (const id of order) if (needs[id]) reached = id;
  const reachedAt = order.indexOf(reached);
  let nextGiven = false;
  const steps: LadderStep[] = order.map((id, i) => {
    if (needs[id]) return { id, title: TITLES[id], status: 'now', why: needs[id]! };
    if (i > reachedAt && !nextGiven && a.growth === 'fast') {
      nextGiven = true;
      return { id, title: TITLES[id], status: 'next', why: 'Fast growth: plan for this rung next.' };
    }
    return i > reachedAt
      ? { id, title: TITLES[id], status: 'later', why: 'Not needed at this size and rate.' }
      : { id, title: TITLES[id], status: 'not-needed', why: 'This workload can skip it.' };
  });
  return { reached, steps };
}
