import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildCatalog } from '../../src/core/schema/catalog';
import { createEngine } from '../../src/core/engine/pgliteEngine';
import { adviseWorkspace, workspaceReportMarkdown } from '../../src/core/advisor';
import { collectQueries } from '../../src/core/advisor/collect';
function files(dir: string): string[] { return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => e.isDirectory() ? files(path.join(dir, e.name)) : [path.join(dir, e.name)]).sort(); }
(async () => {
  const all = files('examples/shop');
  const sources = all.filter((f) => f.includes('/schema/')).map((f) => ({ file: f, text: fs.readFileSync(f, 'utf8') }));
  const catalog = buildCatalog(sources);
  const engine = await createEngine(sources, catalog, { cacheDir: path.join(os.tmpdir(), 'sql-plan-advisor') });
  const queries = all.filter((f) => /\.(sql|ts)$/.test(f)).flatMap((f) => collectQueries(f, fs.readFileSync(f, 'utf8'), 'postgresql'));
  const advice = await adviseWorkspace(queries, catalog, engine, { dialect: 'postgresql' });
  fs.writeFileSync('/tmp/e/report.md', workspaceReportMarkdown(advice, { generatedAt: new Date() }));
  await engine.close();
})();
