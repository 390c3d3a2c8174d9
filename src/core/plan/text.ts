/**
 * Renders the plan model in PostgreSQL's classic text format (what `EXPLAIN` prints in psql),
 * for the CLI, the webview's "Text" tab and copy-paste into reviews.
 */
import type { PlanModel, PlanNode } from './model';

/** The whole plan as PostgreSQL's text EXPLAIN output, one line per entry, no trailing newline. */
export function renderPlanText(model: PlanModel): string {
  const lines: string[] = [];
  renderNode(model.root, 0, false, lines, model.analyzed);
  if (model.planningTime !== undefined) lines.push(`Planning Time: ${model.planningTime.toFixed(3)} ms`);
  if (model.executionTime !== undefined) lines.push(`Execution Time: ${model.executionTime.toFixed(3)} ms`);
  return lines.join('\n');
}

/**
 * PostgreSQL's layout: the root's text starts at column 0; a child's `->  ` arrow starts two
 * columns past its parent's text, so its text is six columns in; details sit two columns past
 * the node's text. An InitPlan/SubPlan first prints its name where the arrow would go, then
 * the arrow two columns further.
 */
function renderNode(n: PlanNode, parentCol: number, isChild: boolean, lines: string[], analyzed: boolean): void {
  const sub = isChild && !!n.subplanName;
  if (sub) lines.push(' '.repeat(parentCol + 2) + n.subplanName);
  const arrowCol = parentCol + 2 + (sub ? 2 : 0);
  const textCol = isChild ? arrowCol + 4 : 0;
  const detail = ' '.repeat(textCol + 2);
  const prefix = isChild ? ' '.repeat(arrowCol) + '->  ' : '';
  let head = `${prefix}${n.label}  (cost=${n.startupCost.toFixed(2)}..${n.totalCost.toFixed(2)} rows=${Math.round(n.planRows)} width=${n.planWidth})`;
  if (analyzed) {
    head += n.actualLoops === 0 || n.actualTotalTime === undefined
      ? ' (never executed)'
      : ` (actual time=${n.actualStartupTime!.toFixed(3)}..${n.actualTotalTime.toFixed(3)} rows=${formatRows(n.actualRows ?? 0)} loops=${n.actualLoops})`;
  }
  lines.push(head);
  const add = (label: string, value: string | undefined) => {
    if (value !== undefined) lines.push(`${detail}${label}: ${value}`);
  };
  add('Sort Key', n.sortKey?.join(', '));
  add('Group Key', n.groupKey?.join(', '));
  add('Index Cond', n.indexCond);
  add('Recheck Cond', n.recheckCond);
  add('Hash Cond', n.hashCond);
  add('Merge Cond', n.mergeCond);
  add('Join Filter', n.joinFilter);
  if (n.rowsRemovedByJoinFilter !== undefined) add('Rows Removed by Join Filter', String(n.rowsRemovedByJoinFilter));
  add('Filter', n.filter);
  if (n.rowsRemovedByFilter !== undefined) add('Rows Removed by Filter', String(n.rowsRemovedByFilter));
  if (n.rowsRemovedByIndexRecheck !== undefined) add('Rows Removed by Index Recheck', String(n.rowsRemovedByIndexRecheck));
  if (n.heapFetches !== undefined) add('Heap Fetches', String(n.heapFetches));
  if (n.sortMethod) lines.push(`${detail}Sort Method: ${n.sortMethod}  ${n.sortSpaceType === 'Disk' ? 'Disk' : 'Memory'}: ${n.sortSpaceUsed ?? 0}kB`);
  if (n.hashBatches !== undefined && n.hashBatches > 1) add('Batches', String(n.hashBatches));
  if (n.buffers) {
    const b = n.buffers;
    const parts: string[] = [];
    const shared = [b.sharedHit && `hit=${b.sharedHit}`, b.sharedRead && `read=${b.sharedRead}`, b.sharedDirtied && `dirtied=${b.sharedDirtied}`, b.sharedWritten && `written=${b.sharedWritten}`].filter(Boolean);
    if (shared.length) parts.push(`shared ${shared.join(' ')}`);
    const temp = [b.tempRead && `read=${b.tempRead}`, b.tempWritten && `written=${b.tempWritten}`].filter(Boolean);
    if (temp.length) parts.push(`temp ${temp.join(' ')}`);
    if (parts.length) add('Buffers', parts.join(', '));
  }
  for (const c of n.children) renderNode(c, textCol, true, lines, analyzed);
}

/** Actual rows are per-loop averages; PostgreSQL 18 prints two decimals when they are fractional. */
function formatRows(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(2);
}
