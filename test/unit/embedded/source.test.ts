import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { extractFrom } from '../../../src/core/embedded/extractor';
import { findNPlusOne } from '../../../src/core/embedded/nPlusOne';
import { parseSource } from '../../../src/core/embedded/source';

/** What the scan sees in a tree: extracted SQL with ranges, and N+1 findings. */
function scan(fileName: string, text: string): string {
  const sf = parseSource(fileName, text);
  const sql = extractFrom(sf, 'postgresql').map((e) => `${e.start}-${e.end} ${e.api} ${e.sql}`);
  const n1 = findNPlusOne(sf).map((f) => `${f.start}-${f.end} ${f.message}`);
  return [...sql, ...n1].join('\n');
}

/** Deterministic pseudo-random numbers, so a failure can be replayed. */
function rng(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    return x / 0x7fffffff;
  };
}

describe('incremental re-parse of edited sources', () => {
  const root = path.join(__dirname, '../../fixtures/n-plus-one/positive');
  const files = fs.readdirSync(root).filter((f) => f.endsWith('.ts'));
  const snippets = ['await pool.query(\'SELECT * FROM t WHERE a = $1\', [x]);', 'for (const x of xs) {', '}', ' ', '\n', '`', '(', 'prisma.user.findMany()', ''];

  for (const file of files) {
    it(`gives the same results as a fresh parse after random edits (${file})`, () => {
      const random = rng(file.length * 7919);
      let text = fs.readFileSync(path.join(root, file), 'utf8');
      const editedName = `edited-${file}`;
      scan(editedName, text);
      for (let i = 0; i < 25; i++) {
        const at = Math.floor(random() * text.length);
        const del = Math.floor(random() * 12);
        const ins = snippets[Math.floor(random() * snippets.length)];
        text = text.slice(0, at) + ins + text.slice(at + del);
        // `fresh-…` names have never been parsed: a full parse to compare against.
        assert.equal(scan(editedName, text), scan(`fresh-${i}-${file}`, text), `edit ${i} at ${at}`);
      }
    });
  }
});
