/**
 * MySQL's facts about a plan step in MySQL's own words (access type, key, rows examined,
 * filtered, Using index/filesort/temporary), shared by the graph's node boxes, the node
 * details and the "All fields" table, so a MySQL user reads the vocabulary of their EXPLAIN.
 */
import type { MysqlNodeFacts } from './model';
import { formatCount } from './describe';

/** MySQL's "Extra" flags that this step has, as EXPLAIN prints them. */
export function mysqlExtra(m: MysqlNodeFacts): string[] {
  const out: string[] = [];
  if (m.usingIndex) out.push('Using index');
  if (m.usingFilesort) out.push('Using filesort');
  if (m.usingTemporary) out.push('Using temporary');
  return out;
}

/** Label/value rows in EXPLAIN's column order; only the facts MySQL gave for this step. */
export function mysqlFactRows(m: MysqlNodeFacts): [string, string][] {
  const rows: [string, string | undefined][] = [
    ['Access type', m.accessType],
    ['Key', m.key ?? (m.accessType ? '(none)' : undefined)],
    ['Possible keys', m.possibleKeys?.length ? m.possibleKeys.join(', ') : undefined],
    ['Key parts used', m.usedKeyParts?.length ? m.usedKeyParts.join(', ') : undefined],
    ['Ref', m.ref?.length ? m.ref.join(', ') : undefined],
    ['Rows examined per scan', m.rowsExamined !== undefined ? formatCount(m.rowsExamined) : undefined],
    ['Filtered', m.filtered !== undefined ? `${formatPercent(m.filtered)}%` : undefined],
    ['Extra', mysqlExtra(m).join('; ') || undefined],
  ];
  return rows.filter((r): r is [string, string] => r[1] !== undefined);
}

/**
 * One short line for a node box: `ALL · 20,000 examined · 10% filtered · key idx` for a table,
 * the "Using …" flags for an operation; undefined when MySQL said nothing about the step.
 */
export function mysqlBoxLine(m: MysqlNodeFacts): string | undefined {
  const parts: string[] = [];
  if (m.accessType) {
    parts.push(m.accessType);
    if (m.rowsExamined !== undefined) parts.push(`${formatCount(m.rowsExamined)} examined`);
    if (m.filtered !== undefined && m.filtered < 100) parts.push(`${formatPercent(m.filtered)}% filtered`);
  }
  parts.push(...mysqlExtra(m));
  if (m.accessType && m.key) parts.push(`key ${m.key}`);
  return parts.length ? parts.join(' · ') : undefined;
}

function formatPercent(p: number): string {
  return p >= 10 || p === 0 ? String(Math.round(p)) : p.toFixed(1).replace(/\.0$/, '');
}
