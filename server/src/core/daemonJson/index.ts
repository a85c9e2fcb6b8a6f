/**
 * The daemon.json checker's public surface (to be re-exported from
 * server/src/core/index.ts by the layers above).
 */
export { analyzeDaemonJson, validateDaemonJson, isDaemonJson } from './validate.js';
export type { DaemonFinding, DaemonFix, DaemonJsonAnalysis, StorageOptEntry, TextEdit, ValidateOptions } from './types.js';
export { DAEMON_JSON_CODES, type DaemonJsonCode } from '../knowledge/daemonFindingCodes.js';
export { DM_OPTIONS, DM_KEYS, OVERLAY2_OPTIONS, OVERLAY2_KEYS, DM_MODE_NAMES, type DmKey, type DmMode, type StorageOptionDoc } from '../knowledge/storageOptions.js';
export { DAEMON_KEYS, STORAGE_DRIVERS, GRAPH_HISTORY } from '../knowledge/daemonKeys.js';
export { parseEngineVersion, formatVersion, describeRange, type EngineVersion, type EngineRange } from '../knowledge/engineVersions.js';
export { ramInBytes, type RamInBytesResult } from '../text/ramInBytes.js';
export { daemonJsonHover, type DaemonHover } from './hover.js';
export { daemonJsonCompletions, type DaemonCompletion, type DaemonCompletionKind } from './completion.js';
