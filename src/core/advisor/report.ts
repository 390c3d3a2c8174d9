/**
 * Human-readable renderings of index advice: the workspace Markdown report (with the DDL ready
 * to paste into a migration) and the CLI's text output.
 */
import type { Dialect } from '../dialect';
import { concurrentIndexDdl } from '../migrations/advice';
import type { IndexSuggestion, WorkspaceAdvice, WorkspaceSuggestion } from './types';

const MAX_QUERY_CHARS = 400;

const ORM_NAMES: Record<string, string> = { prisma: 'Prisma', drizzle: 'Drizzle', typeorm: 'TypeORM', sequelize: 'Sequelize', knex: 'Knex' };

function fmtCost(n: number): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: 2 });
}

/** "1,234.5 → 12.3 (−99%)". */
export function costChange(before: number, after: number): string {
  const exact = before > 0 ? ((after - before) / before) * 100 : 0;
  // 99.5% is not 100%: keep a decimal rather than claim the cost vanished.
  const shown = Math.abs(Math.round(exact)) === 100 && Math.abs(exact) !== 100 ? Math.abs(exact).toFixed(1) : String(Math.abs(Math.round(exact)));
  return `${fmtCost(before)} → ${fmtCost(after)} (${exact <= 0 ? '−' : '+'}${shown}%)`;
}

function oneLine(sql: string): string {
  const s = sql.replace(/\s+/g, ' ').trim();
  return s.length > MAX_QUERY_CHARS ? s.slice(0, MAX_QUERY_CHARS - 1) + '…' : s;
}

/** A fenced code block whose fence cannot be closed by the content. */
function fence(lang: string, body: string): string {
  const longest = Math.max(2, ...[...body.matchAll(/`+/g)].map((m) => m[0].length));
  const f = '`'.repeat(longest + 1);
  return `${f}${lang}\n${body}\n${f}`;
}

/** Inline code that survives backticks in the content. */
function code(text: string): string {
  const t = text.replace(/\r?\n/g, ' ');
  const longest = Math.max(0, ...[...t.matchAll(/`+/g)].map((m) => m[0].length));
  const f = '`'.repeat(longest + 1);
  return `${f}${longest ? ' ' : ''}${t}${longest ? ' ' : ''}${f}`;
}

/** "1.4 MB". */
function fmtBytes(n: number): string {
  if (n < 1024) return `${Math.round(n)} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(0)} kB`;
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}

/**
 * The write cost of one more index in numbers: its size as built in the engine on the table's
 * configured rows, per row, and what each INSERT / UPDATE must do to it.
 */
export function writeCostLine(s: IndexSuggestion): string | undefined {
  if (!s.size) return undefined;
  const { bytes, tableRows } = s.size;
  const perRow = tableRows > 0 ? bytes / tableRows : 0;
  const rows = Math.round(tableRows).toLocaleString('en-US');
  return (
    `Index size: ≈ ${fmtBytes(bytes)} built on ${rows} rows of ${s.table} (≈ ${perRow.toFixed(0)} bytes per row, ≈ ${fmtBytes(perRow * 1e6)} per million rows); ` +
    'every INSERT of a row it covers adds an entry (a B-tree descent and a page write), and an UPDATE of its columns adds another.'
  );
}

/**
 * All suggested DDL as one migration body (statements terminated, one per line). On PostgreSQL
 * each index is built CONCURRENTLY: the tables already take writes, which a plain build blocks.
 */
export function migrationSql(suggestions: IndexSuggestion[], header = '-- Indexes suggested by SQL Plan Advisor (verified in the engine)', dialect: Dialect = 'postgresql'): string {
  const lines = [header];
  if (dialect === 'postgresql' && suggestions.length) lines.push('-- CONCURRENTLY: writes continue during each build; run outside a transaction (BEGIN … COMMIT refuses it).');
  for (const s of suggestions) {
    lines.push(`-- ${s.kind} on ${s.table}: cost ${costChange(s.costBefore, s.costAfter)}, serves ${s.queries.length} quer${s.queries.length === 1 ? 'y' : 'ies'}`);
    if (s.redundant?.length) lines.push(`-- makes redundant: ${s.redundant.join(', ')} (consider DROP INDEX after deploying this one)`);
    lines.push(`${concurrentIndexDdl(s.ddl, dialect)};`);
  }
  return lines.join('\n') + '\n';
}

/** The workspace report as Markdown: summary, one section per index, the full DDL, skipped queries. */
export function workspaceReportMarkdown(advice: WorkspaceAdvice, opts: { title?: string; generatedAt?: Date; dialect?: Dialect } = {}): string {
  const out: string[] = [];
  out.push(`# ${opts.title ?? 'Suggested indexes'}`);
  out.push('');
  const when = opts.generatedAt ? ` on ${opts.generatedAt.toISOString().replace('T', ' ').slice(0, 16)} UTC` : '';
  out.push(
    `${advice.queriesAnalyzed} quer${advice.queriesAnalyzed === 1 ? 'y' : 'ies'} analysed${when}; ` +
      `${advice.suggestions.length} index${advice.suggestions.length === 1 ? '' : 'es'} suggested. ` +
      'Each was created in the bundled PostgreSQL engine (PGlite) and kept only because the planner used it and the estimated plan cost dropped.',
  );
  const repeated = (advice.queryOccurrences ?? []).filter((q) => q.occurrences > 1);
  if (repeated.length) {
    const statements = (advice.queryOccurrences ?? []).reduce((n, q) => n + q.occurrences, 0);
    out.push('', `${statements} statements are ${advice.queryOccurrences!.length} distinct queries (the same query with different constants counts once):`, '');
    for (const q of repeated.sort((a, b) => b.occurrences - a.occurrences).slice(0, 10)) out.push(`- ${code(q.sql.replace(/\s+/g, ' ').trim().slice(0, 120))} ×${q.occurrences}`);
  }
  for (const n of advice.notes) out.push('', `> ${n}`);
  if (advice.suggestions.length === 0) {
    out.push('', 'No index would lower the plan cost of these queries: they are already served by existing indexes, or read too much of their tables for an index to help.');
  }
  advice.suggestions.forEach((s: WorkspaceSuggestion, i) => {
    out.push('', `## ${i + 1}. ${code(s.name ?? s.ddl)} on ${code(s.table)} (${s.kind})`, '');
    out.push(fence('sql', s.ddl + ';'), '');
    if (s.orm) out.push(`In ${ORM_NAMES[s.orm.origin]}${s.orm.file ? ` (${s.orm.file})` : ''}:`, '', fence(s.orm.origin === 'prisma' ? 'prisma' : 'ts', s.orm.syntax), '', ...(s.orm.then ? [`Then: ${s.orm.then}.`, ''] : []));
    out.push(`- **Estimated cost** of the served queries: ${costChange(s.costBefore, s.costAfter)}`);
    if (s.planBefore || s.planAfter) out.push(`- **Plan**: ${code(s.planBefore ?? '?')} → ${code(s.planAfter ?? '?')}`);
    out.push(`- **Why this shape**: ${s.reason}`);
    if (s.redundant?.length) out.push(`- **Makes redundant**: ${s.redundant.map(code).join(', ')} (its keys lead this index)`);
    if (s.writeCost) out.push(`- **${s.writeCost.split(':')[0]}**:${s.writeCost.slice(s.writeCost.indexOf(':') + 1)}`);
    const size = writeCostLine(s);
    if (size) out.push(`- **Index size**:${size.slice(size.indexOf(':') + 1)}`);
    if (s.note) out.push(`- **Note**: ${s.note}`);
    out.push(`- **Serves** ${s.queries.length} quer${s.queries.length === 1 ? 'y' : 'ies'}:`);
    s.queries.forEach((q, qi) => {
      const files = [...new Set(s.sources.filter((src) => src.query === qi).map((src) => src.file))];
      out.push(`  - ${code(oneLine(q))}${files.length ? ` — ${files.join(', ')}` : ''}`);
    });
  });
  if (advice.suggestions.length) {
    out.push('', '## Migration', '', 'All suggested indexes, ready for a migration file:', '', fence('sql', migrationSql(advice.suggestions, undefined, opts.dialect).trimEnd()));
  }
  if (advice.skipped.length) {
    out.push('', '## Not analysed', '');
    for (const s of advice.skipped.slice(0, 200)) out.push(`- ${s.file} (offset ${s.offset}): ${s.reason}`);
    if (advice.skipped.length > 200) out.push(`- … and ${advice.skipped.length - 200} more`);
  }
  return out.join('\n') + '\n';
}

/** CLI text output: one block per suggestion. */
export function suggestionsText(suggestions: (IndexSuggestion & { writeCost?: string; sources?: { file: string }[] })[], dialect: Dialect = 'postgresql'): string {
  if (suggestions.length === 0) return 'No index suggestions: existing indexes already serve these queries, or no index lowers their plan cost.\n';
  const out: string[] = [];
  for (const s of suggestions) {
    out.push(`${s.ddl};`);
    out.push(`  ${s.kind} on ${s.table} — cost ${costChange(s.costBefore, s.costAfter)}${s.used ? '' : ' — NOT USED'}`);
    if (s.planBefore || s.planAfter) out.push(`  plan: ${s.planBefore ?? '?'}  →  ${s.planAfter ?? '?'}`);
    if (s.orm) out.push(`  ${ORM_NAMES[s.orm.origin]}: ${s.orm.syntax}${s.orm.file ? `  (in ${s.orm.file})` : ''}${s.orm.then ? `, then ${s.orm.then}` : ''}`);
    out.push(`  why: ${s.reason}`);
    if (s.redundant?.length) out.push(`  makes redundant: ${s.redundant.join(', ')}`);
    if (s.writeCost) out.push(`  ${s.writeCost}`);
    const size = writeCostLine(s);
    if (size) out.push(`  ${size}`);
    if (dialect === 'postgresql') out.push(`  migration: ${concurrentIndexDdl(s.ddl, dialect)}; (outside a transaction: writes continue during the build)`);
    if (s.note) out.push(`  note: ${s.note}`);
    const files = [...new Set((s.sources ?? []).map((x) => x.file))];
    out.push(`  serves ${s.queries.length} quer${s.queries.length === 1 ? 'y' : 'ies'}${files.length ? ` in ${files.join(', ')}` : ''}`);
    out.push('');
  }
  return out.join('\n');
}
