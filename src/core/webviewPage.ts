/**
 * The HTML shell every webview of ours uses: only our bundled script and stylesheet, under a
 * strict Content-Security-Policy (nothing remote, no inline script or style, the one script
 * allowed by nonce). Pure string building, shared by the extension hosts and the screenshot
 * scripts so both serve the same markup.
 */

export interface PageShell {
  /** `webview.cspSource` (or the origin serving the files in a test page). */
  cspSource: string;
  nonce: string;
  scriptUri: string;
  styleUri: string;
  title: string;
  /** Trusted static markup for the body, before the script runs. */
  body: string;
}

/** Builds the page. URIs and tokens are attribute-escaped even though we generate them. */
export function webviewPageHtml(p: PageShell): string {
  const csp = [
    "default-src 'none'",
    `style-src ${p.cspSource}`,
    `img-src ${p.cspSource} data:`,
    `font-src ${p.cspSource}`,
    `script-src 'nonce-${p.nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(p.styleUri)}">
<title>${attr(p.title)}</title>
</head>
<body>
${p.body}
<script nonce="${attr(p.nonce)}" src="${attr(p.scriptUri)}"></script>
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
