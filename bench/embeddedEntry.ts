/**
 * Entry point bundled by bench/embedded.ts so the benchmark measures the code as it ships
 * (one esbuild bundle, as in dist/extension.js and dist/cli.js), not tsx's per-module
 * transpilation, whose export getters slow every cross-module call.
 */
export { lintSource } from '../src/core/embedded/lintSource';
export { extractSql } from '../src/core/embedded/extract';
export { extractFrom } from '../src/core/embedded/extractor';
export { findNPlusOne } from '../src/core/embedded/nPlusOne';
export { parseSource } from '../src/core/embedded/source';
export { buildCatalog } from '../src/core/schema/catalog';
export { clearQueryCache as clearParseCache, loadQueryParsers } from '../src/core/query/parse';
export { ormCallQueries } from '../src/core/embedded/orm/index';
