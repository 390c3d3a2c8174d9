/**
 * The decision model: every database judges the workload (its module lists reasons with
 * points), scores are summed from a common base, and the list is ranked. When something other
 * than PostgreSQL wins, the needs on which it out-scored PostgreSQL are named: that is what
 * tipped the decision.
 */
import { DATABASES } from './databases';
import type { Answers, Contribution, Factor, RankedDatabase, TippingNeed } from './types';

/** Every database starts here; reasons move it up or down. */
const BASE_SCORE = 50;

/** Scores and ranks all databases for the answers, best first (ties keep PostgreSQL first). */
export function rankDatabases(a: Answers): RankedDatabase[] {
  const scored = DATABASES.map((db, order) => {
    const reasons = db.assess(a);
    const score = BASE_SCORE + reasons.reduce((s, c) => s + c.points, 0);
    return { db, order, reasons, score };
  });
  scored.sort((x, y) => y.score - x.score || x.order - y.order);
  return scored.map(({ db, reasons, score }, i) => ({
    id: db.profile.id,
    name: db.profile.name,
    score,
    rank: i + 1,
    reasonsFor: strongestFirst(reasons.filter((c) => c.points > 0)),
    reasonsAgainst: strongestFirst(reasons.filter((c) => c.points < 0)),
    cap: db.profile.cap,
    capNote: db.profile.capNote,
    guarantees: db.profile.guarantees,
    guaranteesNote: db.profile.guaranteesNote,
    pairWith: db.pairWith(a),
  }));
}

function strongestFirst(list: Contribution[]): Contribution[] {
  return [...list].sort((x, y) => Math.abs(y.points) - Math.abs(x.points));
}

/**
 * The needs on which `winner` out-scored PostgreSQL, biggest gap first. Only needs the workload
 * actually states count (not `default`/`fit`), so the answer reads as "sub-millisecond latency
 * tipped it", never "PostgreSQL's default bonus was too small".
 */
export function tippingNeeds(winner: RankedDatabase, postgres: RankedDatabase, a: Answers): TippingNeed[] {
  if (winner.id === postgres.id) return [];
  const byFactor = (r: RankedDatabase) => {
    const m = new Map<Factor, number>();
    for (const c of [...r.reasonsFor, ...r.reasonsAgainst]) m.set(c.factor, (m.get(c.factor) ?? 0) + c.points);
    return m;
  };
  const w = byFactor(winner);
  const p = byFactor(postgres);
  const factors = new Set<Factor>([...w.keys(), ...p.keys()]);
  const out: TippingNeed[] = [];
  for (const f of factors) {
    if (f === 'default' || f === 'fit') continue;
    const delta = (w.get(f) ?? 0) - (p.get(f) ?? 0);
    if (delta > 0) out.push({ factor: f, need: needLabel(f, a), delta });
  }
  out.sort((x, y) => y.delta - x.delta);
  return out;
}

const PATTERN_NEEDS: Record<string, string> = {
  joins: 'joins across entities',
  'full-text': 'full-text search',
  'graph-traversal': 'graph traversal',
  'time-range': 'time-range scans and downsampling',
  aggregations: 'large aggregations',
  'key-lookup': 'lookups by key',
};

const SHAPE_NEEDS: Record<Answers['dataShape'], string> = {
  relational: 'relational data',
  documents: 'documents with varying fields',
  'wide-time-ordered': 'wide, time-ordered rows',
  'key-value': 'key-value access',
  graph: 'graph-shaped data',
};

const WRITE_RATE_NEEDS: Record<Answers['writeRate'], string> = {
  low: 'a low write rate',
  medium: '1,000–10,000 writes/s',
  high: '10,000–100,000 writes/s',
  'very-high': 'a write rate over 100,000/s',
};

/** A need in plain words, as the answers state it ("a write rate over 100,000/s"). */
export function needLabel(f: Factor, a: Answers): string {
  if (f.startsWith('pattern:')) return PATTERN_NEEDS[f.slice('pattern:'.length)] ?? f;
  switch (f) {
    case 'dataShape': return SHAPE_NEEDS[a.dataShape];
    case 'transactions': return a.transactions === 'multi-record' ? 'multi-record transactions' : a.transactions === 'single-record' ? 'single-record atomic updates' : 'no transactional needs';
    case 'readWriteMix': return `a ${a.readWriteMix} workload`;
    case 'writeRate': return WRITE_RATE_NEEDS[a.writeRate];
    case 'latency': return a.latency === 'sub-ms' ? 'sub-millisecond latency' : a.latency === 'interactive' ? 'single-digit-millisecond latency' : 'relaxed latency';
    case 'dataSize': return a.dataSize === 'huge' ? 'data beyond one machine' : a.dataSize === 'large' ? 'data of 100 GB – 5 TB' : 'data under 100 GB';
    case 'growth': return `${a.growth} growth`;
    case 'distribution': return a.distribution === 'multi-region-writes' ? 'writes in several regions' : a.distribution === 'multi-region-reads' ? 'reads in several regions' : 'a single region';
    case 'partition': return a.partition === 'serve-stale' ? 'staying available during a partition (serving stale data)' : 'refusing requests rather than diverging during a partition';
    default: return f;
  }
}
