import * as fs from 'fs';
import { buildCatalog } from '../../src/core/schema/catalog';
import { createEngine } from '../../src/core/engine/pgliteEngine';
import { suggestIndexes, loadStats } from '../../src/core/advisor';
(async () => {
  const text = fs.readFileSync('test/fixtures/advisor/schema.sql', 'utf8');
  const sources = [{ file: 'schema.sql', text }];
  const catalog = buildCatalog(sources);
  let t = performance.now();
  const engine = await createEngine(sources, catalog, { rows: { orders: 50000, users: 5000, events: 20000 } });
  console.log('engine', Math.round(performance.now() - t), engine.schemaProblems);
  const st = await loadStats(engine);
  console.log(st?.get('orders')?.columns.get('status'), st?.get('orders')?.rows);
  for (const q of process.argv.slice(2)) {
    t = performance.now();
    const s = await suggestIndexes(q, catalog, engine, { dialect: 'postgresql', includeRejected: true });
    console.log('\n', q, Math.round(performance.now() - t), 'ms');
    for (const x of s) console.log(' ', x.used, x.kind, x.ddl, x.costBefore, '->', x.costAfter, '|', x.planBefore, '=>', x.planAfter, '|', x.note ?? '');
  }
  await engine.close();
})();
