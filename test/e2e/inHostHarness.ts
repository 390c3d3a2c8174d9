/**
 * Runs the in-host mocha suite (test/vscode/suite) inside code-server's extension host.
 * code-server does not accept --extensionDevelopmentPath/--extensionTestsPath, so we package a
 * tiny companion extension whose only command loads the suite and writes its outcome to a file
 * the runner reads. The command is run from the Command Palette, after the UI scenarios, so the
 * suite's editors never interfere with them.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

export const HARNESS_COMMAND_TITLE = 'SQL Plan Advisor Tests: Run in-host suite';

/** Builds the companion VSIX in `workDir`; returns its path. */
export function buildHarnessVsix(repoRoot: string, workDir: string, reportFile: string): string {
  const dir = path.join(workDir, 'in-host-harness');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const manifest = {
    name: 'in-host-tests',
    displayName: 'SQL Plan Advisor in-host tests',
    publisher: 'sql-plan-advisor-tests',
    version: '0.0.1',
    private: true,
    license: 'MIT',
    engines: { vscode: '^1.100.0' },
    main: './runner.js',
    activationEvents: [],
    contributes: {
      commands: [{ command: 'sqlPlanAdvisorTests.runInHostSuite', title: 'Run in-host suite', category: 'SQL Plan Advisor Tests' }],
    },
  };
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
  fs.writeFileSync(path.join(dir, 'README.md'), '# In-host test harness\n\nRuns test/vscode/suite inside code-server.\n');
  fs.copyFileSync(path.join(repoRoot, 'LICENSE'), path.join(dir, 'LICENSE'));
  const suite = path.join(repoRoot, 'test', 'vscode', 'suite', 'index.js');
  fs.writeFileSync(
    path.join(dir, 'runner.js'),
    `'use strict';
const fs = require('fs');
const vscode = require('vscode');
const SUITE = ${JSON.stringify(suite)};
const REPORT = ${JSON.stringify(reportFile)};
exports.activate = (context) => {
  context.subscriptions.push(vscode.commands.registerCommand('sqlPlanAdvisorTests.runInHostSuite', async () => {
    try {
      await require(SUITE).run({ reportTo: REPORT });
    } catch (err) {
      // The suite writes its own report when tests fail; this covers a suite that cannot load.
      if (!fs.existsSync(REPORT)) {
        fs.writeFileSync(REPORT, JSON.stringify({ passed: 0, failed: 1, passes: [], failures: [{ title: 'loading the suite', error: String((err && err.stack) || err) }] }));
      }
    }
  }));
};
`,
  );
  const vsix = path.join(workDir, 'in-host-tests.vsix');
  const res = spawnSync(
    path.join(repoRoot, 'node_modules', '.bin', 'vsce'),
    ['package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '-o', vsix],
    { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
  if (res.status !== 0) throw new Error(`packaging the in-host harness failed:\n${res.stdout}${res.stderr}`);
  return vsix;
}

export interface InHostReport {
  passed: number;
  failed: number;
  passes: string[];
  failures: { title: string; error: string }[];
}

/** Reads the suite's report once it has been written completely. */
export function readReport(file: string): InHostReport | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as InHostReport;
  } catch {
    return undefined;
  }
}
