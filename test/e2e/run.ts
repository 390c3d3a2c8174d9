/**
 * End-to-end runner: the extension as users install it (the packaged VSIX) in a real VS Code
 * (code-server 4.100.3 = VS Code 1.100.3) driven through headless Chromium.
 *
 *   npm run test:e2e            install code-server once, package, run every scenario
 *   E2E_SKIP_PACKAGE=1          reuse dist/sql-plan-advisor.vsix instead of re-packaging
 *   E2E_ONLY=regex              run only scenarios whose id matches
 *   E2E_KEEP=1                  keep the throwaway sandbox (user data, logs, workspace copy)
 *
 * Screenshots and logs go to test-results/e2e/. The closing line is always
 * `e2e: N passed, N failed` (CI parses it); the exit code is non-zero on any failure.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { chromiumLaunchOptions } from '../../scripts/chromium';
import {
  codeServerBin,
  createSandbox,
  installExtension,
  startCodeServer,
  tail,
  type RunningServer,
  type Sandbox,
} from './codeServer';
import { buildHarnessVsix } from './inHostHarness';
import { E2EAssertionError } from './poll';
import type { Scenario } from './scenario';
import { scenarios as allScenarios } from './scenarios';
import { installEvaluateShim, Workbench } from './workbench';

const REPO = path.resolve(__dirname, '..', '..');
const RESULTS = path.join(REPO, 'test-results', 'e2e');
const VSIX = path.join(REPO, 'dist', 'sql-plan-advisor.vsix');
const FIXTURE = path.join(__dirname, 'workspace');
/** A scenario that takes longer than this is stuck, not slow. */
const SCENARIO_TIMEOUT_MS = 180_000;

interface Outcome {
  scenario: Scenario;
  ok: boolean;
  ms: number;
  error?: string;
}

let server: RunningServer | undefined;
let browser: Browser | undefined;
let sandbox: Sandbox | undefined;
let tearingDown: Promise<void> | undefined;

/** Stops everything this run started; every caller awaits the same single teardown. */
function teardown(): Promise<void> {
  tearingDown ??= (async () => {
    try {
      await browser?.close();
    } catch {
      // The browser may already be gone.
    }
    await server?.stop();
    if (sandbox) {
      copyLogs(sandbox);
      if (!process.env.E2E_KEEP) fs.rmSync(sandbox.root, { recursive: true, force: true });
      else console.log(`sandbox kept at ${sandbox.root}`);
    }
  })();
  return tearingDown;
}

/** Keeps VS Code's logs (extension host included) next to the screenshots for diagnosis. */
function copyLogs(sb: Sandbox): void {
  const logs = path.join(sb.userDataDir, 'logs');
  if (fs.existsSync(logs)) fs.cpSync(logs, path.join(RESULTS, 'logs'), { recursive: true });
}

/** Error lines from the extension host's logs (copied into test-results), to explain failures. */
function extensionHostErrors(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    if (!fs.existsSync(dir)) return;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (/exthost\.log$/i.test(entry.name)) {
        const lines = fs.readFileSync(p, 'utf8').split('\n');
        lines.forEach((line, i) => {
          if (/\[error\]/.test(line)) found.push([line, ...lines.slice(i + 1, i + 4).filter((l) => /^\s+at /.test(l))].join('\n'));
        });
      }
    }
  };
  walk(path.join(RESULTS, 'logs'));
  return found;
}

function installSignalHandlers(): void {
  // Last resort: whatever happens, the code-server process group does not outlive us.
  process.on('exit', () => {
    server?.killNow();
    if (sandbox && !process.env.E2E_KEEP) fs.rmSync(sandbox.root, { recursive: true, force: true });
  });
  for (const [sig, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const) {
    process.on(sig, () => {
      console.error(`\ne2e: received ${sig}, stopping code-server`);
      void teardown().finally(() => process.exit(code));
    });
  }
}

function step(title: string): () => void {
  const t0 = Date.now();
  console.log(`== ${title}`);
  return () => console.log(`   done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

function run(cmd: string, args: string[], what: string): void {
  const res = spawnSync(cmd, args, { cwd: REPO, stdio: 'inherit', env: process.env });
  if (res.status !== 0) throw new Error(`${what} failed (exit ${res.status ?? res.signal})`);
}

/** Installs code-server (once) and packages the extension into the VSIX users install. */
function prepare(): void {
  let done = step('code-server (installed once into .vscode-test/)');
  run('bash', [path.join(REPO, 'scripts', 'install-code-server.sh')], 'installing code-server');
  done();
  if (process.env.E2E_SKIP_PACKAGE && fs.existsSync(VSIX)) {
    console.log(`== reusing ${path.relative(REPO, VSIX)} (E2E_SKIP_PACKAGE)`);
  } else {
    done = step('package the extension (npm run package)');
    fs.rmSync(VSIX, { force: true });
    run('npm', ['run', '--silent', 'package'], 'packaging');
    done();
  }
  if (!fs.existsSync(VSIX)) throw new Error(`no VSIX at ${VSIX}`);
  console.log(`   ${path.relative(REPO, VSIX)}: ${(fs.statSync(VSIX).size / 1024 / 1024).toFixed(2)} MB`);
}

/** Fails if VS Code told the user the extension host died (the scenario's work would be void). */
async function assertHostAlive(wb: Workbench): Promise<void> {
  const dead = (await wb.notifications()).find((m) => /extension host .*(terminated|crashed|unresponsive)/i.test(m));
  if (dead) throw new E2EAssertionError(`the extension host died: "${dead}"`);
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new E2EAssertionError(`${what} did not finish within ${ms / 1000} s`)), ms);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

/** Opens the workspace in a fresh page and waits for the workbench. */
async function openWorkbench(page: Page, url: string, workspace: string): Promise<Workbench> {
  await page.goto(`${url}?folder=${encodeURIComponent(workspace)}`);
  const wb = new Workbench(page, RESULTS);
  await wb.ready();
  return wb;
}

/** Back to a clean editor area between scenarios; reloads the window if the UI is wedged. */
async function resetBetweenScenarios(page: Page, wb: Workbench, url: string, workspace: string, failed: boolean): Promise<Workbench> {
  try {
    await withTimeout(wb.closeAllEditors(), 30_000, 'closing all editors');
    return wb;
  } catch (err) {
    console.log(`   (reloading the window: ${failed ? 'after a failure, ' : ''}${String(err).split('\n')[0]})`);
    return openWorkbench(page, url, workspace);
  }
}

async function main(): Promise<number> {
  installSignalHandlers();
  const only = process.env.E2E_ONLY ? new RegExp(process.env.E2E_ONLY) : undefined;
  const selected = allScenarios.filter((s) => !only || only.test(s.id));
  fs.rmSync(RESULTS, { recursive: true, force: true });
  fs.mkdirSync(RESULTS, { recursive: true });
  const outcomes: Outcome[] = [];
  const t0 = Date.now();
  try {
    prepare();

    let done = step('start code-server with a throwaway profile');
    sandbox = createSandbox(fs.mkdtempSync(path.join(os.tmpdir(), 'sql-plan-advisor-e2e-')), FIXTURE);
    console.log(`   ${installExtension(codeServerBin(REPO), sandbox, VSIX).split('\n').pop()}`);
    const inHostReport = path.join(sandbox.root, 'in-host-report.json');
    const harness = buildHarnessVsix(REPO, sandbox.root, inHostReport);
    console.log(`   ${installExtension(codeServerBin(REPO), sandbox, harness).split('\n').pop()}`);
    server = await startCodeServer(codeServerBin(REPO), sandbox, path.join(RESULTS, 'code-server.log'));
    console.log(`   listening on ${server.url} (pid ${server.pid})`);
    done();

    done = step('open the workspace in headless Chromium');
    // Our own signal handlers tear down in order; Playwright's would exit before they finish.
    browser = await chromium.launch(
      chromiumLaunchOptions({
        ...(process.env.E2E_CHROMIUM ? { executablePath: process.env.E2E_CHROMIUM } : {}),
        handleSIGINT: false,
        handleSIGTERM: false,
        handleSIGHUP: false,
      }),
    );
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await installEvaluateShim(page);
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    let wb = await openWorkbench(page, server.url, sandbox.workspace);
    done();

    for (const scenario of selected) {
      console.log(`-- ${scenario.id}: ${scenario.title}`);
      const started = Date.now();
      let outcome: Outcome;
      try {
        const ctx = { wb, workspace: sandbox.workspace, inHostReport, log: (m: string) => console.log(`   · ${m}`) };
        await withTimeout(scenario.run(ctx), SCENARIO_TIMEOUT_MS, scenario.id);
        await assertHostAlive(wb);
        outcome = { scenario, ok: true, ms: Date.now() - started };
        await wb.screenshot(`${scenario.id}-passed`);
      } catch (err) {
        const message = err instanceof E2EAssertionError ? err.message : String((err as Error)?.stack ?? err);
        const shown = await wb.notifications().catch(() => [] as string[]);
        const extra = shown.length ? `\nnotifications on screen: ${shown.map((n) => JSON.stringify(n)).join('; ')}` : '';
        outcome = { scenario, ok: false, ms: Date.now() - started, error: message + extra };
        await wb.screenshot(`${scenario.id}-FAILED`).catch(() => undefined);
      }
      outcomes.push(outcome);
      console.log(`   ${outcome.ok ? 'PASS' : 'FAIL'} ${scenario.id} (${(outcome.ms / 1000).toFixed(1)} s)`);
      if (outcome.error) console.log(indent(outcome.error));
      wb = await resetBetweenScenarios(page, wb, server.url, sandbox.workspace, !outcome.ok);
    }
    if (outcomes.some((o) => !o.ok) && pageErrors.length) {
      console.log(`   page errors seen:\n${indent(pageErrors.slice(0, 10).join('\n'))}`);
    }
  } catch (err) {
    console.error(`e2e: could not run the scenarios: ${String((err as Error)?.stack ?? err)}`);
    if (server) console.error(`code-server log (tail):\n${tail(server.logFile)}`);
  } finally {
    await teardown();
  }

  // A scenario that never ran (setup failed) counts as failed: CI must not read it as green.
  const ran = new Set(outcomes.map((o) => o.scenario.id));
  for (const s of selected) if (!ran.has(s.id)) outcomes.push({ scenario: s, ok: false, ms: 0, error: 'not run' });
  const passed = outcomes.filter((o) => o.ok).length;
  const hostErrors = extensionHostErrors();
  if (hostErrors.length && passed < outcomes.length) {
    console.log(`\nextension host errors (${hostErrors.length}, first 15):\n${indent(hostErrors.slice(0, 15).join('\n'))}`);
  }
  const failed = outcomes.length - passed;
  console.log('\nscenario                 result  time');
  for (const o of outcomes) {
    console.log(`${o.scenario.id.padEnd(24)} ${o.ok ? 'pass' : 'FAIL'}    ${(o.ms / 1000).toFixed(1)} s`);
  }
  console.log(`screenshots and logs: ${path.relative(REPO, RESULTS)}/ (total ${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  console.log(`e2e: ${passed} passed, ${failed} failed`);
  return failed === 0 && passed > 0 ? 0 : 1;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `      ${l}`)
    .join('\n');
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    console.log('e2e: 0 passed, 1 failed');
    void teardown().finally(() => process.exit(1));
  },
);
