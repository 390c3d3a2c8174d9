/**
 * n-plus-one: a database call inside a loop or a per-item callback, directly or through one
 * local function, sends one query per item where one batched query would do.
 * A source rule (it reads TS/JS, not SQL): same metadata shape as the SQL rules, registered
 * with the rule registry so docs and settings list it. The analysis lives in
 * src/core/embedded/nPlusOne.ts and is loaded on first check, so that importing this file for
 * its metadata (docs, settings, activation) does not load the TypeScript compiler.
 */
import type * as ts from 'typescript';
import { registerRuleMeta } from './index';
import type { Finding, RuleMeta } from './types';

/** A rule that checks a parsed TS/JS source file rather than a SQL statement. */
export interface SourceRule extends RuleMeta {
  kind: 'source';
  /**
   * Returns findings with offsets into the source file's text; a finding may carry its own
   * `info` severity (a loop over a literal list of a few items).
   */
  check(sf: ts.SourceFile, ctx?: SourceRuleContext): (Omit<Finding, 'severity' | 'ruleId'> & { severity?: 'info' })[];
}

/** What a source rule may know beyond the file: calls to project functions that query. */
export interface SourceRuleContext {
  queryingLabel?(ref: { root: string; members: string[] }): string | undefined;
  /** Receiver origins from the type checker, for a tree that belongs to a Program (see embedded/typeReceivers.ts). */
  receiverTypes?(expr: ts.Expression): 'db' | 'other' | 'unknown';
}

export const nPlusOne: SourceRule = {
  kind: 'source',
  id: 'n-plus-one',
  description: 'A database query or ORM call inside a loop or per-item callback runs once per item.',
  rationale:
    'Each iteration pays a full round trip and a separate plan/execute, so 1,000 items cost 1,000 queries ' +
    'where one query with an IN list / `= ANY($1)` — served by a single index scan — or a JOIN would do. ' +
    '`Promise.all(items.map(…))` runs them concurrently but still sends one query per item — except Prisma ' +
    '`findUnique`/`findUniqueOrThrow` issued in the same tick, which Prisma batches into one query (not reported). ' +
    'Not N+1 either: batch/drain loops that fetch a page per pass and stop on a short or empty page, and retry ' +
    'loops that stop on success. A query whose arguments do not change in the loop is reported as one to hoist; ' +
    'a walk up a parent chain as one recursive CTE; a loop over a literal list of at most three items at info. ' +
    'Method calls count only when their receiver can be a database value (a client, model, repository, ' +
    'transaction or a row a query returned): `pdfDoc.save()` or `el.remove()` are not queries. In tests, seeds ' +
    'and migrations (`sqlPlanAdvisor.nPlusOne.relaxedGlobs`) findings are info.',
  defaultSeverity: 'warning',
  needsSchema: false,
  examples: {
    bad: [
      'for (const order of orders) {\n  order.customer = await prisma.customer.findUnique({ where: { id: order.customerId } });\n}',
      'await Promise.all(ids.map((id) => pool.query(\'SELECT * FROM users WHERE id = $1\', [id])));',
      'for (const order of orders) {\n  const items = await order.getItems();\n}',
    ],
    good: [
      'const customers = await prisma.customer.findMany({ where: { id: { in: orders.map((o) => o.customerId) } } });',
      'await pool.query(\'SELECT * FROM users WHERE id = ANY($1)\', [ids]);',
      'const orders = await Order.findAll({ include: [Item] });',
    ],
  },
  fix: 'Batch: one query with `WHERE id = ANY($1)` / `IN (…)`, `findMany({ where: { id: { in: ids } } })`, or eager loading (`include`, `relations`, `populate`).',
  check(sf, ctx) {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const { findNPlusOne } = require('../embedded/nPlusOne') as typeof import('../embedded/nPlusOne');
    return findNPlusOne(sf, ctx);
  },
};

registerRuleMeta(nPlusOne);
