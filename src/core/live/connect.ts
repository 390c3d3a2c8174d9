/**
 * One entry to a live server, whichever the dialect: `connectLive(url)` returns a plan source
 * the explain command and the advisor can target like the bundled engine (`PlanEngine`), plus
 * the server's schema.
 */
import type { PlanEngine } from '../engine/types';
import { connectMysql, type MysqlServer } from './mysqlServer';
import { connectPostgres, type LiveOptions, type PgServer } from './pgServer';
import { parseDatabaseUrl, type LiveTarget } from './target';

export type LiveServer = PgServer | MysqlServer;

/** Connects to the server a URL names (`postgresql://…`, `mysql://…`). */
export function connectLive(url: string, opts: LiveOptions = {}): Promise<LiveServer> {
  return connectTarget(parseDatabaseUrl(url), opts);
}

/** Connects to a parsed target (a configured connection, in the editor). */
export function connectTarget(target: LiveTarget, opts: LiveOptions = {}): Promise<LiveServer> {
  return target.dialect === 'mysql' ? connectMysql(target, opts) : connectPostgres(target, opts);
}

/** True when a plan source is a live server rather than the bundled engine. */
export function isLiveServer(engine: PlanEngine): engine is LiveServer {
  return 'target' in engine && 'capabilities' in engine;
}
