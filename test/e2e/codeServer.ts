/**
 * Runs code-server (VS Code 1.100 in the browser, same extension host as desktop VS Code) for the
 * end-to-end tests: throwaway user-data/extensions/config dirs, a free loopback port, and a
 * process group we always kill, whatever way the run ends.
 */
import { spawn, spawnSync, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as net from 'net';
import * as path from 'path';

export const CODE_SERVER_VERSION = '4.100.3';

/** Where scripts/install-code-server.sh puts the binary. */
export function codeServerBin(repoRoot: string): string {
  return path.join(repoRoot, '.vscode-test', `code-server-${CODE_SERVER_VERSION}`, 'node_modules', '.bin', 'code-server');
}

/**
 * User settings that remove first-run noise (trust prompt, walkthroughs, tips, update and
 * telemetry pings) so that what the scenarios see is the extension, not the welcome flow.
 */
export const QUIET_USER_SETTINGS: Record<string, unknown> = {
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.editor.enablePreview': false,
  'workbench.colorTheme': 'Default Dark Modern',
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'git.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
  'files.hotExit': 'off',
  'files.autoSave': 'off',
  'window.restoreWindows': 'none',
  'editor.minimap.enabled': false,
  'editor.hover.delay': 200,
  'editor.accessibilitySupport': 'off',
  'chat.commandCenter.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'notifications.doNotDisturbMode': false,
  // Scenarios type SQL keystroke by keystroke: no auto-closed quotes or suggestions in between.
  'editor.autoClosingBrackets': 'never',
  'editor.autoClosingQuotes': 'never',
  'editor.autoSurround': 'never',
  'editor.autoIndent': 'none',
  'editor.quickSuggestions': { other: false, comments: false, strings: false },
  'editor.suggestOnTriggerCharacters': false,
  'editor.wordBasedSuggestions': 'off',
  'editor.acceptSuggestionOnEnter': 'off',
  'editor.parameterHints.enabled': false,
  'editor.inlineSuggest.enabled': false,
};

export interface Sandbox {
  root: string;
  userDataDir: string;
  extensionsDir: string;
  configFile: string;
  workspace: string;
}

/** Creates the throwaway directories code-server runs with, and copies the fixture workspace. */
export function createSandbox(root: string, fixtureWorkspace: string, extraSettings: Record<string, unknown> = {}): Sandbox {
  fs.rmSync(root, { recursive: true, force: true });
  const sandbox: Sandbox = {
    root,
    userDataDir: path.join(root, 'user-data'),
    extensionsDir: path.join(root, 'extensions'),
    configFile: path.join(root, 'config.yaml'),
    workspace: path.join(root, 'workspace'),
  };
  fs.mkdirSync(path.join(sandbox.userDataDir, 'User'), { recursive: true });
  fs.mkdirSync(sandbox.extensionsDir, { recursive: true });
  fs.writeFileSync(
    path.join(sandbox.userDataDir, 'User', 'settings.json'),
    JSON.stringify({ ...QUIET_USER_SETTINGS, ...extraSettings }, null, 2),
  );
  // Our own config file, so code-server never writes a password file into $HOME.
  fs.writeFileSync(sandbox.configFile, 'auth: none\ncert: false\n');
  fs.cpSync(fixtureWorkspace, sandbox.workspace, { recursive: true });
  return sandbox;
}

/** Environment for code-server: XDG dirs inside the sandbox so nothing lands in $HOME. */
function serverEnv(sandbox: Sandbox, extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return {
    ...process.env,
    XDG_CONFIG_HOME: path.join(sandbox.root, 'xdg-config'),
    XDG_DATA_HOME: path.join(sandbox.root, 'xdg-data'),
    XDG_CACHE_HOME: path.join(sandbox.root, 'xdg-cache'),
    ...extra,
  };
}

/** Installs a VSIX the way a user does (`--install-extension`); throws with code-server's output on failure. */
export function installExtension(bin: string, sandbox: Sandbox, vsix: string): string {
  const res = spawnSync(
    bin,
    ['--config', sandbox.configFile, '--user-data-dir', sandbox.userDataDir, '--extensions-dir', sandbox.extensionsDir, '--force', '--install-extension', vsix],
    { encoding: 'utf8', env: serverEnv(sandbox, {}), timeout: 120_000 },
  );
  const out = `${res.stdout ?? ''}${res.stderr ?? ''}`;
  if (res.status !== 0 || res.error) {
    throw new Error(`code-server --install-extension failed (exit ${res.status}): ${res.error?.message ?? ''}\n${out}`);
  }
  return out.trim();
}

/** Asks the OS for a free loopback port. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function httpStatus(url: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get(url, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', () => resolve(0));
    req.setTimeout(2000, () => {
      req.destroy();
      resolve(0);
    });
  });
}

export interface RunningServer {
  url: string;
  port: number;
  pid: number;
  logFile: string;
  /** Stops the whole process group (extension host included); safe to call twice. */
  stop(): Promise<void>;
  /** Synchronous last-resort kill for process 'exit' handlers. */
  killNow(): void;
}

/** Starts code-server in its own process group and resolves once it answers /healthz. */
export async function startCodeServer(
  bin: string,
  sandbox: Sandbox,
  logFile: string,
  env: NodeJS.ProcessEnv = {},
  timeoutMs = 90_000,
): Promise<RunningServer> {
  const port = await freePort();
  const log = fs.openSync(logFile, 'w');
  const child: ChildProcess = spawn(
    bin,
    [
      '--config', sandbox.configFile,
      '--auth', 'none',
      '--bind-addr', `127.0.0.1:${port}`,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--ignore-last-opened',
      '--user-data-dir', sandbox.userDataDir,
      '--extensions-dir', sandbox.extensionsDir,
      sandbox.workspace,
    ],
    { detached: true, stdio: ['ignore', log, log], env: serverEnv(sandbox, env) },
  );
  fs.closeSync(log);
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${bin}`);
  startWatchdog(pid, sandbox.root);
  let exited = false;
  const exitedPromise = new Promise<void>((resolve) => child.once('exit', () => ((exited = true), resolve())));

  const killGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-pid, signal);
    } catch {
      // The group is already gone.
    }
  };
  let stopping: Promise<void> | undefined;
  const server: RunningServer = {
    url: `http://127.0.0.1:${port}/`,
    port,
    pid,
    logFile,
    killNow: () => killGroup('SIGKILL'),
    stop: () => {
      stopping ??= (async () => {
        killGroup('SIGTERM');
        const timer = new Promise<void>((r) => setTimeout(r, 5000).unref());
        await Promise.race([exitedPromise, timer]);
        // SIGKILL the group regardless: the extension host and watchers are its children.
        killGroup('SIGKILL');
      })();
      return stopping;
    },
  };

  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited) {
      throw new Error(`code-server exited during startup; log:\n${tail(logFile)}`);
    }
    if ((await httpStatus(`${server.url}healthz`)) === 200) return server;
    await new Promise((r) => setTimeout(r, 250));
  }
  await server.stop();
  throw new Error(`code-server did not answer on port ${port} within ${timeoutMs / 1000} s; log:\n${tail(logFile)}`);
}

/**
 * A detached watchdog that SIGKILLs code-server's process group (and removes the sandbox) as soon
 * as the runner is gone, however it went: signal handlers cannot run on SIGKILL, and a wrapper
 * (npm, tsx) may end the runner before its own teardown finishes. It exits once the group is gone.
 */
function startWatchdog(group: number, sandboxRoot: string): void {
  const script = `
    const [runner, group, dir] = [Number(process.argv[1]), Number(process.argv[2]), process.argv[3]];
    const alive = (pid) => { try { process.kill(pid, 0); return true; } catch { return false; } };
    setInterval(() => {
      if (!alive(-group)) process.exit(0);
      if (!alive(runner)) {
        try { process.kill(-group, 'SIGKILL'); } catch {}
        if (process.env.E2E_KEEP === undefined) { try { require('fs').rmSync(dir, { recursive: true, force: true }); } catch {} }
        process.exit(0);
      }
    }, 500);`;
  const dog = spawn(process.execPath, ['-e', script, String(process.pid), String(group), sandboxRoot], {
    detached: true,
    stdio: 'ignore',
  });
  dog.unref();
}

/** Last lines of a log file, for failure messages. */
export function tail(file: string, lines = 40): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
