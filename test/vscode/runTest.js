#!/usr/bin/env node
// In-host test suite through @vscode/test-electron, for machines with internet (it downloads
// VS Code on first run) and a display (or xvfb-run). CI here cannot download VS Code; it runs
// the same suite inside code-server instead (test/e2e, scenario "in-host-suite").
//   npm run test:vscode
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');

async function main() {
  const { runTests } = require('@vscode/test-electron');
  const repo = path.resolve(__dirname, '..', '..');
  // The suite edits documents; give it a throwaway copy of the fixture workspace.
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'sql-plan-advisor-vscode-'));
  fs.cpSync(path.join(repo, 'test', 'e2e', 'workspace'), workspace, { recursive: true });
  try {
    await runTests({
      version: process.env.VSCODE_TEST_VERSION || '1.100.3',
      extensionDevelopmentPath: repo,
      extensionTestsPath: path.join(__dirname, 'suite', 'index.js'),
      launchArgs: [workspace, '--disable-extensions', '--skip-welcome', '--skip-release-notes', '--disable-workspace-trust'],
    });
  } finally {
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(`test:vscode failed: ${err && err.message ? err.message : err}`);
  if (/ENOTFOUND|ECONNREFUSED|EAI_AGAIN|getaddrinfo/.test(String(err && err.message))) {
    console.error('(VS Code could not be downloaded. Offline, `npm run test:e2e` runs this same suite inside code-server.)');
  }
  process.exit(1);
});
