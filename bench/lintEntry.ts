/**
 * Entry point bundled by bench/lint.ts for the cold-start measurement: the linter as it ships
 * (one esbuild bundle with PostgreSQL's parser WASM beside it), loaded in a fresh process.
 */
export { SqlLinter } from '../src/core/lint/linter';
export { buildCatalog } from '../src/core/schema/catalog';
export { clearQueryCache, loadQueryParsers } from '../src/core/query/parse';
