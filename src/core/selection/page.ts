/** The selection webview's page: the shared strict-CSP shell with the advisor's loading text. */
import { webviewPageHtml } from '../webviewPage';

export { makeNonce } from '../webviewPage';

export interface PageOptions {
  /** `webview.cspSource` (or the origin serving the files in a test page). */
  cspSource: string;
  nonce: string;
  scriptUri: string;
  styleUri: string;
}

/** Builds the page HTML. */
export function selectionPageHtml(o: PageOptions): string {
  return webviewPageHtml({
    ...o,
    title: 'Database selection',
    body: '<main id="app" aria-busy="true"><p class="muted">Loading the database-selection advisor…</p></main>',
  });
}
