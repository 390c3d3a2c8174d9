// Builds every bundle the extension ships:
//  - dist/extension.js   VS Code extension host entry (CommonJS, `vscode` external)
//  - dist/cli.js         command-line entry (CommonJS, shebang)
//  - dist/engineWorker.js PGlite engine, run in a worker thread so the editor never blocks
//  - dist/webview/*.js   browser bundles for the webviews (IIFE)
// Usage: node esbuild.js [--watch] [--production]
'use strict';
const esbuild = require('esbuild');
const fs = require('fs');
const path = require('path');

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');
const root = __dirname;
const dist = path.join(root, 'dist');

// PGlite locates its wasm/data files through `import.meta.url`, which is empty in CommonJS
// output. We define it to a variable the banner sets from __filename, and copy the files
// next to the bundle so the VSIX works with no node_modules.
const importMetaBanner =
  'const __importMetaUrl = require("url").pathToFileURL(__filename).href;';
// The TypeScript compiler (9 MB) is only needed once a TS/JS file is scanned. Kept out of the
// extension and CLI bundles and shipped beside them as dist/typescript.js, it is read and
// compiled on first use instead of on every activation (the bundle would otherwise cost
// hundreds of milliseconds to load).
const lazyTypescript = {
  name: 'lazy-typescript',
  setup(build) {
    build.onResolve({ filter: /^typescript$/ }, () => ({ path: './typescript.js', external: true }));
  },
};

const nodeCommon = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: production ? false : 'linked',
  minify: production,
  // pg's optional native binding (libpq) is never used: the pure-JS client is.
  external: ['vscode', 'pg-native'],
  define: { 'import.meta.url': '__importMetaUrl' },
  banner: { js: importMetaBanner },
  logLevel: 'warning',
  // `typescript` tries optional requires of node modules that do not exist in a bundle.
  mainFields: ['module', 'main'],
  plugins: [lazyTypescript],
};

const nodeEntries = [
  { in: 'src/extension/extension.ts', out: 'extension' },
  { in: 'src/cli/main.ts', out: 'cli', shebang: true },
  { in: 'src/core/engine/worker.ts', out: 'engineWorker' },
  { in: 'src/core/workspace/worker.ts', out: 'indexWorker' },
].filter((e) => fs.existsSync(path.join(root, e.in)));

const webEntries = [
  { in: 'webview/plan/main.ts', out: 'webview/plan' },
  { in: 'webview/selection/main.ts', out: 'webview/selection' },
].filter((e) => fs.existsSync(path.join(root, e.in)));

function copyEngineAssets() {
  const src = path.join(root, 'node_modules/@electric-sql/pglite/dist');
  // Contrib extensions are loaded only when the schema creates them (src/core/engine/extensions.ts,
  // CONTRIB: keep the two lists equal). ≈ 1.4 MB together, 1.1 MB of it pgcrypto (OpenSSL).
  const contrib = ['pg_trgm', 'btree_gin', 'btree_gist', 'citext', 'hstore', 'ltree', 'uuid-ossp', 'pgcrypto',
    'fuzzystrmatch', 'unaccent', 'intarray', 'cube', 'earthdistance', 'tablefunc', 'isn', 'seg', 'bloom', 'lo'];
  for (const f of ['pglite.wasm', 'initdb.wasm', 'pglite.data', ...contrib.map((c) => `${c}.tar.gz`)]) {
    const from = path.join(src, f);
    if (fs.existsSync(from)) fs.copyFileSync(from, path.join(dist, f));
  }
}

// PostgreSQL's parser (libpg-query) finds its WASM through __dirname, i.e. next to the bundle.
function copyPgParser() {
  fs.copyFileSync(path.join(root, 'node_modules/libpg-query/wasm/libpg-query.wasm'), path.join(dist, 'libpg-query.wasm'));
}

function copyTypescript() {
  fs.copyFileSync(path.join(root, 'node_modules/typescript/lib/typescript.js'), path.join(dist, 'typescript.js'));
}

function copyWebviewCss() {
  const dir = path.join(root, 'webview');
  if (!fs.existsSync(dir)) return;
  fs.mkdirSync(path.join(dist, 'webview'), { recursive: true });
  for (const sub of fs.readdirSync(dir)) {
    const css = path.join(dir, sub, 'style.css');
    if (fs.existsSync(css)) fs.copyFileSync(css, path.join(dist, 'webview', `${sub}.css`));
  }
}

async function main() {
  fs.mkdirSync(dist, { recursive: true });
  const contexts = [];
  for (const e of nodeEntries) {
    const opts = { ...nodeCommon, entryPoints: { [e.out]: e.in }, outdir: dist };
    if (e.shebang) opts.banner = { js: '#!/usr/bin/env node\n' + importMetaBanner };
    contexts.push(await esbuild.context(opts));
  }
  for (const e of webEntries) {
    contexts.push(
      await esbuild.context({
        bundle: true,
        platform: 'browser',
        format: 'iife',
        target: 'es2022',
        sourcemap: production ? false : 'linked',
        minify: production,
        entryPoints: { [e.out]: e.in },
        outdir: dist,
        logLevel: 'warning',
      }),
    );
  }
  copyEngineAssets();
  copyTypescript();
  copyPgParser();
  copyWebviewCss();
  if (watch) {
    await Promise.all(contexts.map((c) => c.watch()));
    console.log('[esbuild] watching…');
    return;
  }
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
  const cli = path.join(dist, 'cli.js');
  if (fs.existsSync(cli)) fs.chmodSync(cli, 0o755);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
