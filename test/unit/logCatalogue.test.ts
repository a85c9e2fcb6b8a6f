/**
 * The log catalogue, table-driven: a realistic message per wording (old and
 * new wordings of one message are separate cases of one entry), each put into
 * every envelope its origin appears in — dmesg, dmesg -T, syslog, journalctl
 * short / short-iso / -o cat for the kernel; logrus (bare, inside journal,
 * syslog and short-iso lines, TTY and JSON forms) for dockerd — with the entry
 * id, severity and the exact span of every variable in the line asserted
 * (issue 5 §1–2; devicemapper.md §5; real-kernel-observations.md §9).
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { LOG_CATALOGUE, matchLogLine, type LogEntry, type LogWording, type LogMatch, type LogVariable } from '../../server/src/core/logs/index.js';

interface Variant {
  name: string;
  prefix: string;
  suffix: string;
  /** How the envelope encodes the message. */
  enc: (s: string) => string;
  format: string;
  wrapper?: string;
}

/** Go's %q as logrus writes it (only what our messages need). */
const goQuote = (s: string): string => s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\t/g, '\\t');
const jsonQuote = (s: string): string => JSON.stringify(s).slice(1, -1);
const plain = (s: string): string => s;

const KERNEL: Variant[] = [
  { name: 'dmesg', prefix: '[   64.772053] ', suffix: '', enc: plain, format: 'dmesg' },
  { name: 'dmesg -T', prefix: '[Tue Mar  5 10:01:04 2024] ', suffix: '', enc: plain, format: 'dmesg-T' },
  { name: 'syslog', prefix: 'Mar  5 10:01:04 thinlab kernel: [   64.772053] ', suffix: '', enc: plain, format: 'syslog' },
  { name: 'journal short', prefix: 'Mar 05 10:01:04 thinlab kernel: ', suffix: '', enc: plain, format: 'journal-short' },
  { name: 'journal short-iso', prefix: '2024-03-05T10:01:04+0000 thinlab kernel: ', suffix: '', enc: plain, format: 'journal-iso' },
  { name: 'journal -o cat', prefix: '', suffix: '', enc: plain, format: 'bare' },
];

const LOGRUS = 'time="2019-03-05T10:11:12.123456789Z" level=error msg="';
const DOCKERD: Variant[] = [
  { name: 'logrus', prefix: LOGRUS, suffix: '" storage-driver=devicemapper', enc: goQuote, format: 'logrus' },
  { name: 'journal + logrus', prefix: `Mar 05 10:11:12 dockerhost dockerd[1234]: ${LOGRUS}`, suffix: '"', enc: goQuote, format: 'logrus', wrapper: 'journal-short' },
  { name: 'syslog + logrus', prefix: `Mar  5 10:11:12 dockerhost dockerd[1234]: ${LOGRUS}`, suffix: '" storage-driver=devicemapper', enc: goQuote, format: 'logrus', wrapper: 'syslog' },
  { name: 'journal short-iso + logrus', prefix: `2019-03-05T10:11:12.123456+00:00 dockerhost dockerd[1234]: ${LOGRUS}`, suffix: '"', enc: goQuote, format: 'logrus', wrapper: 'journal-iso' },
  { name: 'logrus TTY', prefix: 'ERRO[0012] ', suffix: '', enc: plain, format: 'logrus' },
  { name: 'logrus JSON', prefix: '{"level":"error","msg":"', suffix: '","time":"2019-03-05T10:11:12Z"}', enc: jsonQuote, format: 'logrus' },
  { name: 'bare (CLI / -o cat)', prefix: '', suffix: '', enc: plain, format: 'bare' },
];

const TOOL = (proc: string): Variant[] => [
  { name: 'journal', prefix: `Mar 05 10:11:12 thinlab ${proc}[4321]: `, suffix: '', enc: plain, format: 'journal-short' },
  { name: 'syslog', prefix: `Mar  5 10:11:12 thinlab ${proc}[4321]: `, suffix: '', enc: plain, format: 'syslog' },
  { name: 'bare', prefix: '', suffix: '', enc: plain, format: 'bare' },
];

function variantsOf(e: LogEntry): Variant[] {
  switch (e.origin) {
    case 'kernel':
      // #84 also surfaces in dockerd errors and in tools such as dd.
      return e.id === 'no-space-left-on-device' ? [...DOCKERD, ...TOOL('dd')] : KERNEL;
    case 'dockerd':
    case 'libdevmapper':
      return e.id === 'dm-ioctl-failed' ? [...DOCKERD, ...TOOL('dmsetup')] : DOCKERD;
    case 'dmeventd':
      return TOOL('dmeventd');
    case 'lvm':
      return TOOL('dmsetup');
    case 'thin-tools':
      return TOOL('thin_trim');
    default:
      return TOOL('fstrim');
  }
}

interface Case {
  id: string;
  msg: string;
  /** name → text, or [text, occurrence] when the text appears earlier in the message too. */
  vars?: Record<string, string | [string, number]>;
  severity?: string;
}

const H = '3a5c7f1e9b2d4c6a8e0f1b3d5c7e9a1b3c5d7e9f1a3b5c7d9e1f3a5b7c9d1e3f';

const CASES: Case[] = [
  // 5.1 dockerd start-up
  { id: 'dm-unknown-option', msg: 'Error starting daemon: error initializing graphdriver: devmapper: Unknown option dm.thinpool_dev', vars: { option: 'dm.thinpool_dev' } },
  { id: 'dm-unknown-option', msg: 'Error starting daemon: error initializing graphdriver: Unknown option dm.loopmetadatasize', vars: { option: 'dm.loopmetadatasize' } },
  { id: 'storage-opt-not-key-value', msg: 'failed to start daemon: unable to parse key/value option: dm.basesize', vars: { option: 'dm.basesize' } },
  { id: 'storage-opt-not-key-value', msg: 'Error starting daemon: Unable to parse key/value option: dm.basesize', vars: { option: 'dm.basesize' } },
  { id: 'dm-unsupported-filesystem', msg: 'failed to start daemon: error initializing graphdriver: devmapper: Unsupported filesystem EXT4', vars: { fs: 'EXT4' } },
  { id: 'dm-invalid-size', msg: "failed to start daemon: error initializing graphdriver: invalid size: '20GiBs'", vars: { value: '20GiBs' } },
  { id: 'dm-invalid-size', msg: "Error starting daemon: error initializing graphdriver: invalid suffix: 'gibs'", vars: { suffix: 'gibs' } },
  { id: 'dm-invalid-bool', msg: 'failed to start daemon: error initializing graphdriver: strconv.ParseBool: parsing "yes": invalid syntax', vars: { value: 'yes' } },
  { id: 'dm-min-free-space-no-percent', msg: 'failed to start daemon: error initializing graphdriver: devmapper: Option dm.min_free_space requires % suffix' },
  { id: 'dm-min-free-space-invalid', msg: 'failed to start daemon: error initializing graphdriver: devmapper: Invalid value 100% for option dm.min_free_space', vars: { value: '100%' } },
  { id: 'dm-option-not-numeric', msg: 'failed to start daemon: error initializing graphdriver: could not parse `dm.thinp_percent=95.5`: strconv.ParseUint: parsing "95.5": invalid syntax', vars: { option: 'dm.thinp_percent', value: '95.5', err: 'strconv.ParseUint: parsing "95.5": invalid syntax' } },
  { id: 'dm-option-out-of-range', msg: 'failed to start daemon: error initializing graphdriver: dm.thinp_metapercent must be greater than 0 and less than 100', vars: { option: 'dm.thinp_metapercent' } },
  { id: 'dm-option-out-of-range', msg: 'failed to start daemon: error initializing graphdriver: dm.libdm_log_level must be in range [2,7]', vars: { option: 'dm.libdm_log_level' } },
  { id: 'direct-lvm-incomplete', msg: 'failed to start daemon: error initializing graphdriver: must provide device path in `dm.directlvm_device` in order to configure direct-lvm' },
  { id: 'direct-lvm-incomplete', msg: 'failed to start daemon: error initializing graphdriver: must set both `dm.thinp_percent` and `dm.thinp_metapercent` if either is specified' },
  { id: 'direct-lvm-incomplete', msg: 'failed to start daemon: error initializing graphdriver: combined `dm.thinp_percent` and `dm.thinp_metapercent` must not be greater than 100' },
  { id: 'direct-lvm-with-thinpooldev', msg: 'failed to start daemon: error initializing graphdriver: cannot setup direct-lvm when `dm.thinpooldev` is also specified' },
  { id: 'direct-lvm-config-changed', msg: 'failed to start daemon: error initializing graphdriver: changing direct-lvm config is not supported' },
  { id: 'direct-lvm-device-unusable', msg: 'error initializing graphdriver: /dev/xvdf is not available for use with devicemapper', vars: { device: '/dev/xvdf' } },
  { id: 'direct-lvm-device-unusable', msg: 'error initializing graphdriver: /dev/xvdf is already part of a volume group "docker": must remove this device from any volume group or provide a different device', vars: { device: '/dev/xvdf', vg: 'docker' } },
  { id: 'direct-lvm-device-unusable', msg: 'error initializing graphdriver: /dev/xvdf has a filesystem already, use dm.directlvm_device_force=true if you want to wipe the device', vars: { device: '/dev/xvdf' } },
  { id: 'direct-lvm-command-missing', msg: 'error initializing graphdriver: error looking up command `thin_check` while setting up direct lvm: exec: "thin_check": executable file not found in $PATH', vars: { command: 'thin_check', err: 'exec: "thin_check": executable file not found in $PATH' } },
  { id: 'dm-deferred-removal-unsupported', msg: 'failed to start daemon: error initializing graphdriver: devmapper: Deferred removal can not be enabled as kernel does not support it', vars: { what: 'kernel' } },
  { id: 'dm-deferred-deletion-without-removal', msg: 'error initializing graphdriver: devmapper: Deferred deletion can not be enabled as deferred removal is not enabled. Enable deferred removal using --storage-opt dm.use_deferred_removal=true parameter' },
  { id: 'dm-udev-sync-unsupported', msg: 'Udev sync is not supported, which will lead to data loss and unexpected behavior. Make sure you have a recent version of libdevmapper installed and are running a dynamic binary, or select a different storage driver. For more information, see https://docs.docker.com/go/storage-driver/' },
  { id: 'dm-udev-sync-unsupported', msg: 'devmapper: Udev sync is not supported. This will lead to data loss and unexpected behavior. Install a dynamic binary to use devicemapper or select a different storage driver. For more information, see https://docs.docker.com/engine/reference/commandline/dockerd/#storage-driver-options' },
  { id: 'dm-udev-sync-unsupported', msg: 'Udev sync is not supported. This will lead to unexpected behavior, data loss and errors. For more information, see https://docs.docker.com/reference/commandline/daemon/#daemon-storage-driver-option' },
  { id: 'dm-loopback-discouraged', msg: 'Usage of loopback devices is strongly discouraged for production use. Please use `--storage-opt dm.thinpooldev` or use `man dockerd` to refer to dm.thinpooldev section.' },
  { id: 'dm-loopback-discouraged', msg: 'devmapper: Usage of loopback devices is strongly discouraged for production use. Please use `--storage-opt dm.thinpooldev` or use `man docker` to refer to dm.thinpooldev section.' },
  { id: 'dm-xfs-unsupported-default-ext4', msg: 'XFS is not supported in your system (exec: "mkfs.xfs": executable file not found in $PATH). Defaulting to ext4 filesystem', vars: { err: 'exec: "mkfs.xfs": executable file not found in $PATH' } },
  { id: 'dm-xfs-unsupported-default-ext4', msg: "devmapper: XFS is not supported in your system. Either the kernel doesn't support it or mkfs.xfs is not in your PATH. Defaulting to ext4 filesystem" },
  { id: 'dm-base-fs-mismatch', msg: 'Base device already exists and has filesystem xfs on it. User specified filesystem  will be ignored.', vars: { fs: 'xfs' }, severity: 'hint' },
  { id: 'dm-base-fs-mismatch', msg: 'Base device already exists and has filesystem xfs on it. User specified filesystem ext4 will be ignored.', vars: { fs: 'xfs', requested: 'ext4' } },
  { id: 'dm-container-size-too-small', msg: 'Error response from daemon: devmapper: Container size cannot be smaller than 10.74GB', vars: { size: '10.74GB' } },
  { id: 'dm-basesize-shrink', msg: 'error initializing graphdriver: devmapper: Base device size cannot be smaller than 21.47GB', vars: { size: '21.47GB' } },
  { id: 'graphdriver-driver-not-supported', msg: 'failed to start daemon: error initializing graphdriver: driver not supported: devicemapper' },
  { id: 'graphdriver-prior-driver-failed', msg: '[graphdriver] prior storage driver devicemapper failed: driver not supported', vars: { err: 'driver not supported' } },
  { id: 'graphdriver-prior-driver-failed', msg: '[graphdriver] prior storage driver "devicemapper" failed: driver not supported', vars: { err: 'driver not supported' } },
  { id: 'graphdriver-using-prior-devicemapper', msg: '[graphdriver] using prior storage driver: devicemapper' },
  { id: 'graphdriver-using-prior-devicemapper', msg: '[graphdriver] using prior storage driver "devicemapper"' },
  { id: 'graphdriver-prior-driver-deprecated', msg: 'failed to start daemon: prior storage driver devicemapper is deprecated and will be removed in a future release; update the the daemon configuration and explicitly choose this storage driver to continue using it; visit https://docs.docker.com/go/storage-driver/ for more information' },
  { id: 'devicemapper-deprecated', msg: '[graphdriver] WARNING: the devicemapper storage-driver is deprecated and will be removed in a future release; visit https://docs.docker.com/go/storage-driver/ for more information' },
  { id: 'devicemapper-deprecated', msg: '[graphdriver] WARNING: the devicemapper storage-driver is deprecated, and will be removed in a future release' },
  { id: 'devicemapper-removed', msg: 'failed to start daemon: error initializing graphdriver: [graphdriver] ERROR: the devicemapper storage-driver has been deprecated and removed; visit https://docs.docker.com/go/storage-driver/ for more information: devicemapper' },
  { id: 'devicemapper-removed', msg: 'failed to start daemon: configured driver "devicemapper" not available: not found' },
  { id: 'dm-loopback-file-not-found', msg: 'error initializing graphdriver: loopback data file not found', vars: { which: 'data' } },
  { id: 'dm-loopback-file-not-found', msg: 'error initializing graphdriver: loopback metadata file not found', vars: { which: 'metadata' } },
  { id: 'dm-pool-not-active', msg: 'error initializing graphdriver: devicemapper: Non existing device docker-thinpool', vars: { name: 'docker-thinpool' } },
  { id: 'dm-not-a-thin-pool', msg: 'error initializing graphdriver: devmapper: Device docker-thinpool_tdata is not a thin pool', vars: { name: 'docker-thinpool_tdata' } },
  { id: 'dm-pool-not-empty', msg: 'error initializing graphdriver: devmapper: Unable to take ownership of thin-pool (docker-thinpool) that already has used data blocks', vars: { name: 'docker-thinpool' } },
  { id: 'dm-base-uuid-mismatch', msg: 'error initializing graphdriver: devmapper: Base Device UUID and Filesystem verification failed: devmapper: Current Base Device UUID:8d6b1b0b-4f55-4fb3-9e5a-1c2e3f4a5b6c does not match with stored UUID:0f0e0d0c-0b0a-4909-8807-060504030201. Possibly using a different thin pool than last invocation', vars: { uuid: '8d6b1b0b-4f55-4fb3-9e5a-1c2e3f4a5b6c', stored: '0f0e0d0c-0b0a-4909-8807-060504030201' } },
  { id: 'dm-base-uuid-mismatch', msg: 'Error starting daemon: error initializing graphdriver: Base Device UUID verification failed. Possibly using a different thin pool then last invocation:exit status 2' },
  { id: 'dm-base-uuid-lookup-failed', msg: 'error initializing graphdriver: devmapper: Failed to find uuid for device /dev/mapper/docker-253:0-1048578-base:exit status 2', vars: { device: '/dev/mapper/docker-253:0-1048578-base', err: 'exit status 2' } },
  { id: 'dm-pool-data-min-free-space', msg: 'Handler for POST /v1.41/images/create returned error: devmapper: Thin Pool has 162394 free data blocks which is less than minimum required 163840 free data blocks. Create more free space in thin pool or use dm.min_free_space option to change behavior', vars: { free: '162394', minimum: '163840' } },
  { id: 'dm-pool-metadata-min-free-space', msg: 'Error response from daemon: devmapper: Thin Pool has 1019 free metadata blocks which is less than minimum required 1048 free metadata blocks. Create more free metadata space in thin pool or use dm.min_free_space option to change behavior', vars: { free: '1019', minimum: '1048' } },

  // 5.2 dockerd runtime
  {
    id: 'dm-mount-failed',
    msg: `error creating overlay mount: Failed to mount; dmesg: [ 5123.1] XFS (dm-7): Filesystem has duplicate UUID - can't mount: mount /dev/mapper/docker-253:0-33583983-${H}:/var/lib/docker/devicemapper/mnt/${H}, data: nouuid: invalid argument`,
    vars: { dmesg: "[ 5123.1] XFS (dm-7): Filesystem has duplicate UUID - can't mount", device: `/dev/mapper/docker-253:0-33583983-${H}`, target: `/var/lib/docker/devicemapper/mnt/${H}`, options: 'nouuid', err: 'invalid argument' },
  },
  {
    id: 'dm-mount-failed',
    msg: `devmapper: Error mounting '/dev/mapper/docker-253:0-1048578-${H}' on '/var/lib/docker/devicemapper/mnt/${H}' (fstype='xfs' options='nouuid,context="system_u:object_r:svirt_sandbox_file_t:s0:c1,c2"'): invalid argument`,
    vars: { device: `/dev/mapper/docker-253:0-1048578-${H}`, target: `/var/lib/docker/devicemapper/mnt/${H}`, fs: 'xfs', options: 'nouuid,context="system_u:object_r:svirt_sandbox_file_t:s0:c1,c2"', err: 'invalid argument' },
  },
  { id: 'dm-activate-device-failed', msg: `Error response from daemon: devmapper: Error activating devmapper device for '${H}-init': devicemapper: Device does not exist`, vars: { hash: `${H}-init`, err: 'devicemapper: Device does not exist' } },
  { id: 'dm-task-activate-failed', msg: `devmapper: Error activating devmapper device for '${H}': devicemapper: Error running deviceCreate (ActivateDevice) dm_task_run failed` },
  { id: 'dm-task-create-pool-failed', msg: 'error initializing graphdriver: devicemapper: Error running deviceCreate (CreatePool) dm_task_run failed' },
  { id: 'dm-task-create-pool-failed', msg: 'Error starting daemon: error initializing graphdriver: Error running DeviceCreate (CreatePool) dm_task_run failed' },
  { id: 'dm-thin-message-failed', msg: 'Error response from daemon: devicemapper: Error running DeleteDevice dm_task_run failed', vars: { op: 'DeleteDevice' } },
  { id: 'dm-thin-message-failed', msg: 'Error running DeleteDevice dm_task_run failed', vars: { op: 'DeleteDevice' } },
  { id: 'dm-thin-message-failed', msg: 'failed to register layer: devicemapper: Error running deviceCreate (createSnapDevice) dm_task_run failed', vars: { op: 'createSnapDevice' } },
  { id: 'dm-device-busy', msg: `Error response from daemon: driver "devicemapper" failed to remove root filesystem for ${H}: remove /var/lib/docker/devicemapper/mnt/${H}: device or resource busy`, vars: { container: H } },
  { id: 'dm-device-busy', msg: `Handler for DELETE /v1.24/containers/abc returned error: Driver devicemapper failed to remove root filesystem ${H}: Device is Busy`, vars: { container: H } },
  { id: 'dm-device-busy', msg: `Error removing mounted layer abc: failed to remove device ${H}-init: Device is Busy`, vars: { device: `${H}-init` } },
  { id: 'dm-device-busy', msg: `Error response from daemon: driver “devicemapper” failed to remove root filesystem for ${H}: Device is Busy`, vars: { container: H } },
  { id: 'dm-task-remove-failed', msg: 'devicemapper: Error running RemoveDevice dm_task_run failed' },
  { id: 'dm-task-create-failed', msg: 'devicemapper: Can\'t set task name docker-253:0-1048578-pool', vars: { name: 'docker-253:0-1048578-pool' } },
  { id: 'dm-task-create-failed', msg: 'devicemapper: Can\'t create task of type 12', vars: { type: '12' } },
  { id: 'dm-udev-cookie-failed', msg: 'devicemapper: Can not set cookie: dm_task_set_cookie failed', vars: { err: 'dm_task_set_cookie failed' } },
  { id: 'dm-udev-cookie-failed', msg: "devicemapper: Can't set cookie dm_task_set_cookie failed", vars: { err: 'dm_task_set_cookie failed' } },
  { id: 'dm-udev-cookie-failed', msg: 'devicemapper: wait on udev cookie failed' },
  { id: 'dm-set-transaction-id-failed', msg: 'devmapper: Error setting devmapper transaction ID: devicemapper: Error running SetTransactionID dm_task_run failed', vars: { err: 'dm_task_run failed' } },
  { id: 'dm-set-transaction-id-failed', msg: 'devmapper: Error setting devmapper transaction ID: Device or resource busy', vars: { err: 'Device or resource busy' } },
  { id: 'dm-device-id-in-use', msg: 'Device ID 23 exists in pool but it is supposed to be unused', vars: { id: '23' } },
  { id: 'dm-no-free-device-id', msg: 'Error response from daemon: devmapper: Unable to find a free device ID' },
  { id: 'dm-device-metadata-state', msg: `Error response from daemon: devmapper: Unknown device ${H}`, vars: { hash: H } },
  { id: 'dm-device-metadata-state', msg: `devmapper: device ${H} already exists. Deleted=false`, vars: { hash: H, deleted: 'false' } },
  { id: 'dm-device-metadata-state', msg: 'devmapper: Base device base has been marked for deferred deletion', vars: { hash: 'base' } },
  { id: 'dm-device-metadata-state', msg: `devmapper: Can't mount device ${H} as it has been marked for deferred deletion`, vars: { hash: H } },
  { id: 'dm-device-metadata-state', msg: `devmapper: Can't activate device ${H} as it is marked for deletion`, vars: { hash: H } },
  { id: 'dm-device-metadata-state', msg: 'Error starting daemon: Error loading device metadata file .tmp361859135', vars: { hash: '.tmp361859135' } },
  { id: 'dm-xfs-nospace-retries-unsupported', msg: 'devmapper: user specified daemon option dm.xfs_nospace_max_retries but it does not seem to be supported on this system :open /sys/fs/xfs/dm-5/error/metadata/ENOSPC/max_retries: no such file or directory', vars: { err: 'open /sys/fs/xfs/dm-5/error/metadata/ENOSPC/max_retries: no such file or directory' } },
  { id: 'dm-xfs-nospace-retries-unsupported', msg: 'Error response from daemon: devmapper: Failed to open file /sys/fs/xfs/dm-5/error/metadata/ENOSPC/max_retries:open /sys/fs/xfs/dm-5/error/metadata/ENOSPC/max_retries: no such file or directory', vars: { err: '/sys/fs/xfs/dm-5/error/metadata/ENOSPC/max_retries:open /sys/fs/xfs/dm-5/error/metadata/ENOSPC/max_retries: no such file or directory' } },
  { id: 'dm-unmount-failed', msg: `devmapper: Error unmounting device ${H}: invalid argument`, vars: { hash: H, err: 'invalid argument' } },
  { id: 'dm-rootfs-io-error', msg: `Error getting container abc from driver devicemapper: mkdir /var/lib/docker/devicemapper/mnt/${H}/rootfs: input/output error`, vars: { hash: H } },
  { id: 'dm-deferred-deletion-failed', msg: `Deletion of device ${H}, device_id=142 failed:Device or resource busy`, vars: { hash: H, id: '142', err: 'Device or resource busy' } },
  { id: 'dm-transaction-rollback', msg: `Rolling back open transaction: TransactionID=57 hash=${H} device_id=142`, vars: { tid: '57', hash: H, id: '142' }, severity: 'hint' },
  { id: 'dm-transaction-rollback', msg: 'devmapper: Rolling back open transaction failed: devicemapper: Can\'t set task name', vars: { err: "devicemapper: Can't set task name" } },
  { id: 'dm-transaction-rollback', msg: 'Open Transaction id 56 is less than pool transaction id 57', vars: { open: '56', poolTid: '57' } },
  { id: 'dm-loopback-file-size', msg: "Can't shrink loopback file /var/lib/docker/devicemapper/devicemapper/data", vars: { path: '/var/lib/docker/devicemapper/devicemapper/data' } },
  { id: 'dm-loopback-file-size', msg: 'error initializing graphdriver: devmapper: Unable to grow loopback file /var/lib/docker/devicemapper/devicemapper/data: file too large', vars: { path: '/var/lib/docker/devicemapper/devicemapper/data', err: 'file too large' }, severity: 'error' },
  { id: 'dm-ioctl-failed', msg: 'libdevmapper(3): ioctl/libdm-iface.c:1927 (-1) device-mapper: message ioctl on docker-253:0-1048578-pool  failed: Device or resource busy', vars: { level: '3', op: 'message', target: 'docker-253:0-1048578-pool', err: 'Device or resource busy' } },
  { id: 'libdm-log', msg: 'libdevmapper(3): libdm-common.c:1484 (-1) Device docker-253:0-1048578-pool not found', vars: { level: '3', file: 'libdm-common.c', srcline: '1484', code: '-1', text: 'Device docker-253:0-1048578-pool not found' }, severity: 'error' },
  { id: 'libdm-log', msg: 'libdevmapper(4): libdm-common.c:1345 (0) Device docker-253:0-1048578-abc not found', vars: { level: '4', file: 'libdm-common.c', srcline: '1345', code: '0', text: 'Device docker-253:0-1048578-abc not found' } },
  { id: 'libdm-log', msg: 'libdevmapper(6): ioctl/libdm-iface.c:1860 (0) dm info docker-253:0-1048578-pool  [ opencount flush ]   [16384] (*1)', vars: { level: '6', file: 'ioctl/libdm-iface.c', srcline: '1860', code: ['0', 1], text: 'dm info docker-253:0-1048578-pool  [ opencount flush ]   [16384] (*1)' }, severity: 'information' },
  { id: 'libdm-log', msg: 'libdevmapper(7): libdm-common.c:1461 (0) Removed /dev/mapper/docker-253:0-1048578-abc', vars: { level: '7', file: 'libdm-common.c', srcline: '1461', code: '0', text: 'Removed /dev/mapper/docker-253:0-1048578-abc' }, severity: 'hint' },
  { id: 'no-space-left-on-device', msg: "dd: error writing '/dev/mapper/thin-oos': No space left on device", vars: { path: '/dev/mapper/thin-oos' } },
  { id: 'no-space-left-on-device', msg: `failed to register layer: devmapper: Error activating devmapper device for '${H}': no space left on device` },

  // 5.3 kernel (verbatim lines from real-kernel-observations.md §9 where they exist)
  { id: 'thin-low-water-mark', msg: 'device-mapper: thin: 253:0: reached low water mark for data device: sending event.', vars: { pool: '253:0' } },
  { id: 'thin-low-water-mark', msg: 'device-mapper: thin: 253:2: reached low water mark, sending event.', vars: { pool: '253:2' } },
  { id: 'thin-metadata-low-water-mark', msg: 'device-mapper: thin: 253:3: reached low water mark for metadata device: sending event.', vars: { pool: '253:3' } },
  { id: 'thin-out-of-data-space-queue', msg: 'device-mapper: thin: 253:0: switching pool to out-of-data-space (queue IO) mode', vars: { pool: '253:0' } },
  { id: 'thin-out-of-data-space-queue', msg: 'device-mapper: thin: 252:4: switching pool to out-of-data-space mode', vars: { pool: '252:4' } },
  { id: 'thin-out-of-data-space-error', msg: 'device-mapper: thin: 253:0: switching pool to out-of-data-space (error IO) mode', vars: { pool: '253:0' } },
  { id: 'thin-read-only', msg: 'device-mapper: thin: 253:3: switching pool to read-only mode', vars: { pool: '253:3' } },
  { id: 'thin-read-only', msg: 'device-mapper: thin: switching pool to read-only mode' },
  { id: 'thin-fail', msg: 'device-mapper: thin: 253:3: switching pool to fail mode', vars: { pool: '253:3' } },
  { id: 'thin-fail', msg: 'device-mapper: thin: 253:3: switching pool to failure mode', vars: { pool: '253:3' } },
  { id: 'thin-write-mode', msg: 'device-mapper: thin: 253:0: switching pool to write mode', vars: { pool: '253:0' } },
  { id: 'thin-messages-refused', msg: 'device-mapper: thin: 253:3: unable to service pool target messages in READ_ONLY or FAIL mode', vars: { pool: '253:3' } },
  { id: 'thin-metadata-operation-failed', msg: "device-mapper: thin: 253:3: metadata operation 'dm_pool_commit_metadata' failed: error = -28", vars: { pool: '253:3', op: 'dm_pool_commit_metadata', errno: '-28' } },
  { id: 'thin-metadata-abort', msg: 'device-mapper: thin: 253:3: aborting current metadata transaction', vars: { pool: '253:3' } },
  { id: 'thin-metadata-abort', msg: 'device-mapper: thin: 253:3: failed to abort metadata transaction', vars: { pool: '253:3' } },
  { id: 'thin-metadata-abort', msg: "device-mapper: thin: 253:3: failed to set 'needs_check' flag in metadata", vars: { pool: '253:3' } },
  { id: 'thin-needs-check', msg: 'device-mapper: thin: 253:3: unable to switch pool to write mode until repaired.', vars: { pool: '253:3', what: 'switch pool to write mode' } },
  { id: 'thin-needs-check', msg: 'device-mapper: thin: 253:3: unable to grow the data device until repaired.', vars: { pool: '253:3', what: 'grow the data device' } },
  { id: 'thin-metadata-exhausted', msg: 'device-mapper: thin: No free metadata blocks' },
  { id: 'thin-metadata-exhausted', msg: 'device-mapper: thin: Could not get free metadata blocks' },
  { id: 'space-map-metadata-alloc-failed', msg: 'device-mapper: space map metadata: unable to allocate new metadata block' },
  { id: 'thin-discard-passdown-disabled', msg: 'device-mapper: thin: Data device (loop0) discard unsupported: Disabling discard passdown.', vars: { device: 'loop0', reason: 'discard unsupported' } },
  { id: 'thin-discard-passdown-disabled', msg: 'device-mapper: thin: Data device (dm-1) max discard sectors smaller than a block: Disabling discard passdown.', vars: { device: 'dm-1', reason: 'max discard sectors smaller than a block' } },
  { id: 'thin-discard-passdown-disabled', msg: 'device-mapper: thin: Discard unsupported by data device (sdb): Disabling discard passdown.', vars: { device: 'sdb', reason: 'Discard unsupported' } },
  { id: 'discard-not-effective', msg: 'operation not supported error, dev loop0, sector 100224 op 0x3:(DISCARD) flags 0x0 phys_seg 1 prio class 2', vars: { kind: 'operation not supported', device: 'loop0', sector: '100224' } },
  { id: 'thin-pool-grown', msg: 'device-mapper: thin: 253:0: growing the data device from 1024 to 3072 blocks', vars: { pool: '253:0', device: 'data', from: '1024', to: '3072' } },
  { id: 'thin-pool-grown', msg: 'device-mapper: thin: 253:0: growing the metadata device from 2048 to 4096 blocks', vars: { pool: '253:0', device: 'metadata', from: '2048', to: '4096' } },
  { id: 'thin-device-too-small', msg: 'device-mapper: thin: 253:0: pool target (1024 blocks) too small: expected 3072', vars: { pool: '253:0', what: 'pool target', actual: '1024', expected: '3072' } },
  { id: 'thin-device-too-small', msg: 'device-mapper: thin: 253:0: metadata device (2048 blocks) too small: expected 4096', vars: { pool: '253:0', what: 'metadata device', actual: '2048', expected: '4096' } },
  { id: 'thin-metadata-device-too-large', msg: 'device-mapper: thin: Metadata device dm-1 is larger than 33423360 sectors: excess space will not be used.', vars: { device: 'dm-1', max: '33423360' } },
  { id: 'thin-activation-failed', msg: "device-mapper: table: 253:5: thin: Couldn't open thin internal device", vars: { devno: '253:5', reason: "Couldn't open thin internal device" } },
  { id: 'thin-activation-failed', msg: 'device-mapper: table: 253:5: thin: Unable to activate thin device while pool is suspended', vars: { devno: '253:5', reason: 'Unable to activate thin device while pool is suspended' } },
  { id: 'dm-table-target-error', msg: 'device-mapper: table: 252:0: thin-pool: Invalid block size (-EINVAL)', vars: { devno: '252:0', target: 'thin-pool', reason: 'Invalid block size', errno: '-EINVAL' } },
  { id: 'dm-table-target-error', msg: 'device-mapper: ioctl: error adding target to table' },
  { id: 'thin-message-failed', msg: 'device-mapper: thin: Creation of new thinly-provisioned device with id 5 failed.', vars: { id: '5' } },
  { id: 'thin-message-failed', msg: 'device-mapper: thin: Creation of new snapshot 3 of device 1 failed.', vars: { id: '3', origin: '1' } },
  { id: 'thin-message-failed', msg: 'device-mapper: thin: Deletion of thin device 3 failed.', vars: { id: '3' } },
  { id: 'thin-message-failed', msg: 'device-mapper: thin: Message received with invalid device id: x1', vars: { value: 'x1' } },
  { id: 'thin-message-failed', msg: 'device-mapper: thin: Unrecognised thin pool target message received: create_thim', vars: { value: 'create_thim' } },
  { id: 'thin-internal-error', msg: 'device-mapper: thin: process_cell: alloc_data_block() failed: error = -5', vars: { func: 'process_cell', errno: '-5' } },
  { id: 'thin-internal-error', msg: 'device-mapper: thin: process_cell: dm_thin_find_block() failed: error = -61', vars: { func: 'process_cell', errno: '-61' } },
  { id: 'thin-internal-error', msg: 'device-mapper: thin: bio unserviceable, yet pool is in PM_WRITE mode' },
  { id: 'thin-internal-error', msg: "device-mapper: thin: Discard doesn't respect bio prison limits" },
  { id: 'thin-block-size-changed', msg: 'device-mapper: thin metadata: changing the data block size (from 128 to 256) is not supported', vars: { from: '128', to: '256' } },
  { id: 'thin-superblock-invalid', msg: 'device-mapper: thin metadata: sb_check failed: magic 0: wanted 27022010', vars: { field: 'magic', found: '0', wanted: '27022010' } },
  { id: 'thin-superblock-invalid', msg: "device-mapper: thin metadata: couldn't read superblock" },
  { id: 'thin-metadata-unsupported-features', msg: 'device-mapper: thin metadata: could not access metadata due to unsupported optional features (2).', vars: { features: '2' } },
  { id: 'dm-device-io-error', msg: 'Buffer I/O error on dev dm-3, logical block 1234, lost async page write', vars: { device: 'dm-3', block: '1234' } },
  { id: 'dm-device-io-error', msg: 'EXT4-fs error (device dm-1): htree_dirblock_to_tree:1083: inode #2: comm ls: Directory block failed checksum', vars: { device: 'dm-1', detail: 'htree_dirblock_to_tree:1083: inode #2: comm ls: Directory block failed checksum' } },
  { id: 'dm-device-io-error', msg: 'EXT4-fs warning (device dm-1): ext4_dirblock_csum_verify:406: inode #2: comm ls: No space for directory leaf checksum. Please run e2fsck -D.', vars: { device: 'dm-1', detail: 'ext4_dirblock_csum_verify:406: inode #2: comm ls: No space for directory leaf checksum. Please run e2fsck -D.' }, severity: 'warning' },
  { id: 'dm-device-io-error', msg: 'XFS (dm-2): metadata I/O error in "xfs_buf_ioend+0x1a0/0x4b0 [xfs]" at daddr 0x2 len 1 error 28', vars: { device: 'dm-2', detail: 'metadata I/O error in "xfs_buf_ioend+0x1a0/0x4b0 [xfs]" at daddr 0x2 len 1 error 28' } },
  { id: 'dm-device-io-error', msg: 'critical space allocation error, dev dm-3, sector 2048 op 0x1:(WRITE) flags 0x8800 phys_seg 1 prio class 2', vars: { kind: 'critical space allocation', device: 'dm-3', sector: '2048' } },
  { id: 'dm-device-io-error', msg: 'Buffer I/O error on dev dm-19, logical block 26214384, async page read', vars: { device: 'dm-19', block: '26214384' } },
  { id: 'dm-device-io-error', msg: 'Buffer I/O error on device dm-4, logical block 2519552', vars: { device: 'dm-4', block: '2519552' } },
  { id: 'dm-device-io-error', msg: 'EXT4-fs warning (device dm-4): ext4_end_bio:314: I/O error -28 writing to inode 528049 (offset 1048576000 size 8388608 starting block 2519552)', vars: { device: 'dm-4', detail: 'ext4_end_bio:314: I/O error -28 writing to inode 528049 (offset 1048576000 size 8388608 starting block 2519552)' } },
  { id: 'dm-device-io-error', msg: 'JBD2: Error -5 detected when updating journal superblock for dm-70-8.', vars: { device: 'dm-70' } },
  { id: 'dm-device-io-error', msg: 'Aborting journal on device dm-70-8.', vars: { device: 'dm-70' } },
  { id: 'dm-device-io-error', msg: 'EXT4-fs (dm-70): previous I/O error to superblock detected', vars: { device: 'dm-70', detail: 'previous I/O error to superblock detected' } },
  { id: 'dm-xfs-mount-option-rejected', msg: 'XFS (dm-1): unknown mount option [context].', vars: { device: 'dm-1', option: 'context' } },
  { id: 'dm-remove-open-device', msg: 'device-mapper: ioctl: unable to remove open device docker-253:0-17074721-0d51051065a81924c0a8c2b1fd291cf480be54510d699164f1370dfe1c737af4', vars: { name: 'docker-253:0-17074721-0d51051065a81924c0a8c2b1fd291cf480be54510d699164f1370dfe1c737af4' } },
  { id: 'dm-ioctl-device-gone', msg: "device-mapper: ioctl: device doesn't appear to be in the dev hash table." },
  { id: 'persistent-data-corruption', msg: 'device-mapper: btree spine: node_check failed: node is neither INTERNAL or LEAF', vars: { detail: 'node is neither INTERNAL or LEAF' } },
  { id: 'persistent-data-corruption', msg: 'kernel BUG at drivers/md/persistent-data/dm-btree-spine.c:34!', vars: { file: 'dm-btree-spine.c', srcline: '34' } },
  { id: 'dm-ioctl-version', msg: 'device-mapper: ioctl: 4.47.0-ioctl (2022-07-28) initialised: dm-devel@redhat.com', vars: { version: '4.47.0', date: '2022-07-28' } },
  { id: 'dm-uevent-version', msg: 'device-mapper: uevent: version 1.0.3', vars: { version: '1.0.3' } },
  { id: 'dm-core-ima-htable', msg: 'device-mapper: core: CONFIG_IMA_DISABLE_HTABLE is disabled. Duplicate IMA measurements will not be recorded in the IMA log.' },

  // 5.4 userspace tools
  { id: 'dmsetup-device-not-found', msg: 'Device does not exist.' },
  { id: 'dmsetup-device-not-found', msg: 'No devices found' },
  { id: 'dmsetup-device-not-found', msg: 'Command failed.' },
  { id: 'dm-ioctl-failed', msg: 'device-mapper: remove ioctl on labvg-vol2  failed: Device or resource busy', vars: { op: 'remove', target: 'labvg-vol2', err: 'Device or resource busy' } },
  { id: 'dmeventd-pool-usage', msg: 'WARNING: Thin pool vg-pool-tpool data is now 81.23% full.', vars: { name: 'vg-pool-tpool', which: 'data', percent: '81.23' } },
  { id: 'dmeventd-pool-usage', msg: 'WARNING: Thin pool vg-pool-tpool metadata is now 95.00% full.', vars: { name: 'vg-pool-tpool', which: 'metadata', percent: '95.00' } },
  { id: 'lvm-thin-check-failed', msg: 'Check of pool docker/thinpool failed (status:2). Manual repair required!', vars: { pool: 'docker/thinpool', status: '2' } },
  { id: 'lvm-thin-check-failed', msg: '/usr/sbin/thin_check: execvp failed: No such file or directory', vars: { tool: 'thin_check' } },
  { id: 'lvm-thin-transaction-id-mismatch', msg: 'Thin pool transaction_id is 113, while expected 0.', vars: { found: '113', expected: '0' } },
  { id: 'lvm-thin-not-monitored', msg: '/usr/sbin/dmeventd: stat failed: No such file or directory' },
  { id: 'lvm-thin-overprovisioned', msg: 'WARNING: Sum of all thin volume sizes (1.00 GiB) exceeds the size of thin pool docker/thinpool and the size of whole volume group (108.00 MiB).', vars: { pool: 'docker/thinpool' } },
  { id: 'lvm-thin-overprovisioned', msg: 'WARNING: You have not turned on protection against thin pools running out of space.' },
  { id: 'lvm-thin-overprovisioned', msg: 'WARNING: Set activation/thin_pool_autoextend_threshold below 100 to trigger automatic extension of thin pools before they get full.' },
  { id: 'thin-tools-live-metadata', msg: "syscall 'open' failed: Device or resource busy" },
  { id: 'thin-tools-live-metadata', msg: 'Note: you cannot run this tool with these options on live metadata.' },
  { id: 'thin-trim-device-size-mismatch', msg: 'unexpected data device size, wanted 536870912 bytes', vars: { wanted: '536870912' } },
  { id: 'thin-check-metadata-errors', msg: 'Check of mappings failed' },
  { id: 'thin-check-metadata-errors', msg: 'Thin device 1 has 1 errors and is missing 17817 mappings, while expected 142318', vars: { id: '1', errors: ['1', 1], missing: '17817', expected: '142318' } },
  { id: 'thin-check-metadata-errors', msg: 'device details tree: node error: checksum error AgTL5iMA, effecting keys [..]', vars: { tree: 'device details', detail: 'checksum error AgTL5iMA, effecting keys [..]' } },
  { id: 'thin-check-metadata-errors', msg: 'The following field needs to be provided on the command line due to corruption in the superblock: transaction id', vars: { field: 'transaction id' } },
  { id: 'discard-not-supported', msg: 'blkdiscard: /dev/sdb: BLKDISCARD ioctl failed: Operation not supported', vars: { device: '/dev/sdb' } },
  { id: 'discard-not-supported', msg: 'lkdiscard: /dev/vg/thin_trim_lv: BLKDISCARD ioctl failed: Operation not supported', vars: { device: '/dev/vg/thin_trim_lv' } },
  { id: 'discard-not-supported', msg: 'fstrim: /mnt/thin-ext4: the discard operation is not supported', vars: { mount: '/mnt/thin-ext4' } },

  // wrappers: only when no cause matched
  { id: 'graphdriver-init-failed', msg: 'failed to start daemon: error initializing graphdriver: devmapper: Error while creating filesystem xfs on device docker-253:0-1048578-base: exit status 1: devicemapper', vars: { err: 'devmapper: Error while creating filesystem xfs on device docker-253:0-1048578-base: exit status 1: devicemapper' } },
  { id: 'graphdriver-init-failed', msg: 'Error starting daemon: error intializing graphdriver: devmapper: Error while creating filesystem xfs on device docker-base', vars: { err: 'devmapper: Error while creating filesystem xfs on device docker-base' } },
];

function entryOf(id: string): LogEntry {
  const e = LOG_CATALOGUE.find((x) => x.id === id);
  assert.ok(e, `no entry ${id}`);
  return e;
}

function expectedSpan(v: Variant, msg: string, text: string, occurrence = 0): { start: number; end: number } {
  let idx = -1;
  for (let i = 0; i <= occurrence; i++) idx = msg.indexOf(text, idx + 1);
  assert.ok(idx >= 0, `"${text}" not in the message`);
  const start = v.prefix.length + v.enc(msg.slice(0, idx)).length;
  return { start, end: start + v.enc(text).length };
}

const covered = new Set<LogWording>();

describe('log catalogue: a realistic line per wording, in every envelope of its origin', () => {
  for (const c of CASES) {
    const entry = entryOf(c.id);
    const variants = variantsOf(entry);
    test(`${c.id} ×${variants.length} envelopes: ${c.msg.slice(0, 80)}`, () => {
      for (const v of variants) {
        const line = v.prefix + v.enc(c.msg) + v.suffix;
        const m: LogMatch | undefined = matchLogLine(line);
        assert.ok(m, `${v.name}: not recognised: ${line}`);
        assert.equal(m.entry.id, c.id, `${v.name}: recognised as ${m.entry.id}`);
        assert.equal(m.severity, c.severity ?? entry.severity, `${v.name}: severity`);
        assert.equal(m.envelope.format, v.format, `${v.name}: format`);
        assert.equal(m.envelope.wrapper, v.wrapper, `${v.name}: wrapper`);
        covered.add(m.wording);
        // The message span is exactly the encoded message.
        assert.equal(line.slice(m.messageRange.start, m.messageRange.end), v.enc(c.msg), `${v.name}: message range`);
        const want = c.vars ?? {};
        assert.deepEqual(Object.keys(m.variables).sort(), Object.keys(want).sort(), `${v.name}: variable names`);
        for (const [name, spec] of Object.entries(want)) {
          const [text, occurrence] = typeof spec === 'string' ? [spec, 0] : spec;
          const got: LogVariable = m.variables[name]!;
          assert.equal(got.text, text, `${v.name}: ${name} text`);
          assert.deepEqual({ start: got.start, end: got.end }, expectedSpan(v, c.msg, text, occurrence), `${v.name}: ${name} span`);
          assert.equal(line.slice(got.start, got.end), v.enc(text), `${v.name}: ${name} covers its text in the line`);
        }
      }
    });
  }
  test('every wording of every entry has a case', () => {
    const missing: string[] = [];
    for (const e of LOG_CATALOGUE) e.wordings.forEach((w, i) => {
      if (!covered.has(w)) missing.push(`${e.id}[${i}] ${w.anchor}`);
    });
    assert.deepEqual(missing, []);
  });
});

describe('log catalogue: integrity', () => {
  test('ids are unique, stable kebab-case', () => {
    const ids = LOG_CATALOGUE.map((e) => e.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const id of ids) assert.match(id, /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/);
  });

  test('every entry cites a reference section and explains itself', () => {
    for (const e of LOG_CATALOGUE) {
      assert.match(e.source, /§\d/, `${e.id} source`);
      assert.ok(e.title && e.meaning && e.remedy, e.id);
      assert.ok(['error', 'warning', 'information', 'hint'].includes(e.severity), e.id);
      assert.ok(e.wordings.length > 0, e.id);
    }
  });

  test('every named group is documented and every summary placeholder exists', () => {
    for (const e of LOG_CATALOGUE) {
      const groups = new Set<string>();
      for (const w of e.wordings) {
        assert.equal(/[gy]/.test(w.pattern.flags), false, `${e.id}: stateful flags`);
        for (const g of w.pattern.source.matchAll(/\(\?<([A-Za-z]+)>/g)) groups.add(g[1]!);
        assert.ok(w.anchor.length >= 6, `${e.id}: anchor "${w.anchor}" is too short to dispatch on`);
      }
      for (const g of groups) assert.ok(e.variables?.[g], `${e.id}: variable ${g} undocumented`);
      for (const p of (e.summary ?? '').matchAll(/\{(?:(?:pct|times):)?([A-Za-z]+)(?:\/([A-Za-z]+))?\}/g)) {
        assert.ok(groups.has(p[1]!), `${e.id}: summary uses {${p[1]}}`);
        if (p[2]) assert.ok(groups.has(p[2]), `${e.id}: summary uses ${p[2]}`);
      }
    }
  });

  test('severities the brief fixes', () => {
    const sev = (id: string): string => entryOf(id).severity;
    assert.equal(sev('thin-out-of-data-space-error'), 'error');
    assert.equal(sev('thin-out-of-data-space-queue'), 'warning');
    assert.equal(sev('thin-low-water-mark'), 'warning');
    assert.equal(sev('thin-write-mode'), 'information');
    assert.equal(sev('thin-discard-passdown-disabled'), 'warning');
    assert.equal(sev('dm-ioctl-version'), 'hint');
  });

  test('every verbatim dm line of real-kernel-observations.md §9 is catalogued', () => {
    const verbatim = [
      '[    2.686078] device-mapper: core: CONFIG_IMA_DISABLE_HTABLE is disabled. Duplicate IMA measurements will not be recorded in the IMA log.',
      '[    2.686661] device-mapper: uevent: version 1.0.3',
      '[    2.688651] device-mapper: ioctl: 4.47.0-ioctl (2022-07-28) initialised: dm-devel@redhat.com',
      '[   21.214061] device-mapper: thin: Data device (loop0) discard unsupported: Disabling discard passdown.',
      '[   48.758789] operation not supported error, dev loop0, sector 100224 op 0x3:(DISCARD) flags 0x0 phys_seg 1 prio class 2',
      '[   64.772053] device-mapper: thin: 253:0: reached low water mark for data device: sending event.',
      '[   64.972134] device-mapper: thin: 253:0: switching pool to out-of-data-space (error IO) mode',
      '[   65.409561] device-mapper: thin: 253:0: switching pool to write mode',
      '[   65.409656] device-mapper: thin: 253:0: growing the data device from 1024 to 3072 blocks',
      '[   67.857048] device-mapper: thin: 253:0: switching pool to out-of-data-space (queue IO) mode',
      'EXT4-fs error (device dm-1): htree_dirblock_to_tree:1083: inode #2: comm ls: Directory block failed checksum',
      'fstrim: /mnt/thin-ext4: the discard operation is not supported',
      "dd: error writing '/dev/mapper/thin-oos': No space left on device",
    ];
    for (const l of verbatim) assert.ok(matchLogLine(l), l);
  });
});

describe('log catalogue: lines that must not be recognised', () => {
  const silent = [
    // shared with other drivers or programs
    'Error starting daemon: error initializing graphdriver: driver not supported',
    'failed to start daemon: error initializing graphdriver: overlay2: unknown option overlay2.sizee',
    'failed to start daemon: error initializing graphdriver: driver not supported: overlay2',
    "invalid size: '20GG'",
    'strconv.ParseBool: parsing "yes": invalid syntax',
    'write /var/lib/docker/overlay2/abc/diff/x: no space left on device',
    'cp: error writing /tmp/x: No space left on device',
    // dmsetup's texts from another process
    'Mar 05 10:11:12 host sshd[12]: Command failed.',
    'Mar 05 10:11:12 host nvme[7]: No devices found',
    // normal filesystem lines on dm devices are not devicemapper problems
    'EXT4-fs (dm-1): mounted filesystem with ordered data mode. Quota mode: none.',
    'XFS (dm-2): Mounting V5 Filesystem',
    'XFS (dm-2): Ending clean mount',
    'loop0: detected capacity change from 0 to 131072',
    // near misses
    'device-mapper: thin: 253:0: switching pool to something mode',
    'device-mapper: multipath: 253:1: Failing path 8:16.',
    // real unrelated lines next to devicemapper reports
    'XFS (xvdb): Log I/O Error Detected.  Shutting down filesystem',
    'Buffer I/O error on dev sda1, logical block 0, lost async page write',
    'EXT4-fs (dm-5): mounting with "discard" option, but the device does not support discard',
    'Error response from daemon: driver "overlay" failed to remove root filesystem for b030cf52bc61: remove /var/lib/docker/overlay/8764a60eaa9d/merged: device or resource busy',
    'docker: Error response from daemon: mkdir /var/lib/docker/overlay2/e1f741f426ea-init/merged/dev/shm: invalid argument.',
    '  Volume group "docker" not found',
  ];
  for (const l of silent) test(l, () => assert.equal(matchLogLine(l)?.entry.id, undefined));
});
