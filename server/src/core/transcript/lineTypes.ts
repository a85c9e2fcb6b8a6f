import type { LogMatch } from '../logs/match.js';
import type { Span } from '../text/position.js';
import type { FieldRole } from '../knowledge/fieldDocs.js';

/**
 * The typed model of one transcript line. Every parser returns one of these;
 * `tokens` lists the meaningful spans (for hovers, inlay hints, and ranges of
 * findings) and the kind-specific fields carry parsed values.
 */
export interface Token extends Span {
  role: FieldRole;
  text: string;
}

interface LineBase {
  tokens: Token[];
  /** A log message the catalogue recognises (kernel, dockerd, libdevmapper… lines pasted into a transcript). */
  logMatch?: LogMatch;
}

export interface Num {
  value: number;
  /** false when the decimal value is beyond 2^53 and was rounded. */
  exact: boolean;
  span: Span;
}

export interface DevNo {
  major: number;
  minor: number;
  span: Span;
}

export interface PromptLine extends LineBase {
  kind: 'prompt';
  /** The words of the command after sudo/env, e.g. ["dmsetup", "status", "pool"]. */
  argv: string[];
  command: CommandKind;
  /** The device named on the command line, when the command targets exactly one. */
  deviceArg?: string;
  /** For stat/ls/du: the file operands. */
  fileArgs: string[];
  flags: Set<string>;
}

export type CommandKind =
  | 'dmsetup-status'
  | 'dmsetup-table'
  | 'dmsetup-ls'
  | 'dmsetup-ls-tree'
  | 'dmsetup-info'
  | 'dmsetup-info-columns'
  | 'dmsetup-deps'
  | 'dmsetup-version'
  | 'dmsetup-targets'
  | 'dmsetup-other'
  | 'docker-info'
  | 'docker-other'
  | 'ls'
  | 'du'
  | 'stat'
  | 'losetup'
  | 'lsblk'
  | 'lvs'
  | 'log'
  | 'other';

export type PoolMode = 'rw' | 'ro' | 'out_of_data_space';
export type DiscardMode = 'discard_passdown' | 'no_discard_passdown' | 'ignore_discard';
export type NoSpacePolicy = 'queue_if_no_space' | 'error_if_no_space';

export interface ThinPoolStatus {
  form: 'thin-pool-status';
  /** Whole-status failure word printed instead of the fields. */
  special?: 'Fail' | 'Error';
  transaction?: Num;
  metaUsed?: Num;
  metaTotal?: Num;
  metaSpan?: Span;
  dataUsed?: Num;
  dataTotal?: Num;
  dataSpan?: Span;
  /** '-' or the metadata snapshot root block. */
  heldRoot?: { held: boolean; span: Span; value?: number };
  mode?: { value: PoolMode; span: Span };
  discard?: { value: DiscardMode; span: Span };
  noSpace?: { value: NoSpacePolicy; span: Span };
  needsCheck?: { value: boolean; span: Span };
  metaLowWater?: Num;
  /** Tokens the parser did not recognise (a newer kernel, or damage). */
  unknown: Span[];
  /** Why the line is not a valid status line, if it is not. */
  problem?: string;
}

export interface ThinPoolTable {
  form: 'thin-pool-table';
  metaDev: { text: string; devno?: DevNo; span: Span };
  dataDev: { text: string; devno?: DevNo; span: Span };
  blockSectors?: Num;
  lowWater?: Num;
  featureCount?: Num;
  features: { value: string; span: Span }[];
  problem?: string;
}

export interface ThinStatus {
  form: 'thin-status';
  special?: 'Fail' | 'Error' | '-';
  mapped?: Num;
  highest?: Num | { none: true; span: Span };
}

export interface ThinTable {
  form: 'thin-table';
  poolDev: { text: string; devno?: DevNo; span: Span };
  devId?: Num;
  origin?: { text: string; devno?: DevNo; span: Span };
}

export interface LinearTable {
  form: 'linear-table';
  dev: { text: string; devno?: DevNo; span: Span };
  offset?: Num;
}

export interface EmptyStatus {
  form: 'empty-status';
}

export interface GenericParams {
  form: 'generic';
}

export type TargetParams = ThinPoolStatus | ThinPoolTable | ThinStatus | ThinTable | LinearTable | EmptyStatus | GenericParams;

export interface DmTargetLine extends LineBase {
  kind: 'dm-target';
  /** 'status' or 'table' from the command, or inferred from the parameters. */
  source: 'status' | 'table';
  device?: { name: string; span: Span; fromCommand: boolean };
  start: Num;
  length: Num;
  target: { name: string; span: Span };
  params: TargetParams;
}

export interface DmLsLine extends LineBase {
  kind: 'dm-ls';
  name: string;
  devno?: DevNo;
  /** `(dm-3)` with -o blkdevname. */
  blkdevname?: string;
  oldFormat: boolean;
}

export interface DmTreeLine extends LineBase {
  kind: 'dm-tree';
  depth: number;
  name: string;
  devno: DevNo;
}

export interface DmInfoField extends LineBase {
  kind: 'dm-info';
  key: string;
  value: string;
  valueSpan: Span;
  devno?: DevNo;
}

export interface ColumnsHeader extends LineBase {
  kind: 'columns-header';
  table: 'dmsetup-info' | 'losetup' | 'lsblk' | 'lvs';
  columns: { name: string; start: number; end: number }[];
}

export interface ColumnsRow extends LineBase {
  kind: 'columns-row';
  table: ColumnsHeader['table'];
  cells: Map<string, { text: string; span: Span }>;
}

export interface DmDepsLine extends LineBase {
  kind: 'dm-deps';
  device?: string;
  count: number;
  deps: { text: string; devno?: DevNo; span: Span }[];
}

export interface DmVersionLine extends LineBase {
  kind: 'dm-version';
  which: 'library' | 'driver';
  version: string;
}

export interface DmTargetsLine extends LineBase {
  kind: 'dm-targets';
  name: string;
  version: string;
}

export interface DmMessageLine extends LineBase {
  kind: 'dm-message';
  message: 'no-devices' | 'no-such-device' | 'command-failed' | 'libdm-error';
}

export interface DockerInfoLine extends LineBase {
  kind: 'docker-info';
  key: string;
  value: string;
  valueSpan: Span;
  /** Bytes, for the size keys. */
  bytes?: number;
  known: boolean;
}

export interface DockerWarningLine extends LineBase {
  kind: 'docker-warning';
  warning: 'loopback' | 'deprecated' | 'continuation' | 'other';
}

export interface FileSizeLine extends LineBase {
  kind: 'file-size';
  tool: 'ls' | 'du' | 'stat';
  path?: string;
  /** Bytes allocated on disk. */
  allocated?: number;
  /** Apparent (logical) size in bytes. */
  apparent?: number;
}

export interface KernelLogLine extends LineBase {
  kind: 'kernel-log';
  module?: string;
  devno?: DevNo;
  message: string;
  /** `op 0x3:(DISCARD)` error on a device: passdown is not effective. */
  discardError?: { device: string };
}

export interface BlankLine extends LineBase {
  kind: 'blank';
}

export interface TextLine extends LineBase {
  kind: 'text';
}

export type ParsedLine =
  | PromptLine
  | DmTargetLine
  | DmLsLine
  | DmTreeLine
  | DmInfoField
  | ColumnsHeader
  | ColumnsRow
  | DmDepsLine
  | DmVersionLine
  | DmTargetsLine
  | DmMessageLine
  | DockerInfoLine
  | DockerWarningLine
  | FileSizeLine
  | KernelLogLine
  | BlankLine
  | TextLine;

export type LineKind = ParsedLine['kind'];
