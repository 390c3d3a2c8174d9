/**
 * Which engine plans a query in this workspace: the bundled engine, or a live server from the
 * `sqlPlanAdvisor.connections` setting or a detected `DATABASE_URL`. A status-bar item shows
 * the choice (with the host) and opens the picker; the choice is remembered per workspace.
 * Passwords live in SecretStorage, never in settings. In Restricted Mode nothing the workspace
 * provides (workspace settings, `.env`) can start a connection: a repository must never be able
 * to point the user's stored credentials at a host it chose.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { Dialect } from '../core/dialect';
import { connectTarget, type LiveServer } from '../core/live/connect';
import { parseDatabaseUrl, sslModeOf, type LiveTarget } from '../core/live/target';

/** One entry of the `sqlPlanAdvisor.connections` setting. */
interface ConnectionSetting {
  name?: string;
  dialect?: string;
  url?: string;
  host?: string;
  port?: number;
  database?: string;
  user?: string;
  sslmode?: string;
}

/** A connection the user may pick. */
interface Choice {
  id: string;
  label: string;
  target: LiveTarget;
  /** Where it came from, for the picker's detail line. */
  from: string;
}

const BUNDLED = 'bundled';
const ACTIVE_KEY = 'sqlPlanAdvisor.activeConnection';
const ENV_CONSENT_KEY = 'sqlPlanAdvisor.databaseUrlConsent';

/** The workspace's choice of plan source, its status-bar item and its open connection. */
export class Connections implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly disposables: vscode.Disposable[] = [];
  private open: { id: string; server: Promise<LiveServer> } | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when the plan source may have changed (a pick, the connections setting, trust). */
  readonly onDidChange = this.changed.event;

  constructor(private readonly context: vscode.ExtensionContext) {
    this.item = vscode.window.createStatusBarItem('sqlPlanAdvisor.connection', vscode.StatusBarAlignment.Left, 20);
    this.item.name = 'SQL Plan Advisor: plan source';
    this.item.command = 'sqlPlanAdvisor.pickConnection';
    this.disposables.push(
      this.item,
      this.changed,
      vscode.commands.registerCommand('sqlPlanAdvisor.pickConnection', () => this.pick()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('sqlPlanAdvisor.connections')) this.refresh();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.refresh()),
    );
    this.refresh();
  }

  /** The picked live server, connected (once per pick), or undefined for the bundled engine. */
  async server(): Promise<LiveServer | undefined> {
    const choice = this.activeChoice();
    if (!choice) return undefined;
    if (this.open?.id !== choice.id) {
      this.closeOpen();
      const timeout = vscode.workspace.getConfiguration('sqlPlanAdvisor').get<number>('live.statementTimeoutMs', 10_000);
      const server = this.withPassword(choice).then((target) => connectTarget(target, { statementTimeoutMs: timeout > 0 ? timeout : undefined }));
      this.open = { id: choice.id, server };
      // A failed connection is retried on the next Explain rather than cached.
      server.catch(() => {
        if (this.open?.server === server) this.open = undefined;
      });
    }
    return this.open.server;
  }

  /** True when Explain uses the bundled engine (no live connection picked, or it is gone from the settings). */
  get usesBundledEngine(): boolean {
    return this.activeChoice() === undefined;
  }

  /** Shows the picker: Bundled engine, then every connection with its host. */
  async pick(): Promise<void> {
    await this.offerDatabaseUrl();
    const choices = this.choices();
    const active = this.context.workspaceState.get<string>(ACTIVE_KEY, BUNDLED);
    type Item = vscode.QuickPickItem & { id: string };
    const items: Item[] = [
      { id: BUNDLED, label: '$(server-process) Bundled engine', description: 'PGlite, synthetic rows', detail: active === BUNDLED ? 'current' : undefined },
      ...choices.map((c) => ({ id: c.id, label: `$(database) ${c.label}`, description: `${c.target.dialect === 'mysql' ? 'MySQL' : 'PostgreSQL'} · ${c.target.host}:${c.target.port}/${c.target.database}`, detail: `${c.from}${active === c.id ? ' · current' : ''}` })),
    ];
    if (!vscode.workspace.isTrusted) {
      items.push({ id: '', label: '$(shield) Restricted Mode', description: 'only connections from your user settings are offered', kind: vscode.QuickPickItemKind.Separator } as Item);
    }
    const picked = await vscode.window.showQuickPick(items.filter((i) => i.id || i.kind === vscode.QuickPickItemKind.Separator), { title: 'Plan queries with…', placeHolder: 'Explain and index advice use this engine in this workspace' });
    if (!picked || !picked.id) return;
    await this.context.workspaceState.update(ACTIVE_KEY, picked.id);
    this.closeOpen();
    this.refresh();
  }

  dispose(): void {
    this.closeOpen();
    for (const d of this.disposables) d.dispose();
  }

  private refresh(): void {
    const choice = this.activeChoice();
    this.item.text = choice ? `$(database) ${choice.label}` : '$(server-process) Bundled engine';
    this.item.tooltip = choice ? `Explain plans come from ${choice.target.host}:${choice.target.port}/${choice.target.database} (${choice.from}). Click to change.` : 'Explain plans come from the bundled engine (PGlite, synthetic rows). Click to use a live database.';
    this.item.show();
    this.changed.fire();
  }

  private activeChoice(): Choice | undefined {
    const id = this.context.workspaceState.get<string>(ACTIVE_KEY, BUNDLED);
    if (id === BUNDLED) return undefined;
    return this.choices().find((c) => c.id === id);
  }

  /** Connections the user may pick now (Restricted Mode: user settings only). */
  private choices(): Choice[] {
    const inspected = vscode.workspace.getConfiguration('sqlPlanAdvisor').inspect<ConnectionSetting[]>('connections');
    const trusted = vscode.workspace.isTrusted;
    const sources: [ConnectionSetting[] | undefined, string][] = [[inspected?.globalValue, 'user settings']];
    if (trusted) sources.push([inspected?.workspaceValue, 'workspace settings'], [inspected?.workspaceFolderValue, 'folder settings']);
    const out: Choice[] = [];
    for (const [list, from] of sources) {
      for (const [i, c] of (Array.isArray(list) ? list : []).entries()) {
        const target = targetOf(c);
        if (!target) continue;
        const name = c.name?.trim() || `${target.host}/${target.database}`;
        // The host is always part of the label: a familiar name must not hide where it points.
        out.push({ id: `${from}:${i}:${name}`, label: `${name} (${target.host})`, target, from });
      }
    }
    if (trusted && this.context.workspaceState.get<string>(ENV_CONSENT_KEY) === 'yes') {
      const found = findDatabaseUrl();
      if (found) {
        try {
          const target = parseDatabaseUrl(found.url);
          out.push({ id: 'env:DATABASE_URL', label: `DATABASE_URL (${target.host})`, target, from: found.from });
        } catch {
          // Not a URL we understand: not offered.
        }
      }
    }
    return out;
  }

  /** Asks once per workspace before using a detected DATABASE_URL (never in Restricted Mode). */
  private async offerDatabaseUrl(): Promise<void> {
    if (!vscode.workspace.isTrusted || this.context.workspaceState.get<string>(ENV_CONSENT_KEY)) return;
    const found = findDatabaseUrl();
    if (!found) return;
    let host = '?';
    try {
      host = parseDatabaseUrl(found.url).display;
    } catch {
      return;
    }
    const use = await vscode.window.showInformationMessage(`DATABASE_URL found in ${found.from}, pointing at ${host}. Offer it as a plan source?`, 'Offer it', 'Never for this workspace');
    if (use) await this.context.workspaceState.update(ENV_CONSENT_KEY, use === 'Offer it' ? 'yes' : 'no');
  }

  /** The target with its password: from the URL, else SecretStorage, else asked for and stored. */
  private async withPassword(choice: Choice): Promise<LiveTarget> {
    if (choice.target.password !== undefined) return choice.target;
    const key = `sqlPlanAdvisor.password:${choice.target.user ?? ''}@${choice.target.host}:${choice.target.port}/${choice.target.database}`;
    let password = await this.context.secrets.get(key);
    if (password === undefined) {
      password = await vscode.window.showInputBox({ title: `Password for ${choice.target.user ?? 'the user'} at ${choice.target.display}`, password: true, ignoreFocusOut: true, prompt: 'Stored in VS Code SecretStorage, never in settings. Leave empty for none.' });
      if (password === undefined) throw new Error('no password given');
      await this.context.secrets.store(key, password);
    }
    return { ...choice.target, password };
  }

  private closeOpen(): void {
    const open = this.open;
    this.open = undefined;
    void open?.server.then((s) => s.close()).catch(() => undefined);
  }
}

/** A connection setting as a target; undefined when it names no host/database. */
function targetOf(c: ConnectionSetting): LiveTarget | undefined {
  try {
    if (c.url) {
      const t = parseDatabaseUrl(c.url);
      return c.sslmode ? { ...t, sslmode: sslModeOf(c.sslmode) } : t;
    }
    if (!c.host || !c.database) return undefined;
    const dialect: Dialect = c.dialect === 'mysql' || c.dialect === 'mariadb' ? 'mysql' : 'postgresql';
    const port = c.port ?? (dialect === 'mysql' ? 3306 : 5432);
    return { dialect, host: c.host, port, database: c.database, user: c.user, sslmode: c.sslmode ? sslModeOf(c.sslmode) : undefined, display: `${c.host}:${port}/${c.database}` };
  } catch {
    return undefined;
  }
}

/** `DATABASE_URL` from the extension host's environment, else a workspace `.env` file. */
function findDatabaseUrl(): { url: string; from: string } | undefined {
  const env = process.env.DATABASE_URL?.trim();
  if (env) return { url: env, from: 'the environment' };
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const file = path.join(folder.uri.fsPath, '.env');
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split(/\r?\n/)) {
      const m = /^\s*(?:export\s+)?DATABASE_URL\s*=\s*(.*)$/.exec(line);
      if (!m) continue;
      const url = m[1].trim().replace(/^(['"])(.*)\1$/, '$2');
      if (url) return { url, from: `${path.basename(folder.uri.fsPath)}/.env` };
    }
  }
  return undefined;
}
