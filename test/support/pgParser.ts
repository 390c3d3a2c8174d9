/**
 * Mocha root hook: loads PostgreSQL's parser (libpg-query) before any test runs, so every test
 * reads PostgreSQL DDL through the same front end whatever order the files run in.
 */
import { loadPgParser } from '../../src/core/sql/pg/libpg';

export const mochaHooks = {
  async beforeAll(): Promise<void> {
    await loadPgParser();
  },
};
