// Entry point VS Code's test runner calls inside the extension host: runs every
// *.test.js file next to this one with mocha and resolves with the outcome.
// Used both by @vscode/test-electron (runTest.js) and, in CI, by the code-server harness
// (test/e2e/inHostHarness.ts), which passes a `reportTo` file for the results.
'use strict';
const fs = require('fs');
const path = require('path');
const Mocha = require('mocha');

/**
 * Runs the suite; resolves with { passed, failed, failures } and rejects when a test failed
 * (the contract @vscode/test-electron expects).
 * @param {{ reportTo?: string }} [options]
 */
function run(options = {}) {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60000, reporter: 'spec' });
  for (const f of fs.readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).sort()) {
    const file = path.join(__dirname, f);
    delete require.cache[require.resolve(file)];
    mocha.addFile(file);
  }
  return new Promise((resolve, reject) => {
    const failures = [];
    const passes = [];
    const runner = mocha.run((failed) => {
      const outcome = { passed: passes.length, failed, passes, failures };
      if (options.reportTo) fs.writeFileSync(options.reportTo, JSON.stringify(outcome, null, 2));
      if (failed > 0) reject(new Error(`${failed} in-host test(s) failed`));
      else resolve(outcome);
    });
    runner.on('pass', (t) => passes.push(t.fullTitle()));
    runner.on('fail', (t, err) => failures.push({ title: t.fullTitle(), error: String((err && err.stack) || err) }));
  });
}

module.exports = { run };
