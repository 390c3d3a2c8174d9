/**
 * The failures a user meets with a live database, each turned into one clear sentence: the
 * server is unreachable, the password is wrong, TLS is required, the database does not exist,
 * a permission is missing, a statement timed out, or we refused to send a statement.
 */

export type LiveErrorKind =
  /** The URL or an option is malformed. */
  | 'usage'
  /** No server answered at host:port (refused, unknown host, timed out). */
  | 'unreachable'
  /** The server rejected the user name or password. */
  | 'auth'
  /** The server requires TLS, or TLS was required and the server does not offer it. */
  | 'tls'
  /** The database named in the URL does not exist. */
  | 'database'
  /** The role may not read something we need (pg_stats, a table…). */
  | 'permission'
  /** A statement ran longer than the statement timeout and was cancelled. */
  | 'timeout'
  /** We refused to send the statement (DDL, several statements, SET, COPY…). */
  | 'refused'
  /** The server rejected the statement (syntax, unknown table…). */
  | 'statement';

/** A live-database failure with a message meant for the user as is. */
export class LiveError extends Error {
  constructor(
    readonly kind: LiveErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'LiveError';
  }

  /** True for failures to connect at all (the CLI exits with code 2 for these). */
  get isConnection(): boolean {
    return this.kind === 'unreachable' || this.kind === 'auth' || this.kind === 'tls' || this.kind === 'database' || this.kind === 'usage';
  }
}

interface DriverError {
  code?: string;
  errno?: number;
  message?: string;
  sqlMessage?: string;
}

/**
 * Explains a connection failure from `pg` or `mysql2` in one line naming the server
 * (`display` is host:port/database, never the password).
 */
export function connectError(err: unknown, display: string, user: string | undefined): LiveError {
  if (err instanceof LiveError) return err;
  const e = (err ?? {}) as DriverError;
  const code = String(e.code ?? '');
  const text = String(e.sqlMessage ?? e.message ?? err);
  const host = display.split('/')[0];
  const database = display.split('/').slice(1).join('/');
  if (['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET'].includes(code) || /timeout expired|connect ETIMEDOUT|Connection terminated due to connection timeout/i.test(text)) {
    const why = code === 'ENOTFOUND' || code === 'EAI_AGAIN' ? 'the host name does not resolve' : code === 'ECONNREFUSED' ? 'nothing is listening there' : 'no answer';
    return new LiveError('unreachable', `cannot reach the database server at ${host} (${why}); is it running, and is the host and port right?`);
  }
  if (code === '28P01' || code === 'ER_ACCESS_DENIED_ERROR' || e.errno === 1045 || /password authentication failed|Access denied for user/i.test(text)) {
    return new LiveError('auth', `the server at ${host} rejected user '${user ?? '(none)'}': wrong password or unknown user`);
  }
  if (/no encryption|SSL off|requires SSL|secure transport|ER_SECURE_TRANSPORT_REQUIRED/i.test(text) || code === 'ER_SECURE_TRANSPORT_REQUIRED') {
    return new LiveError('tls', `the server at ${host} requires TLS: add ?sslmode=require to the URL (or set sslmode on the connection)`);
  }
  if (/does not support SSL|Server does not support secure connnection|HANDSHAKE_NO_SSL_SUPPORT/i.test(text) || code === 'HANDSHAKE_NO_SSL_SUPPORT') {
    return new LiveError('tls', `TLS was required but the server at ${host} does not offer it: use sslmode=disable or prefer if that is acceptable`);
  }
  if (/self[- ]signed certificate|unable to verify the first certificate|certificate/i.test(text)) {
    return new LiveError('tls', `the TLS certificate of ${host} could not be verified (${firstLine(text)}); use sslmode=require to encrypt without verifying`);
  }
  if (code === '3D000' || code === 'ER_BAD_DB_ERROR' || e.errno === 1049) {
    return new LiveError('database', `database '${database}' does not exist on ${host}`);
  }
  if (code === '28000') return new LiveError('auth', `the server at ${host} refused the connection: ${firstLine(text)}`);
  return new LiveError('unreachable', `cannot connect to ${host}: ${firstLine(text)}`);
}

/** Explains a failure of a statement we sent (after connecting). */
export function statementError(err: unknown, timeoutMs: number): LiveError {
  if (err instanceof LiveError) return err;
  const e = (err ?? {}) as DriverError;
  const code = String(e.code ?? '');
  const text = String(e.sqlMessage ?? e.message ?? err);
  if (code === '57014' || e.errno === 1969 || e.errno === 3024 || /statement timeout|max_statement_time|maximum statement execution time/i.test(text)) {
    return new LiveError('timeout', `the statement ran longer than the ${Math.round(timeoutMs / 100) / 10} s statement timeout and was cancelled (nothing was changed); raise the timeout or explain without ANALYZE`);
  }
  if (code === '42501' && /pg_stats/.test(text)) {
    return new LiveError('permission', 'permission denied on pg_stats: parameters cannot get representative values from the statistics; GRANT SELECT ON pg_stats to this role, or write literal values');
  }
  if (code === '42501' || e.errno === 1142 || e.errno === 1143) return new LiveError('permission', `permission denied: ${firstLine(text)}`);
  return new LiveError('statement', firstLine(text));
}

function firstLine(text: string): string {
  return text.split('\n')[0].slice(0, 300);
}
