/** A small collector the database modules use to write their reasons as a readable list. */
import type { Answers, Contribution, Factor, QueryPattern } from '../types';

export class Reasons {
  readonly list: Contribution[] = [];

  /** Records a reason; positive points argue for the database, negative against. */
  add(factor: Factor, points: number, text: string): this {
    this.list.push({ factor, points, text });
    return this;
  }
}

/** Whether the workload relies on a query pattern. */
export function uses(a: Answers, pattern: QueryPattern): boolean {
  return a.patterns.includes(pattern);
}
