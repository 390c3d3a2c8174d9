/** The vscode-free decisions behind live diagnostics (src/extension/lintModel.ts). */
import { strict as assert } from 'assert';
import {
  diagnosticSeverityIndex,
  findingsAt,
  findingsFor,
  isOversized,
  KeyedDebouncer,
  lintFileName,
  lintMode,
  oversizeMessage,
  ruleSettingsFrom,
  type Timers,
} from '../../src/extension/lintModel';
import type { DocumentFinding } from '../../src/core/lint/types';

describe('extension lint model', () => {
  it('lints SQL always and TS/JS only when embedded scanning is enabled, in editable schemes only', () => {
    const cases: [string, string, boolean, string | undefined][] = [
      ['sql', 'file', true, 'sql'],
      ['sql', 'untitled', false, 'sql'],
      ['pgsql', 'file', true, 'sql'],
      ['typescript', 'file', true, 'source'],
      ['javascriptreact', 'file', true, 'source'],
      ['typescript', 'file', false, undefined],
      ['markdown', 'file', true, undefined],
      ['sql', 'git', true, undefined],
      ['sql', 'output', true, undefined],
    ];
    for (const [lang, scheme, embedded, expected] of cases) {
      assert.equal(lintMode(lang, scheme, embedded), expected, `${lang} ${scheme} ${embedded}`);
    }
  });

  it('gives the core a file name whose extension matches the language', () => {
    assert.equal(lintFileName('/w/app.ts', 'typescript'), '/w/app.ts');
    assert.equal(lintFileName('Untitled-1', 'typescript'), 'Untitled-1.ts');
    assert.equal(lintFileName('Untitled-2', 'javascriptreact'), 'Untitled-2.jsx');
    assert.equal(lintFileName('/w/q.sql', 'sql'), '/w/q.sql');
    assert.equal(lintFileName('/w/query.pgsql', 'sql'), '/w/query.pgsql.sql');
  });

  it('reads rule settings, keeping valid levels and dropping junk', () => {
    assert.deepEqual(ruleSettingsFrom({ 'select-star': 'off', 'missing-index': 'ERROR', x: 3, y: 'loud', z: 'information' }), {
      'select-star': 'off',
      'missing-index': 'error',
      z: 'info',
    });
    assert.deepEqual(ruleSettingsFrom(undefined), {});
    assert.deepEqual(ruleSettingsFrom(['off']), {});
  });

  it('maps severities onto vscode.DiagnosticSeverity order', () => {
    assert.deepEqual(
      (['error', 'warning', 'info', 'hint'] as const).map(diagnosticSeverityIndex),
      [0, 1, 2, 3],
    );
  });

  it('detects oversized documents against the KB setting (0 disables the limit)', () => {
    assert.equal(isOversized(2048 * 1024, 2048), false);
    assert.equal(isOversized(2048 * 1024 + 1, 2048), true);
    assert.equal(isOversized(10_000_000, 0), false);
    assert.match(oversizeMessage(3 * 1024 * 1024, 2048), /3072 KB.*2048 KB/);
  });

  const findings: DocumentFinding[] = [
    { ruleId: 'select-star', message: 'a', severity: 'warning', start: 7, end: 8 },
    { ruleId: 'missing-index', message: 'b', severity: 'warning', start: 20, end: 30 },
    { ruleId: 'leftmost-prefix', message: 'c', severity: 'warning', start: 20, end: 30 },
    { ruleId: 'parse-error', message: 'd', severity: 'info', start: 0, end: 0 },
  ];

  it('matches a diagnostic back to its finding by rule and exact range', () => {
    assert.deepEqual(findingsFor(findings, 'missing-index', 20, 30).map((f) => f.message), ['b']);
    assert.deepEqual(findingsFor(findings, 'missing-index', 20, 29), []);
    assert.deepEqual(findingsFor(findings, 'select-star', 20, 30), []);
  });

  it('finds the findings under an offset (end exclusive, empty ranges at their point)', () => {
    assert.deepEqual(findingsAt(findings, 7).map((f) => f.ruleId), ['select-star']);
    assert.deepEqual(findingsAt(findings, 8), []);
    assert.deepEqual(findingsAt(findings, 25).map((f) => f.ruleId), ['missing-index', 'leftmost-prefix']);
    assert.deepEqual(findingsAt(findings, 0).map((f) => f.ruleId), ['parse-error']);
  });

  describe('KeyedDebouncer', () => {
    /** A hand-driven clock: `tick(ms)` fires due callbacks in order. */
    function manualTimers() {
      let now = 0;
      let nextId = 1;
      const due = new Map<number, { at: number; run: () => void }>();
      const timers: Timers = {
        set: (run, ms) => {
          const id = nextId++;
          due.set(id, { at: now + ms, run });
          return id;
        },
        clear: (id) => void due.delete(id as number),
      };
      const tick = (ms: number) => {
        now += ms;
        for (const [id, t] of [...due.entries()].sort((a, b) => a[1].at - b[1].at)) {
          if (t.at <= now) {
            due.delete(id);
            t.run();
          }
        }
      };
      return { timers, tick };
    }

    it('runs only the last request per key after the quiet period', () => {
      const { timers, tick } = manualTimers();
      const d = new KeyedDebouncer(timers);
      const runs: string[] = [];
      d.schedule('a', 250, () => runs.push('a1'));
      tick(100);
      d.schedule('a', 250, () => runs.push('a2'));
      d.schedule('b', 250, () => runs.push('b1'));
      tick(200);
      assert.deepEqual(runs, []);
      assert.ok(d.isPending('a'));
      tick(50);
      assert.deepEqual(runs, ['a2', 'b1']);
      assert.ok(!d.isPending('a'));
    });

    it('cancels one key or all keys', () => {
      const { timers, tick } = manualTimers();
      const d = new KeyedDebouncer(timers);
      const runs: string[] = [];
      d.schedule('a', 10, () => runs.push('a'));
      d.schedule('b', 10, () => runs.push('b'));
      d.schedule('c', 10, () => runs.push('c'));
      d.cancel('a');
      tick(10);
      assert.deepEqual(runs, ['b', 'c']);
      d.schedule('a', 10, () => runs.push('a'));
      d.cancelAll();
      tick(10);
      assert.deepEqual(runs, ['b', 'c']);
    });
  });
});
