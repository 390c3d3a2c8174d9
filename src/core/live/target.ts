/**
 * Where a live plan comes from: a database URL (`postgresql://…`, `mysql://…`) or the fields of
 * a configured connection, reduced to what the drivers need plus a display name that never
 * contains the password.
 */
import type { Dialect } from '../dialect';
import { LiveError } from './errors';

/** TLS policy, as libpq spells it (`verify-ca`/`verify-full` check the certificate). */
export type SslMode = 'disable' | 'prefer' | 'require' | 'verify-ca' | 'verify-full';

export interface LiveTarget {
  dialect: Dialect;
  host: string;
  port: number;
  database: string;
  user?: string;
  password?: string;
  sslmode?: SslMode;
  /** `host:port/database` — what the UI and messages show (no user, no password). */
  display: string;
}

const SSL_MODES: readonly SslMode[] = ['disable', 'prefer', 'require', 'verify-ca', 'verify-full'];

/** Parses a database URL; throws `LiveError('usage')` with a clear message when it is not one. */
export function parseDatabaseUrl(url: string): LiveTarget {
  let u: URL;
  try {
    u = new URL(url.trim());
  } catch {
    throw new LiveError('usage', 'the database URL is not a URL (expected postgresql://user:password@host:port/database or mysql://…)');
  }
  const scheme = u.protocol.replace(/:$/, '').toLowerCase();
  const dialect: Dialect | undefined =
    scheme === 'postgres' || scheme === 'postgresql' ? 'postgresql' : scheme === 'mysql' || scheme === 'mariadb' ? 'mysql' : undefined;
  if (!dialect) throw new LiveError('usage', `unsupported database URL scheme '${scheme}:' (expected postgresql:// or mysql://)`);
  const host = decodeURIComponent(u.hostname || '') || 'localhost';
  const port = u.port ? Number(u.port) : dialect === 'postgresql' ? 5432 : 3306;
  const database = decodeURIComponent(u.pathname.replace(/^\//, '')) || (dialect === 'postgresql' ? decodeURIComponent(u.username || 'postgres') : '');
  if (!database) throw new LiveError('usage', 'the database URL names no database (mysql://user@host:3306/<database>)');
  const ssl = u.searchParams.get('sslmode') ?? u.searchParams.get('ssl-mode');
  const sslmode = ssl ? sslModeOf(ssl) : undefined;
  return {
    dialect,
    host,
    port,
    database,
    user: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    sslmode,
    display: `${host}:${port}/${database}`,
  };
}

/** Validates an `sslmode` value (MySQL's `REQUIRED`/`DISABLED` spellings are accepted too). */
export function sslModeOf(value: string): SslMode {
  const v = value.toLowerCase().replace(/_/g, '-');
  const mapped = v === 'required' ? 'require' : v === 'disabled' ? 'disable' : v === 'preferred' ? 'prefer' : v === 'verify-identity' ? 'verify-full' : v;
  if (!(SSL_MODES as readonly string[]).includes(mapped)) throw new LiveError('usage', `unknown sslmode '${value}' (expected ${SSL_MODES.join(', ')})`);
  return mapped as SslMode;
}

/** A URL with the password replaced, safe to print or log. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparsable database URL)';
  }
}
