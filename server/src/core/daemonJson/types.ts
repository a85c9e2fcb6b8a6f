/**
 * Result types of the daemon.json checker. `DaemonFinding` extends the core's
 * neutral `Finding` with what quick fixes and hovers need later.
 */
import type { Finding, FindingFix } from '../analysis/finding.js';
import type { Range } from '../text/position.js';
import type { EngineVersion } from '../knowledge/engineVersions.js';
import type { DaemonJsonCode } from '../knowledge/daemonFindingCodes.js';
import type { DmMode } from '../knowledge/storageOptions.js';

export interface TextEdit {
  range: Range;
  newText: string;
}

/** A quick fix; the label says what the edit does and its consequences. */
export type DaemonFix = FindingFix;

export interface DaemonFinding extends Finding {
  code: DaemonJsonCode;
  /** The exact text dockerd prints for this problem (for the engine, or the newest era affected). */
  dockerd?: string;
  /** With no engine version set: the engines this finding applies to, e.g. `Engine ≤ 1.12, 1.13–18.06`. */
  appliesTo?: string;
}

export interface ValidateOptions {
  /** Docker Engine version (`dmLens.engineVersion`, CLI `--engine`); unset or unparsable = unknown. */
  engine?: string;
  /** Stop after this many findings (default 1000). */
  maxFindings?: number;
}

/** One entry of `storage-opts` as dockerd would split it (devicemapper.md §1.1). */
export interface StorageOptEntry {
  /** The whole string as dockerd receives it (after JSON decoding); for the object form, `key=value`. */
  raw: string;
  /** Key after TrimSpace, original case. */
  key: string;
  /** Key lower-cased, as the driver matches it. */
  lowerKey: string;
  /** Value after TrimSpace; undefined when the string has no `=`. */
  value?: string;
  /** The string's content (inside the quotes). */
  range: Range;
  keyRange: Range;
  /** The value (for an empty value: the position after `=`). */
  valueRange?: Range;
  /** Source offsets [start, end) of the value, for edits. */
  valueOffsets?: { start: number; end: number };
  keyOffsets: { start: number; end: number };
  /** Offsets of the whole array element (quotes included) or object property. */
  nodeOffsets: { start: number; end: number };
  /** Length of a `--storage-opt ` prefix written inside the string (0 if none). */
  flagPrefix: number;
  /** Written as a property of an object instead of an array string. */
  fromObject: boolean;
  /** The value sits inside a JSON string (edits must be string content), not a bare number/boolean. */
  valueInString: boolean;
}

export interface DaemonJsonAnalysis {
  findings: DaemonFinding[];
  engine?: EngineVersion;
  /** The effective `storage-driver` value and where it is. */
  driver?: { name: string; range: Range };
  /** Range of the effective `storage-opts` key. */
  storageOptsKeyRange?: Range;
  /** Entries of the effective `storage-opts` (array or object form). */
  storageOpts: StorageOptEntry[];
  /** The devicemapper mode those options select, when devicemapper is (or seems) meant. */
  mode?: DmMode;
}
