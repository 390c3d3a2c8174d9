/** The plan page: the shared strict-CSP shell (`src/core/webviewPage.ts`) with the plan's root. */
import { webviewPageHtml } from '../../src/core/webviewPage';

/** The HTML of the plan page for the given nonce, CSP source and resource URIs. */
export function planPageHtml(p: { nonce: string; cspSource: string; scriptUri: string; styleUri: string }): string {
  return webviewPageHtml({ ...p, title: 'Query plan', body: '<main id="root" aria-live="polite"></main>' });
}
