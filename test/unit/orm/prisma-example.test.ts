/**
 * The Prisma example project through the built CLI (`dist/cli.js`, as users run it): it holds
 * no SQL at all, yet `advise` returns engine-verified indexes with the Prisma `@@index` form
 * and the cost before → after.
 */
import { strict as assert } from 'assert';
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const root = path.resolve(__dirname, '../../..');
const example = path.join(root, 'examples/prisma-shop');

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(root, 'dist/cli.js'), ...args], { cwd: example, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 2) : 0, stdout, stderr });
    });
  });
}

interface JsonSuggestion {
  table: string;
  ddl: string;
  costBefore: number;
  costAfter: number;
  sources: { file: string }[];
  orm?: { origin: string; syntax: string; file: string };
}

describe('examples/prisma-shop through the built CLI', function () {
  this.timeout(180_000);

  it('has no raw SQL to read', () => {
    const files = fs.readdirSync(path.join(example, 'src'));
    for (const f of files) assert.doesNotMatch(fs.readFileSync(path.join(example, 'src', f), 'utf8'), /\$queryRaw|\$executeRaw|\bSELECT\s+\S+\s+FROM\b/i, f);
  });

  it('advise returns verified suggestions in Prisma @@index form with cost before → after', async () => {
    const { code, stdout, stderr } = await cli(['advise', '--schema', 'prisma', '--format', 'json', 'src']);
    assert.equal(code, 1, stderr);
    const { suggestions } = JSON.parse(stdout) as { suggestions: JsonSuggestion[] };
    const prisma = suggestions.filter((s) => s.orm?.origin === 'prisma');
    assert.ok(prisma.length >= 1, stdout);
    const placedAt = prisma.find((s) => s.orm!.syntax === '@@index([placedAt])');
    assert.ok(placedAt, `expected @@index([placedAt]) among ${prisma.map((s) => s.orm!.syntax).join(', ')}`);
    assert.equal(placedAt.table, 'Order');
    assert.equal(placedAt.orm!.file, 'prisma/schema.prisma');
    assert.ok(placedAt.costAfter < placedAt.costBefore, `${placedAt.costBefore} → ${placedAt.costAfter}`);
    assert.ok(placedAt.sources.every((s) => s.file === 'src/fulfilment.ts'));
  });

  it('lint reports the ORM findings on the calls', async () => {
    const { stdout } = await cli(['lint', '--schema', 'prisma', '--format', 'json', 'src']);
    const findings = (JSON.parse(stdout) as { findings: { file: string; rule: string; line: number }[] }).findings.map((f) => `${f.file}:${f.line} ${f.rule}`);
    assert.ok(findings.includes('src/catalog.ts:6 leading-wildcard'), findings.join('\n'));
    assert.ok(findings.includes('src/catalog.ts:19 leftmost-prefix'), findings.join('\n'));
    assert.ok(findings.includes('src/fulfilment.ts:6 missing-index'), findings.join('\n'));
    assert.ok(!findings.some((f) => f.startsWith('src/customers.ts')), findings.join('\n'));
  });
});
