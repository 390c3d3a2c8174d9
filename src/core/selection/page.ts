/**
 * The selection webview's HTML shell, shared by the extension and the screenshot script so
 * both show the same page. A strict CSP: nothing remote, styles only from the extension's
 * files, and only the nonce-carrying script runs.
 */

export interface PageOptions {
  /** `webview.cspSource` (or the origin serving the files in a test page). */
  cspSource: string;
  nonce: string;
  scriptUri: string;
  styleUri: string;
}

/** Builds the page HTML. All inputs are URIs/tokens we generate; they are attribute-escaped anyway. */
export function selectionPageHtml(o: PageOptions): string {
  const csp = [
    "default-src 'none'",
    `style-src ${o.cspSource}`,
    `img-src ${o.cspSource} data:`,
    `font-src ${o.cspSource}`,
    `script-src 'nonce-${o.nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(o.styleUri)}">
<title>Database selection</title>
</head>
<body>
<main id="app" aria-busy="true"><p class="muted">Loading the database-selection advisor…</p></main>
<script nonce="${attr(o.nonce)}" src="${attr(o.scriptUri)}"></script>
</body>
</html>`;
}

/** A fresh CSP nonce from the platform's cryptographic random source (Node 20 and browsers). */
export function makeNonce(): string {
  const bytes = new Uint8Array(18);
  globalThis.crypto.getRandomValues(bytes);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

function attr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
