/**
 * The details of one plan node: what it is, our warnings, the filter with the rows it threw
 * away, links to the table's and index's definitions, and every field the source printed for
 * it (PostgreSQL's EXPLAIN keys, or another server's), whatever they are.
 */
import { misestimate } from '../../src/core/plan/metrics';
import type { PlanNode } from '../../src/core/plan/model';
import { mysqlFactRows } from '../../src/core/plan/mysqlFacts';
import { count, el, ms } from './dom';
import type { PlanView, WebviewToHost } from './protocol';

/** Renders the details panel for `n`. */
export function nodeDetails(n: PlanNode, view: PlanView, post: (m: WebviewToHost) => void): HTMLElement {
  const box = el('section', 'details-panel');
  box.setAttribute('aria-label', `Details of ${n.label}`);
  box.append(el('h2', undefined, n.subplanName ? `${n.subplanName}: ${n.label}` : n.label));

  const links = el('div', 'def-links');
  const defs = view.definitions;
  const link = (kind: 'table' | 'index', name: string) => {
    const a = el('a', undefined, `${kind === 'table' ? 'Table' : 'Index'} ${name} — go to definition`);
    a.href = '#';
    a.addEventListener('click', (e) => {
      e.preventDefault();
      post({ type: 'openDefinition', kind, name });
    });
    links.append(a);
  };
  if (n.relation && defs?.tables.includes(n.relation)) link('table', n.relation);
  if (n.index && defs?.indexes.includes(n.index)) link('index', n.index);
  if (links.childElementCount) box.append(links);

  for (const w of n.warnings) box.append(el('div', 'node-warning', w));

  const facts: [string, string | undefined][] = [
    ['Cost', `${n.startupCost.toFixed(2)}..${n.totalCost.toFixed(2)} (own ${n.exclusiveCost.toFixed(2)})`],
    ['Rows', n.actualRows !== undefined ? `${count(n.actualRows)} actual × ${count(n.actualLoops ?? 1)} loops, ${count(n.planRows)} estimated` : `${count(n.planRows)} estimated`],
    ['Estimate', (() => {
      const f = misestimate(n);
      if (f === undefined || f < 1.05) return undefined;
      return `${(n.actualRows ?? 0) > n.planRows ? 'under' : 'over'}-estimated ${f >= 10 ? Math.round(f) : f.toFixed(1)}×`;
    })()],
    ['Time', n.actualTotalTime !== undefined ? `${ms(n.actualStartupTime ?? 0)} .. ${ms(n.actualTotalTime)} per loop (own ${ms(n.exclusiveTime ?? 0)} in total)` : undefined],
    ['Filter', n.filter],
    ['Rows removed by filter', n.rowsRemovedByFilter !== undefined ? `${count(n.rowsRemovedByFilter * (n.actualLoops || 1))}${removedShare(n)}` : undefined],
    ['Join filter', n.joinFilter],
    ['Rows removed by join filter', n.rowsRemovedByJoinFilter !== undefined ? count(n.rowsRemovedByJoinFilter) : undefined],
  ];
  // A MySQL step: its facts by EXPLAIN's names (access type, key, rows examined, filtered, Extra).
  if (n.mysql) facts.splice(2, 0, ...mysqlFactRows(n.mysql));
  const dl = el('dl', 'props');
  for (const [k, v] of facts) if (v !== undefined) dl.append(el('dt', undefined, k), el('dd', 'code-inline', v));
  box.append(dl);

  const all = el('details', 'all-fields');
  all.open = true;
  all.append(el('summary', undefined, 'All fields'));
  const table = el('table', 'fields');
  const fields = n.fields ?? {};
  for (const [k, v] of Object.entries(fields)) {
    const tr = el('tr');
    tr.append(el('th', undefined, k), el('td', 'code-inline', fieldText(v)));
    table.append(tr);
  }
  all.append(table);
  if (Object.keys(fields).length) box.append(all);
  return box;
}

function removedShare(n: PlanNode): string {
  const removed = n.rowsRemovedByFilter ?? 0;
  const kept = n.actualRows ?? 0;
  if (removed + kept === 0) return '';
  return ` (${Math.round((removed / (removed + kept)) * 100)}% of the rows read)`;
}

function fieldText(v: unknown): string {
  if (Array.isArray(v)) return v.map(fieldText).join(', ');
  if (v && typeof v === 'object') return JSON.stringify(v);
  return String(v);
}
