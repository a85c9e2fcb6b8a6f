/**
 * Line splitting that treats CRLF, LF and lone CR as line ends, the way VS Code
 * counts lines, so core line numbers match editor line numbers exactly.
 */
const LINE_BREAK = /\r\n|\r|\n/;

export function splitLines(text: string): string[] {
  // Most text has no CR at all: a plain split on '\n' is the same answer at about twice the speed.
  return text.includes('\r') ? text.split(LINE_BREAK) : text.split('\n');
}
