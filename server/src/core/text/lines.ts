/**
 * Line splitting that treats CRLF, LF and lone CR as line ends, the way VS Code
 * counts lines, so core line numbers match editor line numbers exactly.
 */
const LINE_BREAK = /\r\n|\r|\n/;

export function splitLines(text: string): string[] {
  return text.split(LINE_BREAK);
}
