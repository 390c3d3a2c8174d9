/**
 * Worker-thread entry (bundled to dist/engineWorker.js): runs the PGlite engine off the
 * extension host's main thread, so planning, data generation and WASM start-up never block
 * the editor. Speaks the typed protocol of workerProtocol.ts.
 */
import { parentPort } from 'worker_threads';
import { createEngine, ExplainError, type PgliteEngine } from './pgliteEngine';
import type { HostToWorker, WorkerToHost } from './workerProtocol';

const port = parentPort;
let engine: PgliteEngine | undefined;

function send(msg: WorkerToHost): void {
  port?.postMessage(msg);
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

async function handle(msg: HostToWorker): Promise<void> {
  switch (msg.type) {
    case 'start':
      try {
        engine = await createEngine(msg.sources, msg.catalog, { ...msg.options, onProgress: (message) => send({ type: 'progress', message }) });
        send({ type: 'ready', schemaProblems: engine.schemaProblems, startup: engine.startup });
      } catch (err) {
        send({ type: 'start-failed', message: messageOf(err) });
      }
      return;
    case 'explain':
    case 'query':
      if (!engine) {
        send({ type: 'failed', id: msg.id, message: 'the engine has not started', userError: false });
        return;
      }
      try {
        if (msg.type === 'explain') send({ type: 'explained', id: msg.id, result: await engine.explain(msg.request) });
        else send({ type: 'rows', id: msg.id, rows: await engine.query(msg.sql) });
      } catch (err) {
        send({ type: 'failed', id: msg.id, message: messageOf(err), userError: err instanceof ExplainError });
      }
      return;
    case 'close':
      await engine?.close().catch(() => undefined);
      engine = undefined;
      send({ type: 'closed' });
      port?.close();
      return;
  }
}

port?.on('message', (msg: HostToWorker) => void handle(msg));
