import * as fs from 'fs';
import { createEngine } from './src/core/engine/pgliteEngine';
import { buildCatalog } from './src/core/schema/catalog';
(async () => {
  const dir = 'examples/shop/schema';
  const sources = fs.readdirSync(dir).sort().map((f) => ({ file: f, text: fs.readFileSync(dir + '/' + f, 'utf8') }));
  for (let i = 0; i < 2; i++) {
    const t = performance.now();
    const e = await createEngine(sources, buildCatalog(sources), { cacheDir: '/tmp/spa-cache-test' });
    const s = performance.now() - t;
    const r = await e.explain({ sql: `SELECT * FROM orders WHERE status = $1` });
    console.log(i, Math.round(s), e.startup.fromCache, r.executedSql, (r.plan as any).Plan['Node Type']);
    const tc = performance.now();
    await e.close();
    console.log('close', Math.round(performance.now() - tc));
  }
  console.log(fs.readdirSync('/tmp/spa-cache-test').map(f => f + ' ' + fs.statSync('/tmp/spa-cache-test/' + f).size));
})();
