// In-host checks: the extension activates on a SQL file, registers every command it declares,
// and publishes diagnostics for the fixture workspace (test/e2e/workspace).
'use strict';
const assert = require('assert');
const vscode = require('vscode');

const EXTENSION_ID = 'sql-plan-advisor.sql-plan-advisor';

function workspaceFile(rel) {
  const folder = vscode.workspace.workspaceFolders && vscode.workspace.workspaceFolders[0];
  assert.ok(folder, 'the suite needs the fixture workspace open');
  return vscode.Uri.joinPath(folder.uri, ...rel.split('/'));
}

/** Polls until `probe()` returns a truthy value; fails with `what` after `timeoutMs`. */
async function eventually(what, probe, timeoutMs = 20000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    last = await probe();
    if (last) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Our diagnostics for a document as "rule@line:col" (1-based), sorted. */
function ourDiagnostics(uri) {
  return vscode.languages
    .getDiagnostics(uri)
    .filter((d) => d.source === 'sql-plan-advisor')
    .map((d) => `${typeof d.code === 'object' ? d.code.value : d.code}@${d.range.start.line + 1}:${d.range.start.character + 1}`)
    .sort();
}

describe('SQL Plan Advisor in the extension host', function () {
  this.timeout(60000);

  it('activates when a SQL file opens', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is installed`);
    const doc = await vscode.workspace.openTextDocument(workspaceFile('queries/report.sql'));
    assert.strictEqual(doc.languageId, 'sql');
    await eventually('activation', () => ext.isActive);
  });

  it('registers every command declared in package.json', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    await ext.activate();
    const declared = ext.packageJSON.contributes.commands.map((c) => c.command);
    assert.ok(declared.length >= 8, 'package.json declares the commands');
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = declared.filter((c) => !registered.has(c));
    assert.deepStrictEqual(missing, [], `declared but not registered: ${missing.join(', ')}`);
  });

  it('publishes diagnostics for a SQL file with index-defeating queries', async () => {
    const uri = workspaceFile('queries/report.sql');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const expected = ['function-on-column@2:34', 'leading-wildcard@3:46', 'select-star@4:8'];
    await eventually(`diagnostics ${expected.join(', ')}`, () => JSON.stringify(ourDiagnostics(uri)) === JSON.stringify(expected));
    const lower = vscode.languages.getDiagnostics(uri).find((d) => d.code && d.code.value === 'function-on-column');
    assert.match(lower.message, /lower\(email\)/);
    assert.ok(String(lower.code.target).endsWith('function-on-column.md'), `rule doc link: ${lower.code.target}`);
  });

  it('updates diagnostics after an edit', async () => {
    const uri = workspaceFile('queries/report.sql');
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const line = editor.document.lineAt(1); // the lower(email) query
    const start = line.text.indexOf('lower(email)');
    const ok = await editor.edit((e) => e.replace(new vscode.Range(1, start, 1, start + 'lower(email)'.length), 'email'));
    assert.ok(ok, 'edit applied');
    const expected = ['leading-wildcard@3:46', 'select-star@4:8'];
    await eventually('function-on-column to go away', () => JSON.stringify(ourDiagnostics(uri)) === JSON.stringify(expected));
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('reports N+1 and embedded SQL in a TypeScript file', async () => {
    const uri = workspaceFile('src/orders.ts');
    await vscode.workspace.openTextDocument(uri);
    const expected = ['function-on-column@17:71', 'n-plus-one@10:28', 'select-star@10:47'];
    await eventually(`diagnostics ${expected.join(', ')}`, () => JSON.stringify(ourDiagnostics(uri)) === JSON.stringify(expected));
  });

  it('survives a malformed file: one parse error, the rest linted', async () => {
    const uri = workspaceFile('queries/broken.sql');
    await vscode.workspace.openTextDocument(uri);
    const expected = ['function-on-column@4:34', 'parse-error@3:1'];
    await eventually(`diagnostics ${expected.join(', ')}`, () => JSON.stringify(ourDiagnostics(uri)) === JSON.stringify(expected));
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
