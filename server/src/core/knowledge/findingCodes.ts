/**
 * Every diagnostic code of the dm-thin transcript language, with its default
 * severity and where the rule comes from. Codes are stable: users filter on them.
 */
export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface FindingCodeDoc {
  severity: Severity;
  title: string;
  source: string;
}

export const TRANSCRIPT_CODES = {
  'data-usage-high': { severity: 'warning', title: 'Pool data usage at or above the warning threshold', source: 'peers-and-users.md §3 (dmeventd warns at 80 %)' },
  'data-usage-critical': { severity: 'error', title: 'Pool data usage at or above the error threshold', source: 'peers-and-users.md §3 (dmeventd policy up to 95 %)' },
  'metadata-usage-high': { severity: 'warning', title: 'Pool metadata usage at or above the warning threshold', source: 'peers-and-users.md §3' },
  'metadata-usage-critical': { severity: 'error', title: 'Pool metadata usage at or above the error threshold', source: 'peers-and-users.md §3' },
  'out-of-data-space': { severity: 'error', title: 'Pool is out of data space', source: 'devicemapper.md §3.2 field 5; real-kernel-observations.md §5' },
  'pool-read-only': { severity: 'error', title: 'Pool is read-only', source: 'devicemapper.md §3.2 field 5' },
  'pool-failed': { severity: 'error', title: 'Pool is in fail mode', source: 'devicemapper.md §3.2 (Fail)' },
  'pool-status-error': { severity: 'error', title: 'Kernel could not read pool metadata', source: 'devicemapper.md §3.2 (Error)' },
  'needs-check': { severity: 'error', title: 'Pool metadata needs a check', source: 'devicemapper.md §3.2 field 8' },
  'no-discard-passdown': { severity: 'warning', title: 'Discards are not passed down', source: 'devicemapper.md §6.1; real-kernel-observations.md §3.3' },
  'ignore-discard': { severity: 'warning', title: 'Pool ignores discards', source: 'devicemapper.md §3.2 field 6; real-kernel-observations.md §3.3' },
  'queue-if-no-space': { severity: 'information', title: 'Writers hang when the pool fills', source: 'devicemapper.md §3.2 field 7, §6.5' },
  'no-space-timeout-expired': { severity: 'warning', title: 'Out of space and no_space_timeout expired', source: 'real-kernel-observations.md §5.2' },
  'low-water-mark-reached': { severity: 'warning', title: 'Free data blocks at or below the low water mark', source: 'devicemapper.md §3.1' },
  'metadata-snapshot-held': { severity: 'information', title: 'A metadata snapshot is held', source: 'devicemapper.md §3.2 field 4, §3.5' },
  'invalid-status-line': { severity: 'error', title: 'Not a valid status line', source: 'devicemapper.md §3.2' },
  'invalid-table-line': { severity: 'error', title: 'Not a valid table line', source: 'devicemapper.md §3.1' },
  'number-too-large': { severity: 'warning', title: 'Number beyond exact range', source: 'kernel fields are u64; JavaScript numbers are exact to 2^53' },
  'unknown-status-field': { severity: 'hint', title: 'Unrecognised status word', source: 'devicemapper.md §3.2' },
  'loop-backed-pool': { severity: 'warning', title: 'Pool on loop devices (loop-lvm)', source: 'devicemapper.md §4.4 (Docker: strongly discouraged for production)' },
  'loop-file-not-shrinking': { severity: 'warning', title: 'Loop file holds far more than the pool uses', source: 'devicemapper.md §6.4' },
  'host-filesystem-limit': { severity: 'warning', title: 'The host filesystem limits the pool', source: 'devicemapper.md §3.6, §4.2' },
  'min-free-space-reached': { severity: 'error', title: 'Thin Pool Minimum Free Space reached', source: 'devicemapper.md §3.6, §4.2 (dm.min_free_space)' },
  'udev-sync-unsupported': { severity: 'warning', title: 'Udev sync not supported', source: 'devicemapper.md §7 (moby/moby#4036, #10705)' },
  'driver-deprecated': { severity: 'information', title: 'The devicemapper driver is deprecated', source: 'devicemapper.md §4.4, §2.3' },
  'discard-not-effective': { severity: 'warning', title: 'Discards fail on the data device', source: 'real-kernel-observations.md §3.3 (vfat)' },
} as const satisfies Record<string, FindingCodeDoc>;

export type TranscriptCode = keyof typeof TRANSCRIPT_CODES;
