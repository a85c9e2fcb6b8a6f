/**
 * HTML for the report webviews, built from hostile text: every string that
 * came from a host (pool and device names, paths, kernel strings, messages)
 * goes through `text()` or `attr()`. No vscode here, so it is unit-tested in
 * plain Node (test/unit/renderReport.test.ts).
 */

/** Control characters (ANSI escapes, NUL, C1, line separators) made visible as `\x1b`, like the CLI's `printable`. */
export function visible(s: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is replaced
  return s.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

/** Text content: visible control characters, then every markup character escaped. */
export function text(value: string | number | boolean | undefined | null): string {
  return visible(value === undefined || value === null ? '' : String(value)).replace(/[&<>"'`]/g, (c) => ENTITIES[c]!);
}

/** A double-quoted attribute value (the same escaping: quotes included). */
export function attr(value: string | number | boolean | undefined | null): string {
  return text(value);
}

/** A nonce for the Content-Security-Policy's script-src: 32 characters of [A-Za-z0-9]. */
export function makeNonce(random: (n: number) => Uint8Array): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from(random(32), (b) => alphabet[b % alphabet.length]).join('');
}

/** What every page needs from the webview: its CSP source, the nonce and the two media URIs. */
export interface PageShell {
  cspSource: string;
  nonce: string;
  styleUri: string;
  scriptUri: string;
}

/** A whole page with the strict policy: nothing inline, only our stylesheet and our nonce'd script. */
export function page(shell: PageShell, title: string, body: string): string {
  const csp = `default-src 'none'; style-src ${shell.cspSource}; script-src 'nonce-${shell.nonce}'; img-src ${shell.cspSource};`;
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="UTF-8">',
    `<meta http-equiv="Content-Security-Policy" content="${attr(csp)}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1.0">',
    `<link rel="stylesheet" href="${attr(shell.styleUri)}">`,
    `<title>${text(title)}</title>`,
    '</head>',
    '<body>',
    body,
    `<script nonce="${attr(shell.nonce)}" src="${attr(shell.scriptUri)}"></script>`,
    '</body>',
    '</html>',
  ].join('\n');
}
