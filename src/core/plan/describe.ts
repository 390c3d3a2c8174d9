/**
 * How PostgreSQL names a plan node in its text format (`Hash Left Join`, `HashAggregate`,
 * `Index Only Scan using users_email_key on users u`), shared by the model's labels, the
 * text renderer and the webview so all three read the same.
 */

interface NodeNaming {
  nodeType: string;
  relation?: string;
  schema?: string;
  alias?: string;
  index?: string;
  joinType?: string;
  strategy?: string;
}

/** The one-line node description PostgreSQL's text format prints. */
export function describeNode(n: NodeNaming, raw: Record<string, unknown> = {}): string {
  let name = n.nodeType;
  const partial = typeof raw['Partial Mode'] === 'string' && raw['Partial Mode'] !== 'Simple' ? `${raw['Partial Mode']} ` : '';
  if (n.nodeType === 'Aggregate') {
    const s = n.strategy;
    name = s === 'Hashed' ? 'HashAggregate' : s === 'Sorted' ? 'GroupAggregate' : s === 'Mixed' ? 'MixedAggregate' : 'Aggregate';
    name = partial + name;
  } else if (n.nodeType === 'SetOp') {
    name = n.strategy === 'Hashed' ? 'HashSetOp' : 'SetOp';
  } else if (n.joinType && n.joinType !== 'Inner' && /Join|Nested Loop/.test(n.nodeType)) {
    name = n.nodeType === 'Nested Loop' ? `Nested Loop ${n.joinType} Join` : n.nodeType.replace(/ Join$/, ` ${n.joinType} Join`);
  } else if (n.nodeType === 'ModifyTable' && typeof raw['Operation'] === 'string') {
    name = raw['Operation'] as string;
  }
  if (raw['Parallel Aware'] === true) name = `Parallel ${name}`;
  if (n.index && /Index/.test(n.nodeType)) {
    if (raw['Scan Direction'] === 'Backward') name += ' Backward';
    name += n.nodeType === 'Bitmap Index Scan' ? ` on ${n.index}` : ` using ${n.index}`;
  }
  const target = n.relation ?? (raw['CTE Name'] as string | undefined) ?? (raw['Function Name'] as string | undefined) ?? undefined;
  if (target && n.nodeType !== 'Bitmap Index Scan') {
    name += ` on ${target}`;
    if (n.alias && n.alias !== target) name += ` ${n.alias}`;
  } else if (!target && n.alias && n.nodeType === 'Subquery Scan') {
    name += ` on ${n.alias}`;
  }
  return name;
}

/** One formatter for all counts: `toLocaleString` builds a new one per call, which dominates on large plans. */
const COUNT_FORMAT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

/** 1234567 → "1,234,567"; fractional counts keep one decimal. */
export function formatCount(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const rounded = Math.abs(v) >= 100 || Number.isInteger(v) ? Math.round(v) : Math.round(v * 10) / 10;
  return COUNT_FORMAT.format(rounded);
}

/** Milliseconds with sensible precision ("0.042 ms", "12.3 ms", "1,204 ms"). */
export function formatMs(v: number): string {
  if (v < 1) return `${v.toFixed(3)} ms`;
  if (v < 100) return `${v.toFixed(1)} ms`;
  return `${COUNT_FORMAT.format(Math.round(v))} ms`;
}
