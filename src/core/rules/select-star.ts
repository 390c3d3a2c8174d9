/**
 * select-star: `SELECT *` and `SELECT t.*`, in subqueries and CTEs too. Reading every column
 * defeats covering (index-only) scans and ships data nobody asked for.
 *
 * Deliberately NOT flagged: `count(*)` (no columns are read), and `EXISTS (SELECT * …)` /
 * `NOT EXISTS (SELECT * …)`: the select list of an EXISTS subquery is never evaluated, so the
 * star costs nothing there and `SELECT 1` would only be a matter of taste.
 */
import { Locator, queryBlocks, type QueryBlock } from '../sql/ast';
import type { Token } from '../sql/tokens';
import { quoteIdent } from '../schema/indexes';
import type { Finding, Fix, SqlRule, SqlRuleContext } from './types';

/** Words that end a select list at its own parenthesis depth. */
const LIST_END = new Set(['from', 'into', 'where', 'group', 'having', 'order', 'limit', 'offset', 'union', 'except', 'intersect', 'window', 'fetch', 'for', 'returning']);

interface StarSite {
  /** Range of the `*` or `t.*` item. */
  start: number;
  end: number;
  /** The qualifier of `t.*`, if any. */
  qualifier?: string;
  /** Index of the SELECT keyword among all SELECT keywords of the statement. */
  selectIndex: number;
  /** True when this SELECT is the subquery of EXISTS. */
  inExists: boolean;
}

/** Finds every `*` / `t.*` select-list item by scanning tokens (the parser gives them no location). */
function findStars(tokens: Token[]): StarSite[] {
  const sites: StarSite[] = [];
  let selectIndex = -1;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind !== 'word' || t.value !== 'select') continue;
    selectIndex++;
    const inExists = tokens[i - 1]?.text === '(' && tokens[i - 2]?.kind === 'word' && tokens[i - 2].value === 'exists';
    let j = i + 1;
    if (tokens[j]?.kind === 'word' && (tokens[j].value === 'distinct' || tokens[j].value === 'all')) {
      j++;
      if (tokens[j - 1].value === 'distinct' && tokens[j]?.value === 'on' && tokens[j + 1]?.text === '(') {
        let depth = 0;
        for (j = j + 1; j < tokens.length; j++) {
          if (tokens[j].text === '(') depth++;
          else if (tokens[j].text === ')' && --depth === 0) break;
        }
        j++;
      }
    }
    // Walk the select list at depth 0, item by item.
    let depth = 0;
    let itemStart = j;
    for (; j <= tokens.length; j++) {
      const x = tokens[j];
      const atEnd = !x || (depth === 0 && (x.text === ',' || x.text === ')' || (x.kind === 'word' && LIST_END.has(x.value))));
      if (atEnd) {
        const item = tokens.slice(itemStart, j);
        if (item.length === 1 && item[0].text === '*') {
          sites.push({ start: item[0].start, end: item[0].end, selectIndex, inExists });
        } else if (item.length >= 3 && item[item.length - 1].text === '*' && item[item.length - 2].text === '.') {
          const q = item[item.length - 3];
          sites.push({ start: item[0].start, end: item[item.length - 1].end, qualifier: q.kind === 'quoted' ? q.value : q.text, selectIndex, inExists });
        }
        if (!x || x.text !== ',') break;
        itemStart = j + 1;
        continue;
      }
      if (x.text === '(') depth++;
      else if (x.text === ')') depth--;
    }
  }
  return sites;
}

/** The columns a star stands for, qualified when the block reads several relations; undefined if unknown. */
function expansion(block: QueryBlock, site: StarSite, dialect: SqlRuleContext['dialect']): string | undefined {
  const entries = site.qualifier
    ? block.scope.filter((s) => s.name.toLowerCase() === site.qualifier!.toLowerCase())
    : block.scope;
  if (entries.length === 0 || entries.some((e) => !e.table || e.table.columns.length === 0)) return undefined;
  // Qualify when the block joins several relations or names one through an alias.
  const qualify = site.qualifier !== undefined || block.scope.length > 1 || block.scope.some((e) => e.name !== e.relation);
  const cols: string[] = [];
  for (const e of entries) {
    const prefix = site.qualifier ? site.qualifier + '.' : qualify ? quoteIdent(e.name, dialect) + '.' : '';
    for (const c of e.table!.columns) cols.push(prefix + quoteIdent(c.name, dialect));
  }
  return cols.join(', ');
}

export const selectStar: SqlRule = {
  kind: 'sql',
  id: 'select-star',
  description: 'Flags `SELECT *` and `SELECT t.*`, which read every column and rule out index-only scans.',
  rationale:
    'With `SELECT *` the database must fetch whole rows, so an index that holds every column the query needs (a covering index, `INCLUDE (…)`) ' +
    'can never give an Index Only Scan; the query also breaks or silently changes when columns are added, and ships data nobody uses. ' +
    'Not flagged: `count(*)`, and `EXISTS (SELECT * …)`, whose select list PostgreSQL and MySQL never evaluate.',
  defaultSeverity: 'info',
  needsSchema: false,
  examples: {
    bad: ['SELECT * FROM orders WHERE user_id = $1', 'SELECT o.* FROM orders o JOIN users u ON u.id = o.user_id'],
    good: ['SELECT id, total FROM orders WHERE user_id = $1', 'SELECT count(*) FROM orders', 'SELECT id FROM users u WHERE EXISTS (SELECT * FROM orders o WHERE o.user_id = u.id)'],
  },
  fix: 'Expand the star into the table\'s columns (quick fix when the schema knows the tables), then drop the ones you do not need.',
  check(ctx) {
    const loc = new Locator(ctx.statement.text, ctx.dialect);
    const sites = findStars(loc.tokens);
    if (sites.length === 0) return [];
    const selects = queryBlocks(ctx.ast, ctx.catalog).filter((b) => b.kind === 'select');
    const selectCount = loc.tokens.filter((t) => t.kind === 'word' && t.value === 'select').length;
    const mapped = selects.length === selectCount;
    const out: Omit<Finding, 'severity' | 'ruleId'>[] = [];
    for (const site of sites) {
      if (site.inExists) continue;
      const written = ctx.statement.text.slice(site.start, site.end);
      const block = mapped ? selects[site.selectIndex] : undefined;
      const what = site.qualifier ? `every column of ${site.qualifier}` : 'every column';
      const finding: Omit<Finding, 'severity' | 'ruleId'> = {
        message: `SELECT ${written} reads ${what}, which rules out an index-only scan and ships unused data; list the columns you need.`,
        start: site.start,
        end: site.end,
      };
      const cols = block ? expansion(block, site, ctx.dialect) : undefined;
      if (cols) {
        const fix: Fix = { title: `Expand ${written} into its columns`, edits: [{ start: site.start, end: site.end, newText: cols }] };
        finding.fixes = [fix];
      }
      out.push(finding);
    }
    return out;
  },
};
