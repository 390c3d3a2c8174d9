/**
 * Real database servers for the integration tests: a throwaway PostgreSQL 15 (HypoPG and
 * pg_stat_statements preloaded) and a throwaway MariaDB, each on a temporary data directory and
 * a free loopback port, torn down afterwards. The binaries come from Debian packages that
 * `.ci/run` installs; when they are missing the harness throws (a test that silently skips
 * would hide that CI stopped testing against real servers).
 */
import { execFileSync, spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';

/** Password of the `app` role both servers get (the tests also try a wrong one). */
export const APP_PASSWORD = 'app-secret';

/** A running server and how to reach it. */
export interface TestServer {
  /** `postgresql://app:…@127.0.0.1:PORT/shop` or `mysql://app:…@127.0.0.1:PORT/shop`. */
  url: string;
  /** Same server, superuser URL (for setup and for checking what the app role cannot do). */
  adminUrl: string;
  port: number;
  stop(): Promise<void>;
}

/** A free TCP port on the loopback interface (the OS picks it; we release it immediately). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

function missing(what: string): Error {
  return new Error(`${what} is not installed: the live-database integration tests need it (CI installs it from Debian in .ci/run: postgresql postgresql-15-hypopg postgresql-contrib mariadb-server)`);
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** Runs a server binary, as the given system user when we are root (the servers refuse root). */
function runAs(user: string, file: string, args: string[]): string {
  const [cmd, argv] = isRoot ? ['runuser', ['-u', user, '--', file, ...args]] : [file, args];
  return execFileSync(cmd, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function tempDir(prefix: string, owner: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  if (isRoot) execFileSync('chown', ['-R', `${owner}:${owner}`, dir]);
  return dir;
}

/** PostgreSQL 15's binaries (Debian keeps them out of PATH). */
function pgBin(name: string): string {
  for (const dir of ['/usr/lib/postgresql/15/bin']) {
    const file = path.join(dir, name);
    if (fs.existsSync(file)) return file;
  }
  throw missing('PostgreSQL 15');
}

/**
 * Starts PostgreSQL 15 with pg_stat_statements preloaded, a database `shop` owned by the
 * password-protected role `app`, and HypoPG + pg_stat_statements created in it.
 */
export async function startPostgres(): Promise<TestServer> {
  const initdb = pgBin('initdb');
  const pgCtl = pgBin('pg_ctl');
  if (!fs.existsSync('/usr/share/postgresql/15/extension/hypopg.control')) throw missing('postgresql-15-hypopg');
  if (!fs.existsSync('/usr/share/postgresql/15/extension/pg_stat_statements.control')) throw missing('postgresql-contrib (pg_stat_statements)');
  const dir = tempDir('spa-pg-', 'postgres');
  const data = path.join(dir, 'data');
  const pwfile = path.join(dir, 'pw');
  fs.writeFileSync(pwfile, 'postgres-secret\n');
  if (isRoot) execFileSync('chown', ['postgres:postgres', pwfile]);
  runAs('postgres', initdb, ['-D', data, '-U', 'postgres', '--auth-local=trust', '--auth-host=scram-sha-256', `--pwfile=${pwfile}`, '-E', 'UTF8', '--locale=C']);
  const port = await freePort();
  const opts = [
    `-k ${dir}`,
    '-c listen_addresses=127.0.0.1',
    `-p ${port}`,
    '-c shared_preload_libraries=pg_stat_statements',
    '-c fsync=off',
    '-c synchronous_commit=off',
    '-c full_page_writes=off',
    '-c max_connections=40',
  ].join(' ');
  runAs('postgres', pgCtl, ['-D', data, '-w', '-t', '60', '-l', path.join(dir, 'log'), 'start', '-o', opts]);
  const halt = () => {
    try {
      runAs('postgres', pgCtl, ['-D', data, '-m', 'immediate', 'stop']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };
  // A test run that dies half-way must not leave a server behind.
  const forget = onExit(halt);
  const stop = async () => {
    forget();
    halt();
  };
  try {
    const { Client } = await import('pg');
    const admin = new Client({ host: '127.0.0.1', port, user: 'postgres', password: 'postgres-secret', database: 'postgres' });
    await admin.connect();
    await admin.query(`CREATE ROLE app LOGIN PASSWORD '${APP_PASSWORD}'`);
    await admin.query('CREATE DATABASE shop OWNER app');
    await admin.end();
    const shop = new Client({ host: '127.0.0.1', port, user: 'postgres', password: 'postgres-secret', database: 'shop' });
    await shop.connect();
    await shop.query('CREATE EXTENSION hypopg; CREATE EXTENSION pg_stat_statements; GRANT pg_read_all_stats TO app');
    await shop.end();
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    url: `postgresql://app:${APP_PASSWORD}@127.0.0.1:${port}/shop`,
    adminUrl: `postgresql://postgres:postgres-secret@127.0.0.1:${port}/shop`,
    port,
    stop,
  };
}

/** MariaDB's server binary. */
function mariadbBin(): string {
  for (const file of ['/usr/sbin/mariadbd', '/usr/sbin/mysqld']) if (fs.existsSync(file)) return file;
  throw missing('mariadb-server');
}

/** Starts MariaDB with a database `shop` and a password-protected user `app` that owns it. */
export async function startMariadb(): Promise<TestServer> {
  const server = mariadbBin();
  const installDb = ['/usr/bin/mariadb-install-db', '/usr/bin/mysql_install_db'].find((f) => fs.existsSync(f));
  if (!installDb) throw missing('mariadb-server (mariadb-install-db)');
  const dir = tempDir('spa-maria-', 'mysql');
  const data = path.join(dir, 'data');
  const socket = path.join(dir, 'mysqld.sock');
  runAs('mysql', installDb, ['--no-defaults', `--datadir=${data}`, '--auth-root-authentication-method=normal', '--skip-test-db']);
  const port = await freePort();
  const args = [
    '--no-defaults',
    `--datadir=${data}`,
    `--socket=${socket}`,
    `--port=${port}`,
    '--bind-address=127.0.0.1',
    `--pid-file=${path.join(dir, 'mysqld.pid')}`,
    `--log-error=${path.join(dir, 'error.log')}`,
    '--skip-name-resolve',
    '--innodb-buffer-pool-size=32M',
    '--innodb-log-file-size=8M',
    '--performance-schema=OFF',
  ];
  // mariadbd drops to the mysql user itself (--user), so the child we hold is the server.
  if (isRoot) args.push('--user=mysql');
  const child: ChildProcess = spawn(server, args, { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const forget = onExit(() => {
    child.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const stop = async () => {
    forget();
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    const mysql = await import('mysql2/promise');
    let conn: import('mysql2/promise').Connection | undefined;
    const deadline = Date.now() + 60_000;
    while (!conn) {
      if (child.exitCode !== null) throw new Error(`MariaDB exited during start: ${readTail(path.join(dir, 'error.log'))}`);
      try {
        conn = await mysql.createConnection({ socketPath: socket, user: 'root', multipleStatements: true });
      } catch (err) {
        if (Date.now() > deadline) throw err;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    await conn.query(
      `CREATE DATABASE shop; CREATE USER 'app'@'%' IDENTIFIED BY '${APP_PASSWORD}'; GRANT ALL ON shop.* TO 'app'@'%';` +
        ` CREATE USER 'admin'@'%' IDENTIFIED BY 'admin-secret'; GRANT ALL ON *.* TO 'admin'@'%' WITH GRANT OPTION; FLUSH PRIVILEGES;`,
    );
    await conn.end();
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    url: `mysql://app:${APP_PASSWORD}@127.0.0.1:${port}/shop`,
    adminUrl: `mysql://admin:admin-secret@127.0.0.1:${port}/shop`,
    port,
    stop,
  };
}

const exitHooks = new Set<() => void>();
let hooked = false;

/** Runs `fn` (synchronously) if the process exits before the returned function is called. */
function onExit(fn: () => void): () => void {
  if (!hooked) {
    hooked = true;
    const runHooks = () => {
      for (const hook of exitHooks) {
        try {
          hook();
        } catch {
          // Best effort while exiting.
        }
      }
      exitHooks.clear();
    };
    process.on('exit', runHooks);
    // A run interrupted by Ctrl-C or a CI timeout stops its servers too.
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        runHooks();
        process.exit(130);
      });
    }
  }
  exitHooks.add(fn);
  return () => void exitHooks.delete(fn);
}

function readTail(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-8).join('\n');
  } catch {
    return '(no error log)';
  }
}
