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
  fix?: FindingFix;
  /** Further quick fixes, less obvious than `fix` (e.g. "migrate to overlay2"). */
  moreFixes?: FindingFix[];
  /** Internal: the pool whose table line becomes `related` when findings are emitted. */
  relatedTableOf?: string;
}

/** A quick fix: what the edit does (its label says the consequences) and the text edits. */
export interface FindingFix {
  title: string;
  edits: { range: Range; newText: string }[];
  /** The obvious fix (LSP `isPreferred`). */
  preferred?: boolean;
}
