/**
 * The workspace index's view of the disk, for the CLI, the index worker and the extension.
 * Files over 2 MB are not read: they are generated bundles or data, not code that queries.
 */
import * as fs from 'node:fs';
import type { IndexHost } from './resolve';

const MAX_INDEXED_FILE_BYTES = 2 * 1024 * 1024;

export const nodeFileHost: IndexHost = {
  readFile(file: string): string | undefined {
    try {
      return fs.statSync(file).size > MAX_INDEXED_FILE_BYTES ? undefined : fs.readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
  },
  fileExists(file: string): boolean {
    try {
      return fs.statSync(file).isFile();
    } catch {
      return false;
    }
  },
};
