/**
 * The questionnaire: each workload question with its choices in plain words. The webview
 * renders controls from this table and the decision record quotes it, so labels live in
 * one place.
 */
import type { Answers, QueryPattern, QuestionId } from './types';

export interface Choice {
  value: string;
  label: string;
}

export interface Question {
  id: QuestionId;
  label: string;
  help: string;
  /** `one` renders as a single-choice control; `many` as a group of checkboxes. */
  kind: 'one' | 'many';
  choices: Choice[];
}

export const QUESTIONS: readonly Question[] = [
  {
    id: 'dataShape',
    label: 'Data shape',
    help: 'What most of the data looks like.',
    kind: 'one',
    choices: [
      { value: 'relational', label: 'Relational (entities linked by keys)' },
      { value: 'documents', label: 'Documents with varying fields' },
      { value: 'wide-time-ordered', label: 'Wide, time-ordered rows (events, metrics)' },
      { value: 'key-value', label: 'Key-value (get/put by key)' },
      { value: 'graph', label: 'Graph (many-to-many relationships)' },
    ],
  },
  {
    id: 'transactions',
    label: 'Transactions',
    help: 'Money, orders and inventory need several records to change together or not at all.',
    kind: 'one',
    choices: [
      { value: 'multi-record', label: 'Multi-record (money, orders, inventory)' },
      { value: 'single-record', label: 'Single record at a time' },
      { value: 'none', label: 'None (append or overwrite)' },
    ],
  },
  {
    id: 'readWriteMix',
    label: 'Read/write mix',
    help: 'Share of operations that read versus write.',
    kind: 'one',
    choices: [
      { value: 'read-heavy', label: 'Read-heavy (≥ 80 % reads)' },
      { value: 'balanced', label: 'Balanced' },
      { value: 'write-heavy', label: 'Write-heavy (≥ 50 % writes)' },
    ],
  },
  {
    id: 'writeRate',
    label: 'Peak write rate',
    help: 'Sustained writes per second at peak.',
    kind: 'one',
    choices: [
      { value: 'low', label: 'Under 1,000 / s' },
      { value: 'medium', label: '1,000 – 10,000 / s' },
      { value: 'high', label: '10,000 – 100,000 / s' },
      { value: 'very-high', label: 'Over 100,000 / s' },
    ],
  },
  {
    id: 'latency',
    label: 'Latency target',
    help: 'Typical response time the application needs from the database.',
    kind: 'one',
    choices: [
      { value: 'relaxed', label: 'Relaxed (100 ms or more is fine)' },
      { value: 'interactive', label: 'Interactive (single-digit milliseconds)' },
      { value: 'sub-ms', label: 'Sub-millisecond' },
    ],
  },
  {
    id: 'dataSize',
    label: 'Data size in two years',
    help: 'Including indexes, before replication.',
    kind: 'one',
    choices: [
      { value: 'small', label: 'Under 100 GB' },
      { value: 'large', label: '100 GB – 5 TB (one big machine)' },
      { value: 'huge', label: 'Beyond one machine (> 5 TB)' },
    ],
  },
  {
    id: 'growth',
    label: 'Growth',
    help: 'How fast data and traffic grow.',
    kind: 'one',
    choices: [
      { value: 'steady', label: 'Steady' },
      { value: 'fast', label: 'Fast (doubling within a year)' },
    ],
  },
  {
    id: 'patterns',
    label: 'Query patterns',
    help: 'Tick every pattern the application relies on.',
    kind: 'many',
    choices: [
      { value: 'joins', label: 'Joins across entities' },
      { value: 'full-text', label: 'Full-text search' },
      { value: 'graph-traversal', label: 'Graph traversal (friends of friends, paths)' },
      { value: 'time-range', label: 'Time-range scans and downsampling' },
      { value: 'aggregations', label: 'Large aggregations (analytics)' },
      { value: 'key-lookup', label: 'Lookups by key' },
    ],
  },
  {
    id: 'distribution',
    label: 'Global distribution',
    help: 'Where users are and where they write.',
    kind: 'one',
    choices: [
      { value: 'single-region', label: 'One region' },
      { value: 'multi-region-reads', label: 'Several regions read, one writes' },
      { value: 'multi-region-writes', label: 'Several regions write' },
    ],
  },
  {
    id: 'partition',
    label: 'During a network partition',
    help: 'When replicas cannot talk to each other, the system must choose (CAP).',
    kind: 'one',
    choices: [
      { value: 'refuse', label: 'Refuse requests rather than risk inconsistency (CP)' },
      { value: 'serve-stale', label: 'Keep serving, possibly stale data (AP)' },
    ],
  },
];

/** PostgreSQL-friendly defaults: a typical web application's workload. */
export const DEFAULT_ANSWERS: Readonly<Answers> = Object.freeze({
  dataShape: 'relational',
  transactions: 'single-record',
  readWriteMix: 'read-heavy',
  writeRate: 'low',
  latency: 'interactive',
  dataSize: 'small',
  growth: 'steady',
  patterns: ['joins', 'key-lookup'] as QueryPattern[],
  distribution: 'single-region',
  partition: 'refuse',
});

/** The label of a choice, for messages and the decision record. */
export function choiceLabel(question: QuestionId, value: string): string {
  const q = QUESTIONS.find((x) => x.id === question);
  return q?.choices.find((c) => c.value === value)?.label ?? value;
}

/**
 * Coerces untrusted input (persisted state, webview messages) into valid answers: unknown
 * fields and values fall back to the defaults, so a stale or tampered state never breaks ranking.
 */
export function normaliseAnswers(input: unknown, base: Answers = DEFAULT_ANSWERS): Answers {
  const src = (input && typeof input === 'object' ? input : {}) as Record<string, unknown>;
  const out: Record<string, unknown> = { ...base, patterns: [...base.patterns] };
  for (const q of QUESTIONS) {
    const v = src[q.id];
    const allowed = new Set(q.choices.map((c) => c.value));
    if (q.kind === 'one') {
      if (typeof v === 'string' && allowed.has(v)) out[q.id] = v;
    } else if (Array.isArray(v)) {
      // Keep the questionnaire's order so equal answers compare equal.
      out[q.id] = q.choices.map((c) => c.value).filter((c) => v.includes(c));
    }
  }
  return out as unknown as Answers;
}

/** The answers a questionnaire starts from: defaults overlaid with what the workspace suggests. */
export function prefilledAnswers(signals: { answers: Partial<Answers> }): Answers {
  return normaliseAnswers({ ...DEFAULT_ANSWERS, ...signals.answers });
}
