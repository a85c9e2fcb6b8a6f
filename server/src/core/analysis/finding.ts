import type { Range } from '../text/position.js';
import type { Severity } from '../knowledge/findingCodes.js';

/** A neutral diagnostic: the language server maps it to LSP, the CLI prints it. */
export interface Finding {
  code: string;
  severity: Severity;
  message: string;
  range: Range;
  /** Other lines of the same episode or device (LSP relatedInformation). */
  related?: { range: Range; message: string }[];
  /** A quick fix: a title and the text edits that apply it. */
  fix?: { title: string; edits: { range: Range; newText: string }[] };
  /** Internal: the pool whose table line becomes `related` when findings are emitted. */
  relatedTableOf?: string;
}
