/**
 * The CLI's optional long-lived engine (`explain --keep-engine`). The first invocation starts a
 * background process that loads the schema once and answers Explains over a local socket; later
 * invocations with the same schema and options connect to it and skip PostgreSQL's start, the
 * schema and the synthetic rows entirely. The server belongs to one schema (the socket name is a
 * hash of the schema text, the options and this CLI build), so an edited schema simply gets a new
 * server; each server exits after a quiet period. Opt-in: nothing stays running unless asked.
 */
import { spawn } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { ExplainError, type PgliteEngine } from '../core/engine/pgliteEngine';
import type { ExplainRequest, ExplainResult, SchemaLoadProblem } from '../core/engine/types';
import type { SchemaSource } from '../core/schema/types';

/** Minutes a kept engine waits for the next request before it exits. */
export const KEEP_ENGINE_IDLE_MINUTES = 10;

/** What the server answers: the result, or the error as the in-process path would report it. */
export type ServerReply =
  | { ok: true; result: ExplainResult; schemaProblems: SchemaLoadProblem[]; pid: number }
  | { ok: false; message: string; userError: boolean; schemaProblems: SchemaLoadProblem[]; pid: number };

/** The socket (a named pipe on Windows) of the server for this schema and these options. */
export function engineSocketPath(sources: SchemaSource[], options: unknown): string {
  const h = createHash('sha256');
  h.update(JSON.stringify(options));
  h.update(buildStamp());
  for (const s of sources) h.update('\u0000' + s.file + '\u0000' + s.text);
  const key = h.digest('hex').slice(0, 20);
  if (process.platform === 'win32') return `\\\\.\\pipe\\sql-plan-advisor-${key}`;
  return path.join(os.tmpdir(), 'sql-plan-advisor', `engine-${key}.sock`);
}

/** Size and time of the running CLI file: a rebuilt CLI never talks to an older server. */
function buildStamp(): string {
  try {
    const st = fs.statSync(__filename);
    return `${st.size}:${Math.round(st.mtimeMs)}`;
  } catch {
    return 'unknown';
  }
}

/** Sends one request to a running server; undefined when none answers on that socket. */
export function askServer(socket: string, request: ExplainRequest): Promise<ServerReply | undefined> {
  return new Promise((resolve) => {
    const conn = net.createConnection(socket);
    let buffer = '';
    let done = false;
    const finish = (reply: ServerReply | undefined) => {
      if (done) return;
      done = true;
      conn.destroy();
      resolve(reply);
    };
    conn.setEncoding('utf8');
    conn.on('connect', () => conn.write(JSON.stringify(request) + '\n'));
    conn.on('data', (chunk: string) => {
      buffer += chunk;
      const nl = buffer.indexOf('\n');
      if (nl < 0) return;
      try {
        finish(JSON.parse(buffer.slice(0, nl)) as ServerReply);
      } catch {
        finish(undefined);
      }
    });
    conn.on('error', () => finish(undefined));
    conn.on('close', () => finish(undefined));
  });
}

/**
 * Starts a detached server process (this CLI, same arguments, plus `--serve-engine`) and waits
 * until it answers; undefined if it could not start within `timeoutMs`.
 */
export async function startServer(argv: string[], socket: string, request: ExplainRequest, timeoutMs = 120_000): Promise<ServerReply | undefined> {
  const script = process.argv[1];
  if (!script || !fs.existsSync(script)) return undefined;
  let exited = false;
  const child = spawn(process.execPath, [script, 'explain', ...argv, '--serve-engine'], { detached: true, stdio: 'ignore', windowsHide: true });
  child.on('exit', () => (exited = true));
  child.on('error', () => (exited = true));
  child.unref();
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !exited) {
    await new Promise((r) => setTimeout(r, 100));
    const reply = await askServer(socket, request);
    if (reply) return reply;
  }
  return undefined;
}

/**
 * Serves Explains for `engine` on `socket` until no request has come for `idleMs`, then closes
 * the engine (which saves the loaded-engine cache) and exits. One request per connection.
 */
export async function serveEngine(engine: PgliteEngine, socket: string, idleMs: number): Promise<void> {
  if (process.platform !== 'win32') {
    fs.mkdirSync(path.dirname(socket), { recursive: true });
    if (fs.existsSync(socket)) {
      // Another server for this schema already answers (two first runs raced): leave it be.
      if (await askServer(socket, { sql: 'SELECT 1' })) return engine.close();
      // A socket file left by a server that died: nothing listens on it any more.
      fs.rmSync(socket, { force: true });
    }
  }
  await new Promise<void>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const server = net.createServer((conn) => {
      arm();
      let buffer = '';
      conn.setEncoding('utf8');
      conn.on('error', () => undefined);
      conn.on('data', (chunk: string) => {
        buffer += chunk;
        const nl = buffer.indexOf('\n');
        if (nl < 0) return;
        const line = buffer.slice(0, nl);
        buffer = '';
        void answer(engine, line).then((reply) => {
          conn.end(JSON.stringify(reply) + '\n');
          arm();
        });
      });
    });
    const stop = () => {
      if (timer) clearTimeout(timer);
      server.close();
      void engine.close().finally(resolve);
    };
    const arm = () => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(stop, idleMs);
    };
    server.on('error', reject);
    server.listen(socket, arm);
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
}

async function answer(engine: PgliteEngine, line: string): Promise<ServerReply> {
  const base = { schemaProblems: engine.schemaProblems, pid: process.pid };
  try {
    const request = JSON.parse(line) as ExplainRequest;
    if (typeof request?.sql !== 'string') throw new ExplainError('malformed request');
    return { ok: true, result: await engine.explain({ sql: request.sql, analyze: !!request.analyze }), ...base };
  } catch (err) {
    return { ok: false, message: err instanceof Error ? err.message : String(err), userError: err instanceof ExplainError || err instanceof SyntaxError, ...base };
  }
}
