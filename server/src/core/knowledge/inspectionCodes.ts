import type { FindingCodeDoc } from './findingCodes.js';

/**
 * Codes of a remote inspection (issue 7) that the transcript language does
 * not have: the host, its tools and permissions, the engine, the backing
 * store. Pool findings reuse the transcript codes (`data-usage-high`,
 * `out-of-data-space`, …) so one code means one thing everywhere.
 */
export const INSPECTION_CODES = {
  'host-unreachable': { severity: 'error', title: 'The host could not be inspected', source: 'issue 7 (transport errors of ssh(1))' },
  'sudo-password-required': { severity: 'error', title: 'sudo asks for a password', source: 'sudo(8) -n: "a password is required"' },
  'sudo-refused': { severity: 'warning', title: 'sudo does not allow a command', source: 'sudoers(5); README "Remote access"' },
  'permission-denied': { severity: 'error', title: 'Not allowed to read device-mapper state', source: 'dmsetup needs /dev/mapper/control (root)' },
  'tool-missing': { severity: 'warning', title: 'A tool is not installed on the host', source: 'issue 7 scope 2' },
  'step-failed': { severity: 'error', title: 'A device-mapper step failed', source: 'dmsetup(8) exit status; test/remote/hostile.test.ts (a name dmsetup cannot print fails every listing)' },
  'step-timed-out': { severity: 'warning', title: 'A step did not finish in time', source: 'real-kernel-observations.md §10 (blocked writers)' },
  'output-cut': { severity: 'warning', title: 'The output was cut short', source: 'issue 7 scope 1 (output size cap, timeout)' },
  'driver-removed': { severity: 'error', title: 'This engine has no devicemapper driver', source: 'devicemapper.md §2.3, §2.4 (removed in 25.0)' },
  'driver-not-devicemapper': { severity: 'information', title: 'dockerd uses another storage driver', source: 'devicemapper.md §4' },
  'backing-no-hole-punch': { severity: 'warning', title: 'The backing filesystem cannot punch holes', source: 'devicemapper.md §6.1 point 5; real-kernel-observations.md §3' },
  'backing-overcommitted': { severity: 'warning', title: 'The backing filesystem cannot hold the whole loop file', source: 'devicemapper.md §3.6, §4.2 (Data Space Available)' },
  'thin-tools-unsafe': { severity: 'warning', title: 'thin_trim of this thin-provisioning-tools corrupts data', source: 'real-kernel-observations.md §7; devicemapper.md §6.3' },
} as const satisfies Record<string, FindingCodeDoc>;

export type InspectionCode = keyof typeof INSPECTION_CODES;
