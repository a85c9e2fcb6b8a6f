/**
 * Every diagnostic code of the daemon.json checker, with its default severity
 * and where the rule comes from (issue 4 §3 names the first sixteen). Codes are
 * stable: users filter on them. A finding may raise or lower the severity for the
 * engine version (e.g. `graph` is a warning in 17.05–22.06 and an error in 23.0),
 * and is a warning instead of an error when only some engines reject the value
 * and no engine version is set.
 */
import type { FindingCodeDoc } from './findingCodes.js';

export const DAEMON_JSON_CODES = {
  'json-syntax': { severity: 'error', title: 'Not valid JSON', source: 'devicemapper.md §2.2 (dockerd decodes daemon.json with Go encoding/json; trailing commas are errors)' },
  'jsonc-comment': { severity: 'error', title: 'Comments are not allowed in daemon.json', source: 'devicemapper.md §2.2 (Go encoding/json rejects comments)' },
  'duplicate-key': { severity: 'warning', title: 'Key given twice: only the last value counts', source: 'Go encoding/json (the last duplicate wins)' },
  'unknown-directive': { severity: 'error', title: 'No configuration option of this name', source: 'devicemapper.md §2.1, §2.2 ("the following directives don\'t match any configuration option")' },
  'storage-opts-not-array': { severity: 'error', title: 'storage-opts must be an array of strings', source: 'devicemapper.md §2.1 (object form flattened into unknown directives)' },
  'storage-opt-syntax': { severity: 'error', title: 'Storage option is not "key=value"', source: 'devicemapper.md §1.1 step 2 (ParseKeyValueOpt)' },
  'storage-opt-flag-prefix': { severity: 'error', title: 'Command-line flag written inside a storage option', source: 'devicemapper.md §1.4' },
  'dm-unknown-option': { severity: 'error', title: 'Unknown devicemapper option', source: 'devicemapper.md §1.1 step 4, §1.3, §1.4' },
  'dm-invalid-value': { severity: 'error', title: 'dockerd rejects this value', source: 'devicemapper.md §1.1–1.3' },
  'dm-conflict': { severity: 'error', title: 'Options that cannot be combined', source: 'devicemapper.md §1.3 (deferred deletion), §1.5, §1.6' },
  'dm-ignored-option': { severity: 'warning', title: 'Option accepted but without effect', source: 'devicemapper.md §1.3, §1.5' },
  'dm-loopback-mode': { severity: 'warning', title: 'devicemapper in loop-lvm mode', source: 'devicemapper.md §1.5, §4.4 (strongly discouraged for production use)' },
  'dm-blkdiscard-off': { severity: 'information', title: 'Deleted images do not return space to the backing store', source: 'devicemapper.md §1.3 (dm.blkdiscard), §6.2' },
  'driver-deprecated': { severity: 'warning', title: 'The devicemapper driver is deprecated', source: 'devicemapper.md §2.3' },
  'driver-removed': { severity: 'error', title: 'The devicemapper driver was removed in Engine 25.0', source: 'devicemapper.md §2.3, §2.4' },
  'driver-option-mismatch': { severity: 'error', title: 'Option of another storage driver', source: 'devicemapper.md §1.1 step 4, §5 #1' },
  // Beyond issue 4 §3:
  'graph-deprecated': { severity: 'warning', title: '"graph" is deprecated in favour of "data-root"', source: 'devicemapper.md §2.1 (graph)' },
  'flag-name-directive': { severity: 'warning', title: 'Flag name used as a key: accepted but ignored', source: 'devicemapper.md §2.2 (keys are matched against flag names); code-derived from dockerd\'s config decoding' },
  'directive-type': { severity: 'error', title: 'Value of the wrong JSON type', source: 'devicemapper.md §2.1 (types of the storage keys)' },
  'storage-driver-unknown': { severity: 'warning', title: 'Not a storage driver name', source: 'devicemapper.md §2.3 (driver names)' },
  'overlay2-unknown-option': { severity: 'error', title: 'Unknown overlay2 option', source: 'moby overlay2 parseOptions ("overlay2: unknown option <key>")' },
  'overlay2-invalid-value': { severity: 'error', title: 'dockerd rejects this overlay2 value', source: 'devicemapper.md §1.1–1.2 (the same parsers)' },
} as const satisfies Record<string, FindingCodeDoc>;

export type DaemonJsonCode = keyof typeof DAEMON_JSON_CODES;
