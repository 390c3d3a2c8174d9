/**
 * Mocha root hook: loads PostgreSQL's parser (WASM) once before any test, as every entry point
 * of the product does before its first lint.
 */
import { loadQueryParsers } from '../../src/core/query/parse';

export const mochaHooks = {
  async beforeAll(): Promise<void> {
    await loadQueryParsers();
  },
};
