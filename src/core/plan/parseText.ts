/**
 * Reads a plan pasted as text — psql's `EXPLAIN` / `EXPLAIN ANALYZE` output, with or without
 * the `QUERY PLAN` header, the `+` line continuations and the `(N rows)` footer — or as
 * `EXPLAIN (FORMAT JSON)` output, and returns the EXPLAIN JSON shape `buildPlanModel` reads.
 * The text format is turned back into the same keys PostgreSQL's JSON uses, so one model and
 * one viewer serve both.
 */

type Json = Record<string, unknown>;

export interface OpenedPlan {
  /** The EXPLAIN JSON (array with one object holding "Plan"). */
  plan: Json[];
  format: 'json' | 'text';
}

/** Detects JSON or text and parses it; throws an Error with a plain message for anything else. */
export function parsePlanInput(input: string): OpenedPlan {
  const text = input.replace(/^\uFEFF/, '').trim();
  if (!text) throw new Error('the plan is empty');
  if (text.startsWith('[') || text.startsWith('{')) {
    let v: unknown;
    try {
      v = JSON.parse(text);
    } catch (e) {
      throw new Error(`the plan looks like JSON but does not parse: ${(e as Error).message}`);
    }
    return { plan: normaliseJson(v), format: 'json' };
  }
  // psql's aligned output of FORMAT JSON: the JSON with a header and `+` continuations.
  const body = stripPsqlFrame(text.split(/\r?\n/));
  const joined = body.join('\n').trim();
  if (joined.startsWith('[') || joined.startsWith('{')) return parsePlanInput(joined);
  return { plan: [parseTextPlan(body)], format: 'text' };
}

function normaliseJson(v: unknown): Json[] {
  if (Array.isArray(v)) v = v[0];
  if (v && typeof v === 'object' && 'QUERY PLAN' in (v as Json)) return normaliseJson((v as Json)['QUERY PLAN']);
  if (v && typeof v === 'object' && 'Plan' in (v as Json)) return [v as Json];
  if (v && typeof v === 'object' && 'Node Type' in (v as Json)) return [{ Plan: v }];
  throw new Error('not an EXPLAIN (FORMAT JSON) plan: no "Plan" node found');
}

/** Drops psql's header (`QUERY PLAN`, `-----`), footer (`(12 rows)`) and `+` continuation marks. */
function stripPsqlFrame(lines: string[]): string[] {
  let out = lines.slice();
  const headerAt = out.findIndex((l) => /^\s*QUERY PLAN\s*$/.test(l));
  if (headerAt >= 0 && /^\s*-+\s*$/.test(out[headerAt + 1] ?? '')) out = out.slice(headerAt + 2);
  out = out.filter((l) => !/^\s*\(\d+ rows?\)\s*$/.test(l));
  // psql aligned output prefixes every line with one space and ends continued lines with ` +`.
  const framed = out.length > 0 && out.every((l) => l === '' || l.startsWith(' '));
  // trimEnd and endsWith, not /\s+\+$/: that regex backtracks quadratically on deeply indented lines.
  return out.map((l) => {
    let s = (framed ? l.slice(1) : l).trimEnd();
    if (s.endsWith(' +')) s = s.slice(0, -2).trimEnd();
    return s;
  });
}

const NODE_RE =
  /^(\s*)(->\s+)?(.*?)\s*(?:\(cost=(-?[\d.]+)\.\.(-?[\d.]+) rows=(\d+) width=(\d+)\))?\s*(?:\((?:actual (?:time=([\d.]+)\.\.([\d.]+) )?rows=([\d.]+) loops=(\d+)|(never executed))\))?$/;

interface Open {
  node: Json;
  /** Column where the node's text starts: its details sit further right. */
  col: number;
}

/** Parses psql's text plan lines into EXPLAIN JSON (the object holding "Plan"). */
export function parseTextPlan(lines: string[]): Json {
  const top: Json = {};
  const stack: Open[] = [];
  let pendingSub: { name: string; col: number } | undefined;
  let block: 'planning' | 'jit' | undefined;
  let lineNo = 0;
  for (const raw of lines) {
    lineNo++;
    if (!raw.trim()) continue;
    const indent = raw.length - raw.trimStart().length;
    const t = raw.trim();

    const isArrow = t.startsWith('->');
    const first = stack.length === 0 && !top['Plan'];
    if (isArrow || first) {
      const m = NODE_RE.exec(raw);
      if (!m || !m[3]) throw new Error(`line ${lineNo}: not a plan node: ${t}`);
      const col = indent + (m[2] ? m[2].length : 0);
      const node: Json = { ...parseLabel(m[3]) };
      if (m[4] !== undefined) {
        node['Startup Cost'] = Number(m[4]);
        node['Total Cost'] = Number(m[5]);
        node['Plan Rows'] = Number(m[6]);
        node['Plan Width'] = Number(m[7]);
      }
      if (m[10] !== undefined) {
        if (m[8] !== undefined) {
          node['Actual Startup Time'] = Number(m[8]);
          node['Actual Total Time'] = Number(m[9]);
        }
        node['Actual Rows'] = Number(m[10]);
        node['Actual Loops'] = Number(m[11]);
      } else if (m[12]) {
        node['Actual Loops'] = 0;
        node['Actual Rows'] = 0;
      }
      block = undefined;
      if (first) {
        top['Plan'] = node;
        stack.push({ node, col });
        continue;
      }
      // The parent is the nearest open node whose text starts left of this arrow.
      while (stack.length && stack[stack.length - 1].col >= indent) stack.pop();
      const parent = stack[stack.length - 1];
      if (!parent) throw new Error(`line ${lineNo}: a plan node is indented left of the root: ${t}`);
      if (pendingSub && pendingSub.col < indent) {
        node['Parent Relationship'] = /^CTE /.test(pendingSub.name) ? 'InitPlan' : pendingSub.name.startsWith('InitPlan') ? 'InitPlan' : 'SubPlan';
        node['Subplan Name'] = pendingSub.name;
      } else {
        const regular = ((parent.node.Plans as Json[] | undefined) ?? []).filter((c) => !c['Subplan Name']);
        node['Parent Relationship'] = regular.length === 0 ? 'Outer' : 'Inner';
      }
      pendingSub = undefined;
      ((parent.node.Plans as Json[]) ??= []).push(node);
      stack.push({ node, col });
      continue;
    }

    // Top-level lines after the tree.
    let m: RegExpExecArray | null;
    if ((m = /^Planning Time: ([\d.]+) ms$/.exec(t))) {
      top['Planning Time'] = Number(m[1]);
      continue;
    }
    if ((m = /^Execution Time: ([\d.]+) ms$/.exec(t))) {
      top['Execution Time'] = Number(m[1]);
      continue;
    }
    if (indent === 0 && /^(Planning|JIT):$/.test(t)) {
      block = t === 'JIT:' ? 'jit' : 'planning';
      if (block === 'jit') top['JIT'] = {};
      continue;
    }
    if ((m = /^Trigger (.+?)(?: on (\S+))?: time=([\d.]+) calls=(\d+)$/.exec(t))) {
      ((top['Triggers'] as Json[]) ??= []).push({ 'Trigger Name': m[1], ...(m[2] ? { Relation: m[2] } : {}), Time: Number(m[3]), Calls: Number(m[4]) });
      continue;
    }
    if (block === 'jit' && indent > 0) {
      const jit = top['JIT'] as Json;
      if ((m = /^Functions: (\d+)$/.exec(t))) jit['Functions'] = Number(m[1]);
      else if ((m = /^Timing: .*\bTotal ([\d.]+) ms/.exec(t))) jit['Timing'] = { Total: Number(m[1]) };
      continue;
    }
    if (block === 'planning' && indent > 0) continue;
    if (/^(InitPlan|SubPlan|CTE) \S/.test(t)) {
      // "InitPlan 1 (returns $0)" (PostgreSQL ≤ 16) and "InitPlan 1" (17+) name the same thing.
      pendingSub = { name: t.replace(/\s+\(returns .*\)$/, ''), col: indent };
      continue;
    }
    const open = [...stack].reverse().find((o) => o.col < indent);
    const dm = /^([A-Z][A-Za-z ]*?):\s+(.*)$/.exec(t);
    if (!open) throw new Error(`line ${lineNo}: expected a plan node or a detail under one, found: ${t}`);
    // Lines we do not read (e.g. "Worker 0: …" details) are skipped, not fatal.
    if (!dm) continue;
    addDetail(open.node, dm[1], dm[2]);
  }
  if (!top['Plan']) throw new Error('no plan node found in the text');
  return top;
}

/** Splits a comma-separated key list at top-level commas (not inside parentheses or quotes). */
function splitKeys(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote = false;
  let cur = '';
  for (const ch of s) {
    if (ch === "'") quote = !quote;
    else if (!quote && ch === '(') depth++;
    else if (!quote && ch === ')') depth--;
    if (ch === ',' && depth === 0 && !quote) {
      out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

const NUMERIC_DETAILS = new Set(['Rows Removed by Filter', 'Rows Removed by Join Filter', 'Rows Removed by Index Recheck', 'Heap Fetches', 'Workers Planned', 'Workers Launched']);

function addDetail(node: Json, key: string, value: string): void {
  let m: RegExpExecArray | null;
  if (key === 'Sort Key' || key === 'Group Key' || key === 'Presorted Key') {
    node[key] = splitKeys(value);
  } else if (NUMERIC_DETAILS.has(key) && /^\d+(\.\d+)?$/.test(value)) {
    node[key] = Number(value);
  } else if (key === 'Sort Method' && (m = /^(.+?)\s+(Memory|Disk): ([\d,]+)kB$/.exec(value))) {
    node['Sort Method'] = m[1];
    node['Sort Space Type'] = m[2];
    node['Sort Space Used'] = Number(m[3].replace(/,/g, ''));
  } else if (key === 'Buckets' || key === 'Batches') {
    // "Buckets: 1024  Batches: 1  Memory Usage: 9kB"
    const bm = /Batches: (\d+)/.exec(`${key}: ${value}`);
    if (bm) node['Hash Batches'] = Number(bm[1]);
    const bk = /Buckets: (\d+)/.exec(`${key}: ${value}`);
    if (bk) node['Hash Buckets'] = Number(bk[1]);
    const mu = /Memory Usage: (\d+)kB/.exec(value);
    if (mu) node['Peak Memory Usage'] = Number(mu[1]);
  } else if (key === 'Buffers') {
    for (const part of value.split(/,\s*/)) {
      const kind = /^(shared|local|temp)\b/.exec(part)?.[1];
      if (!kind) continue;
      const K = kind[0].toUpperCase() + kind.slice(1);
      for (const [, what, n] of part.matchAll(/(hit|read|dirtied|written)=(\d+)/g)) {
        node[`${K} ${what[0].toUpperCase() + what.slice(1)} Blocks`] = Number(n);
      }
    }
  } else if (key === 'Output') {
    node['Output'] = splitKeys(value);
  } else {
    node[key] = value;
  }
}

const JOIN_TYPES = ['Left', 'Right', 'Full', 'Semi', 'Anti', 'Right Semi', 'Right Anti'];

/** Turns "Index Only Scan using i on t x" back into Node Type, Index Name, Relation Name, Alias. */
export function parseLabel(label: string): Json {
  let s = label.trim();
  const out: Json = {};
  if (s.startsWith('Parallel ')) {
    out['Parallel Aware'] = true;
    s = s.slice('Parallel '.length);
  }
  let m: RegExpExecArray | null;
  const partial = /^(Partial|Finalize) (.*)$/.exec(s);
  if (partial && /Aggregate$/.test(partial[2])) {
    out['Partial Mode'] = partial[1];
    s = partial[2];
  }
  if ((m = /^(Hash|Merge) ((?:Right |Left |Full )?(?:Semi |Anti )?|(?:Left|Right|Full) )?Join$/.exec(s)) && m[2]) {
    out['Node Type'] = `${m[1]} Join`;
    out['Join Type'] = m[2].trim();
    return out;
  }
  if ((m = /^Nested Loop (.+) Join$/.exec(s)) && JOIN_TYPES.includes(m[1])) {
    out['Node Type'] = 'Nested Loop';
    out['Join Type'] = m[1];
    return out;
  }
  if (/^(Hash|Merge) Join$|^Nested Loop$/.test(s)) {
    out['Node Type'] = s;
    out['Join Type'] = 'Inner';
    return out;
  }
  if ((m = /^(Hash|Group|Mixed)?Aggregate$/.exec(s))) {
    out['Node Type'] = 'Aggregate';
    out['Strategy'] = m[1] === 'Hash' ? 'Hashed' : m[1] === 'Group' ? 'Sorted' : m[1] === 'Mixed' ? 'Mixed' : 'Plain';
    return out;
  }
  if ((m = /^(Hash)?SetOp (.+)$/.exec(s))) {
    out['Node Type'] = 'SetOp';
    out['Strategy'] = m[1] ? 'Hashed' : 'Sorted';
    out['Command'] = m[2];
    return out;
  }
  if ((m = /^(Insert|Update|Delete|Merge) on (\S+)(?: (\S+))?$/.exec(s))) {
    out['Node Type'] = 'ModifyTable';
    out['Operation'] = m[1];
    setRelation(out, m[2], m[3]);
    return out;
  }
  if ((m = /^Bitmap Index Scan on (\S+)$/.exec(s))) {
    out['Node Type'] = 'Bitmap Index Scan';
    out['Index Name'] = m[1];
    return out;
  }
  if ((m = /^(Index Scan|Index Only Scan)( Backward)? using (\S+) on (\S+)(?: (\S+))?$/.exec(s))) {
    out['Node Type'] = m[1];
    out['Scan Direction'] = m[2] ? 'Backward' : 'Forward';
    out['Index Name'] = m[3];
    setRelation(out, m[4], m[5]);
    return out;
  }
  if ((m = /^(CTE Scan|Function Scan|Subquery Scan|Values Scan|WorkTable Scan|Named Tuplestore Scan|Table Function Scan) on (\S+)(?: (\S+))?$/.exec(s))) {
    out['Node Type'] = m[1];
    if (m[1] === 'CTE Scan') out['CTE Name'] = m[2];
    else if (m[1] === 'Function Scan') out['Function Name'] = m[2];
    if (m[1] === 'Subquery Scan') out['Alias'] = m[2];
    else if (m[3]) out['Alias'] = m[3];
    return out;
  }
  if ((m = /^(.* Scan) on (\S+)(?: (\S+))?$/.exec(s))) {
    out['Node Type'] = m[1];
    setRelation(out, m[2], m[3]);
    return out;
  }
  out['Node Type'] = s;
  return out;
}

function setRelation(out: Json, qualified: string, alias: string | undefined): void {
  const dot = qualified.indexOf('.');
  const rel = dot > 0 ? qualified.slice(dot + 1) : qualified;
  if (dot > 0) out['Schema'] = qualified.slice(0, dot);
  out['Relation Name'] = rel;
  out['Alias'] = alias ?? rel;
}
