/** Entry point of the selection model: answers in, the full recommendation out. */
import { scalingLadder } from './ladder';
import { normaliseAnswers } from './questions';
import { rankDatabases, tippingNeeds } from './rank';
import { recommendReplication } from './replication';
import { recommendSharding } from './sharding';
import type { Answers, RankedDatabase, SelectionAdvice, TippingNeed } from './types';

export interface AdviseOptions {
  /** A shard key the workspace suggests (e.g. `tenant_id`, shared by most tables). */
  shardKeyHint?: string;
}

/** Ranks the databases and derives replication, sharding and scaling-ladder advice. */
export function adviseSelection(answers: Answers, options: AdviseOptions = {}): SelectionAdvice {
  const a = normaliseAnswers(answers);
  const ranking = rankDatabases(a);
  const winner = ranking[0];
  const postgres = ranking.find((r) => r.id === 'postgresql')!;
  const tippedBy = tippingNeeds(winner, postgres, a);
  return {
    ranking,
    winner,
    tippedBy,
    verdict: verdict(winner, postgres, ranking, tippedBy),
    replication: recommendReplication(a, winner.id),
    sharding: recommendSharding(a, winner.id, options.shardKeyHint),
    ladder: scalingLadder(a),
  };
}

function verdict(winner: RankedDatabase, postgres: RankedDatabase, ranking: RankedDatabase[], tipped: TippingNeed[]): string {
  const pairing = winner.pairWith.length ? ` Pair it with ${winner.pairWith[0]}.` : '';
  if (winner.id === 'postgresql') {
    const runnerUp = ranking[1];
    const edge = runnerUp.reasonsFor[0];
    return (
      `PostgreSQL: no need in this workload outweighs the default. ${postgres.reasonsFor[0]?.text ?? ''}` +
      ` Closest alternative: ${runnerUp.name} (${runnerUp.score} vs ${winner.score})${edge ? `, for: ${lowerFirst(edge.text)}` : '.'}` +
      pairing
    ).replace(/\s+/g, ' ').trim();
  }
  const top = tipped.slice(0, 2).map((t) => t.need);
  const needs = top.length === 2 ? `${top[0]} and ${top[1]}` : top[0] ?? 'the workload as a whole';
  return (
    `${winner.name} over PostgreSQL (${winner.score} vs ${postgres.score}): ${needs} tipped it. ` +
    `${winner.reasonsFor[0]?.text ?? ''}${pairing}`
  ).replace(/\s+/g, ' ').trim();
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}
