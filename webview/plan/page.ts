/**
 * The plan page skeleton: our bundled script and stylesheet only, under a strict
 * Content-Security-Policy with a nonce. Shared by the panel host and the screenshot script so
 * both serve the same markup. Pure string building: no DOM, no VS Code.
 */

/** The HTML of the plan page for the given nonce, CSP source and resource URIs. */
export function planPageHtml(p: { nonce: string; cspSource: string; scriptUri: string; styleUri: string }): string {
  const csp = [
    "default-src 'none'",
    `style-src ${p.cspSource}`,
    `script-src 'nonce-${p.nonce}'`,
    `img-src ${p.cspSource} data:`,
    `font-src ${p.cspSource}`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${p.styleUri}">
<title>Query plan</title>
</head>
<body>
<main id="root" aria-live="polite"></main>
<script nonce="${p.nonce}" src="${p.scriptUri}"></script>
</body>
</html>`;
}

