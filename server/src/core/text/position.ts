/**
 * Neutral position types for the pure core. They have the same shape as LSP's
 * (0-based line, UTF-16 character offset) so the language server can pass them
 * through unchanged, but the core does not depend on any protocol library.
 */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** A half-open character span [start, end) inside one line. */
export interface Span {
  start: number;
  end: number;
}

export function lineRange(line: number, span: Span): Range {
  return { start: { line, character: span.start }, end: { line, character: span.end } };
}
