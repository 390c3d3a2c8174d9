/**
 * The few facts the advisor reads from an EXPLAIN (FORMAT JSON) element: does the plan use a
 * given index, what are its top nodes in words, and how does it reach a table.
 */

type PlanNode = Record<string, unknown>;

function rootOf(explain: Record<string, unknown>): PlanNode | undefined {
  const p = (explain && (explain['Plan'] as PlanNode)) ?? undefined;
  return p && typeof p === 'object' ? p : undefined;
}

function children(node: PlanNode): PlanNode[] {
  const c = node['Plans'];
  return Array.isArray(c) ? (c as PlanNode[]) : [];
}

function* walk(node: PlanNode | undefined, depth = 0): Generator<PlanNode> {
  if (!node || depth > 200) return;
  yield node;
  for (const c of children(node)) yield* walk(c, depth + 1);
}

/** True when any node of the plan reads the named index. */
export function planUsesIndex(explain: Record<string, unknown>, indexName: string): boolean {
  const want = indexName.toLowerCase();
  for (const n of walk(rootOf(explain))) {
    if (typeof n['Index Name'] === 'string' && (n['Index Name'] as string).toLowerCase() === want) return true;
  }
  return false;
}

/** One node in words: "Index Only Scan using orders_x_idx on orders". */
export function describeNode(n: PlanNode): string {
  let s = String(n['Node Type'] ?? '?');
  if (typeof n['Index Name'] === 'string') s += ` using ${n['Index Name']}`;
  if (typeof n['Relation Name'] === 'string') s += ` on ${n['Relation Name']}`;
  return s;
}

/**
 * The top of the plan in words, e.g. "Limit → Sort → Seq Scan on orders", followed by how
 * `table` is read when that is not already in the chain.
 */
export function describePlan(explain: Record<string, unknown>, table?: string): string {
  const root = rootOf(explain);
  if (!root) return '';
  const chain: string[] = [];
  let node: PlanNode | undefined = root;
  let sawTable = false;
  while (node && chain.length < 4) {
    chain.push(describeNode(node));
    if (table && node['Relation Name'] === table) sawTable = true;
    const next: PlanNode[] = children(node);
    node = next.length === 1 ? next[0] : undefined;
    if (next.length > 1) {
      chain.push(`(${next.length} inputs)`);
      break;
    }
  }
  let text = chain.join(' → ');
  if (table && !sawTable) {
    const scan = [...walk(root)].find((n) => n['Relation Name'] === table);
    if (scan) text += `; ${describeNode(scan)}`;
  }
  return text;
}

/** The node that reads `table` (first found), for row estimates in explanations. */
export function scanOf(explain: Record<string, unknown>, table: string): PlanNode | undefined {
  return [...walk(rootOf(explain))].find((n) => n['Relation Name'] === table);
}
