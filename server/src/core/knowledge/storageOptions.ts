/**
 * Every storage option dockerd's devicemapper driver knows (the 23 `case "dm.…"`
 * branches of `NewDeviceSet`, unchanged in number from v0.12.0 to v24.0.0 and
 * gone with the driver in 25.0), and overlay2's own options, so a daemon.json
 * `storage-opts` entry can be checked, completed and explained.
 * Source: ../shared/reference/devicemapper.md §1.1–1.6 (S1, S3, S8, S9, S14–S16, S19) unless an
 * entry says otherwise.
 */

/** loop = loop-lvm; raw = dm.datadev/dm.metadatadev; pool = dm.thinpooldev; dlvm = dm.directlvm_device (devicemapper.md §1.3). */
export type DmMode = 'loop' | 'raw' | 'pool' | 'dlvm';

export const DM_MODE_NAMES: Record<DmMode, string> = {
  loop: 'loop-lvm (sparse loop files)',
  raw: 'raw devices (dm.datadev/dm.metadatadev)',
  pool: 'an existing thin pool (dm.thinpooldev)',
  dlvm: 'direct-lvm (dm.directlvm_device)',
};

/**
 * How dockerd parses the value (devicemapper.md §1.1 "Value parsers"):
 * size = units.RAMInBytes; bool = strconv.ParseBool; uint = ParseUint; int = ParseInt;
 * percent = ParseUint after trimming one optional `%`; min-free-space = `<N>%` required;
 * enum = exact string; string/path/pool-name/mount-options = not checked at parse time.
 */
export type OptionValueType = 'size' | 'bool' | 'uint' | 'int' | 'percent' | 'min-free-space' | 'enum' | 'string' | 'path' | 'pool-name' | 'mount-options';

export interface VersionedText {
  /** Engine version from which this applies (inclusive). */
  since?: string;
  /** Engine version from which it no longer applies. */
  until?: string;
  text: string;
}

export interface StorageOptionDoc {
  key: string;
  driver: 'devicemapper' | 'overlay2';
  type: OptionValueType;
  /** Bit size of ParseUint/ParseInt. */
  bits?: 32 | 64;
  /** enum: the accepted values, case-sensitive. */
  values?: readonly string[];
  /** Inclusive range dockerd accepts for numbers. */
  min?: number;
  max?: number;
  defaults: readonly VersionedText[];
  modes: readonly DmMode[];
  /** First engine that knows the key. */
  since: string;
  /** Accepted more than once (each occurrence adds). */
  repeatable?: boolean;
  /** Error texts dockerd prints for a bad value (`<v>` = the value, `<err>` = a parser error). */
  errors: readonly string[];
  meaning: string;
  notes?: string;
  /** Completion snippet for the value (LSP snippet syntax). */
  valueSnippet: string;
  docs: string;
  source: string;
}

export const DM_DOCS_URL = 'https://docs.docker.com/engine/storage/drivers/device-mapper-driver/';
/** The dockerd reference with its devicemapper options (docker/cli removed them after v23.0; devicemapper.md S16). */
export const DOCKERD_DM_REFERENCE_URL = 'https://github.com/docker/cli/blob/v23.0.0/docs/reference/commandline/dockerd.md';
export const DOCKERD_REFERENCE_URL = 'https://docs.docker.com/reference/cli/dockerd/';

const ALL: readonly DmMode[] = ['loop', 'raw', 'pool', 'dlvm'];
const PARSE_BOOL = 'strconv.ParseBool: parsing "<v>": invalid syntax';
const LVM_SOURCE = 'devicemapper.md §1.3, §1.6 (S3)';

function dm(doc: Omit<StorageOptionDoc, 'driver' | 'docs'> & { docs?: string }): StorageOptionDoc {
  return { driver: 'devicemapper', docs: DM_DOCS_URL, ...doc };
}

export const DM_OPTIONS = {
  'dm.basesize': dm({
    key: 'dm.basesize', type: 'size', since: '0.12.0', modes: ALL,
    defaults: [{ until: '1.8', text: '10 GiB' }, { since: '1.8', until: '1.10', text: '100 GiB' }, { since: '1.10', text: '10 GiB' }],
    errors: ["invalid size: '<v>'", "invalid suffix: '<sfx>'", 'devmapper: Base device size cannot be smaller than <HumanSize>'],
    meaning: 'Size of the base thin device, and so the maximum size of every image and container filesystem.',
    notes: 'Growing it on an existing pool (1.10+) grows the base filesystem; only new images and containers get the new size. Shrinking fails. Also the lower bound of `docker run --storage-opt size=`.',
    valueSnippet: '${1:20G}', source: 'devicemapper.md §1.3 (dm.basesize), §1.7',
  }),
  'dm.loopdatasize': dm({
    key: 'dm.loopdatasize', type: 'size', since: '0.12.0', modes: ['loop', 'raw'],
    defaults: [{ text: '100 GiB' }],
    errors: ["invalid size: '<v>'", "invalid suffix: '<sfx>'", 'devmapper: Unable to grow loopback file <path>: <err>'],
    meaning: 'Size of the sparse loop file that holds the pool\'s data (loop-lvm only).',
    notes: 'Creates or extends `<data-root>/devicemapper/devicemapper/data` at start-up; an existing larger file is not shrunk. Ignored with dm.datadev, dm.thinpooldev or direct-lvm.',
    valueSnippet: '${1:100G}', source: 'devicemapper.md §1.3 (dm.loopdatasize), §1.5',
  }),
  'dm.loopmetadatasize': dm({
    key: 'dm.loopmetadatasize', type: 'size', since: '0.12.0', modes: ['loop', 'raw'],
    defaults: [{ text: '2 GiB' }],
    errors: ["invalid size: '<v>'", "invalid suffix: '<sfx>'", 'devmapper: Unable to grow loopback file <path>: <err>'],
    meaning: 'Size of the sparse loop file that holds the pool\'s metadata (loop-lvm only).',
    notes: 'The kernel uses at most about 16 GiB of a metadata device. Ignored with dm.metadatadev, dm.thinpooldev or direct-lvm.',
    valueSnippet: '${1:2G}', source: 'devicemapper.md §1.3 (dm.loopmetadatasize), §1.5',
  }),
  'dm.fs': dm({
    key: 'dm.fs', type: 'enum', values: ['ext4', 'xfs'], since: '0.12.0', modes: ALL,
    defaults: [{ until: '1.10', text: 'ext4' }, { since: '1.10', text: 'xfs when mkfs.xfs is on PATH and the kernel lists xfs, else ext4 (with a warning)' }],
    errors: ['devmapper: Unsupported filesystem <v>'],
    meaning: 'Filesystem created on the base device: `ext4` or `xfs`, exactly (case-sensitive).',
    notes: 'Used only when the base device is first formatted; an existing base keeps its filesystem (dockerd logs that the option is ignored).',
    valueSnippet: '${1|xfs,ext4|}', source: 'devicemapper.md §1.3 (dm.fs)',
  }),
  'dm.mkfsarg': dm({
    key: 'dm.mkfsarg', type: 'string', since: '0.12.0', modes: ALL, repeatable: true,
    defaults: [{ text: 'none (Docker adds `-E nodiscard,lazy_itable_init=0,lazy_journal_init=0` for ext4)' }],
    errors: [],
    meaning: 'One extra argument for mkfs when the base device is created (repeat the option for several).',
    notes: 'Each occurrence is passed as a single argv element.',
    valueSnippet: '${1:-K}', source: 'devicemapper.md §1.3 (dm.mkfsarg)',
  }),
  'dm.mountopt': dm({
    key: 'dm.mountopt', type: 'mount-options', since: '0.12.0', modes: ALL, repeatable: true,
    defaults: [{ until: '1.7', text: 'none, but Docker always added `discard`' }, { since: '1.7', text: 'none (Docker adds `nouuid` for xfs and the SELinux context)' }],
    errors: [],
    meaning: 'Extra mount options for every thin device Docker mounts (comma list; repeated options are joined).',
    notes: 'A bad option only shows up as a mount error. `discard` turns online discard back on.',
    valueSnippet: '${1:nodiscard}', source: 'devicemapper.md §1.3 (dm.mountopt), §6',
  }),
  'dm.datadev': dm({
    key: 'dm.datadev', type: 'path', since: '0.12.0', modes: ['raw'],
    defaults: [{ text: 'unset' }],
    errors: ['open <v>: <err>'],
    meaning: 'Block device for the pool\'s data; Docker builds the pool on it (deprecated in favour of dm.thinpooldev since the 1.8 docs).',
    notes: 'Turns the dm.blkdiscard default off. Without dm.metadatadev the metadata stays in a loop file.',
    valueSnippet: '${1:/dev/sdb1}', source: 'devicemapper.md §1.3 (dm.datadev), §1.5',
  }),
  'dm.metadatadev': dm({
    key: 'dm.metadatadev', type: 'path', since: '0.12.0', modes: ['raw'],
    defaults: [{ text: 'unset' }],
    errors: ['open <v>: <err>'],
    meaning: 'Block device for the pool\'s metadata; for a new pool its first 4 KiB must be zeroed.',
    valueSnippet: '${1:/dev/sdc1}', source: 'devicemapper.md §1.3 (dm.metadatadev)',
  }),
  'dm.thinpooldev': dm({
    key: 'dm.thinpooldev', type: 'pool-name', since: '1.4.0', modes: ['pool'],
    defaults: [{ text: 'unset' }],
    errors: ['devmapper: Device <name> is not a thin pool', 'devicemapper: Non existing device <name>', 'devmapper: Unable to take ownership of thin-pool (<name>) that already has used data blocks'],
    meaning: 'An existing thin pool Docker should use (dm name, or `/dev/mapper/<name>`): the production setup besides direct-lvm.',
    notes: 'Loop sizes, dm.datadev/dm.metadatadev and dm.blocksize are then ignored; dm.blkdiscard defaults to false; conflicts with direct-lvm.',
    valueSnippet: '${1:/dev/mapper/docker-thinpool}', source: 'devicemapper.md §1.3 (dm.thinpooldev), §1.5',
  }),
  'dm.blocksize': dm({
    key: 'dm.blocksize', type: 'size', since: '1.2.0', modes: ['loop', 'raw'],
    defaults: [{ text: '64 KiB (128 sectors)' }],
    errors: ["invalid size: '<v>'", 'device-mapper: table: <maj:min>: thin-pool: Invalid block size', 'devicemapper: Error running deviceCreate (CreatePool) dm_task_run failed'],
    meaning: 'Block size of a pool Docker creates (loop/raw): 64 KiB to 1 GiB in multiples of 64 KiB (kernel rule).',
    notes: 'Converted to 512-byte sectors (`uint32(bytes) >> 9`). Ignored with dm.thinpooldev and direct-lvm (which uses 512 KiB). Cannot change for an existing pool.',
    valueSnippet: '${1:64K}', source: 'devicemapper.md §1.3 (dm.blocksize), §3.1',
  }),
  'dm.blkdiscard': dm({
    key: 'dm.blkdiscard', type: 'bool', since: '0.12.0', modes: ALL,
    defaults: [{ text: 'true; false when not given and dm.datadev or dm.thinpooldev is set (stays true with direct-lvm)' }],
    errors: [PARSE_BOOL],
    meaning: 'Discard a thin device\'s blocks (BLKDISCARD) before deleting it, so the space returns to the backing store.',
    notes: 'Makes image and container removal slower on large devices.',
    valueSnippet: '${1|true,false|}', source: 'devicemapper.md §1.3 (dm.blkdiscard), §6.2',
  }),
  'dm.override_udev_sync_check': dm({
    key: 'dm.override_udev_sync_check', type: 'bool', since: '1.7.0', modes: ALL,
    defaults: [{ text: 'false' }],
    errors: [PARSE_BOOL],
    meaning: 'Start the driver even though libdevmapper cannot synchronise with udev (risks data loss).',
    notes: 'Without it the driver refuses to start on such hosts in 1.7.0 and 1.11+; 1.7.1–1.10 only warned.',
    valueSnippet: '${1|false,true|}', source: 'devicemapper.md §1.3 (dm.override_udev_sync_check)',
  }),
  'dm.use_deferred_removal': dm({
    key: 'dm.use_deferred_removal', type: 'bool', since: '1.7.0', modes: ALL,
    defaults: [{ until: '17.07', text: 'false' }, { since: '17.07', text: 'true when the kernel dm driver is ≥ 4.27.0 and libdm supports deferred remove' }],
    errors: [PARSE_BOOL, 'devmapper: Deferred removal can not be enabled as kernel does not support it', 'devmapper: Deferred removal can not be enabled as libdm does not support it'],
    meaning: 'Remove a busy thin device when its last user closes it, instead of failing.',
    valueSnippet: '${1|true,false|}', source: 'devicemapper.md §1.3 (dm.use_deferred_removal)',
  }),
  'dm.use_deferred_deletion': dm({
    key: 'dm.use_deferred_deletion', type: 'bool', since: '1.9.0', modes: ALL,
    defaults: [{ until: '17.07', text: 'false' }, { since: '17.07', text: 'true when deferred removal is supported' }],
    errors: [PARSE_BOOL, 'devmapper: Deferred deletion can not be enabled as deferred removal is not enabled. Enable deferred removal using --storage-opt dm.use_deferred_removal=true parameter'],
    meaning: 'Delete busy thin devices later (retried every 30 s) instead of failing; needs deferred removal.',
    notes: 'From 17.07, setting only dm.use_deferred_removal=false leaves this at its default true and dockerd fails: set both.',
    valueSnippet: '${1|true,false|}', source: 'devicemapper.md §1.3 (dm.use_deferred_deletion)',
  }),
  'dm.min_free_space': dm({
    key: 'dm.min_free_space', type: 'min-free-space', bits: 32, min: 0, max: 99, since: '1.11.0', modes: ALL,
    defaults: [{ text: '10%' }],
    errors: ['devmapper: Option dm.min_free_space requires % suffix', 'strconv.ParseUint: parsing "<v>": invalid syntax', 'devmapper: Invalid value <v> for option dm.min_free_space'],
    meaning: 'Free data and metadata space (percent of the pool) below which Docker refuses to create new layers and containers; 0% disables the check.',
    valueSnippet: '${1:10}%', source: 'devicemapper.md §1.3 (dm.min_free_space)',
  }),
  'dm.xfs_nospace_max_retries': dm({
    key: 'dm.xfs_nospace_max_retries', type: 'uint', bits: 64, since: '1.13.0', modes: ALL,
    defaults: [{ text: 'unset (XFS retries forever)' }],
    errors: ['strconv.ParseUint: parsing "<v>": invalid syntax', 'devmapper: user specified daemon option dm.xfs_nospace_max_retries but it does not seem to be supported on this system :<err>'],
    meaning: 'How often XFS retries a metadata write that failed with ENOSPC before giving up (xfs only; 0 = fail at once).',
    valueSnippet: '${1:0}', source: 'devicemapper.md §1.3 (dm.xfs_nospace_max_retries)',
  }),
  'dm.directlvm_device': dm({
    key: 'dm.directlvm_device', type: 'path', since: '17.06.0', modes: ['dlvm'],
    defaults: [{ text: 'unset' }],
    errors: ['<dev> is not available for use with devicemapper', '<dev> has a filesystem already, use dm.directlvm_device_force=true if you want to wipe the device', 'changing direct-lvm config is not supported'],
    meaning: 'Block device Docker turns into an LVM thin pool (`docker/thinpool`) on first start (direct-lvm).',
    notes: 'One-time setup; later changes of the direct-lvm options are refused. Conflicts with dm.thinpooldev.',
    valueSnippet: '${1:/dev/xvdf}', source: LVM_SOURCE,
  }),
  'dm.directlvm_device_force': dm({
    key: 'dm.directlvm_device_force', type: 'bool', since: '17.06.0', modes: ['dlvm'],
    defaults: [{ text: 'false' }],
    errors: [PARSE_BOOL],
    meaning: 'Wipe the direct-lvm device even if it already has a filesystem.',
    notes: 'Only skips that check; does not enable direct-lvm by itself.',
    valueSnippet: '${1|false,true|}', source: LVM_SOURCE,
  }),
  'dm.thinp_percent': dm({
    key: 'dm.thinp_percent', type: 'percent', bits: 32, min: 0, max: 99, since: '17.06.0', modes: ['dlvm'],
    defaults: [{ text: '95' }],
    errors: ['could not parse `dm.thinp_percent=<v>`: <err>', 'dm.thinp_percent must be greater than 0 and less than 100'],
    meaning: 'Share of the volume group for the direct-lvm data LV (0 = default).',
    notes: 'Set together with dm.thinp_metapercent; their sum must not exceed 100.',
    valueSnippet: '${1:95}', source: LVM_SOURCE,
  }),
  'dm.thinp_metapercent': dm({
    key: 'dm.thinp_metapercent', type: 'percent', bits: 32, min: 0, max: 99, since: '17.06.0', modes: ['dlvm'],
    defaults: [{ text: '1' }],
    errors: ['could not parse `dm.thinp_metapercent=<v>`: <err>', 'dm.thinp_metapercent must be greater than 0 and less than 100'],
    meaning: 'Share of the volume group for the direct-lvm metadata LV (0 = default).',
    notes: 'Set together with dm.thinp_percent; their sum must not exceed 100.',
    valueSnippet: '${1:1}', source: LVM_SOURCE,
  }),
  'dm.thinp_autoextend_threshold': dm({
    key: 'dm.thinp_autoextend_threshold', type: 'percent', bits: 32, min: 0, max: 100, since: '17.06.0', modes: ['dlvm'],
    defaults: [{ text: '80' }],
    errors: ['could not parse `dm.thinp_autoextend_threshold=<v>`: <err>', 'dm.thinp_autoextend_threshold must be greater than 0 and less than 100'],
    meaning: 'Pool usage (percent) at which LVM extends the direct-lvm pool (`thin_pool_autoextend_threshold`).',
    valueSnippet: '${1:80}', source: LVM_SOURCE,
  }),
  'dm.thinp_autoextend_percent': dm({
    key: 'dm.thinp_autoextend_percent', type: 'percent', bits: 32, min: 0, max: 100, since: '17.06.0', modes: ['dlvm'],
    defaults: [{ text: '20' }],
    errors: ['could not parse `dm.thinp_autoextend_percent=<v>`: <err>', 'dm.thinp_autoextend_percent must be greater than 0 and less than 100'],
    meaning: 'How much (percent) LVM grows the direct-lvm pool each time (`thin_pool_autoextend_percent`).',
    valueSnippet: '${1:20}', source: LVM_SOURCE,
  }),
  'dm.libdm_log_level': dm({
    key: 'dm.libdm_log_level', type: 'int', bits: 32, min: 2, max: 7, since: '17.07.0', modes: ALL,
    defaults: [{ text: 'only level 2 (fatal) is forwarded' }],
    errors: ['could not parse `dm.libdm_log_level=<v>`: <err>', 'dm.libdm_log_level must be in range [2,7]'],
    meaning: 'Most verbose libdevmapper log level forwarded to the daemon log: 2 fatal, 3 error, 4 warn, 5 notice, 6 info, 7 debug.',
    valueSnippet: '${1|3,4,5,6,7,2|}', source: 'devicemapper.md §1.3 (dm.libdm_log_level)',
  }),
} as const satisfies Record<string, StorageOptionDoc>;

export type DmKey = keyof typeof DM_OPTIONS;
export const DM_KEYS = Object.keys(DM_OPTIONS) as DmKey[];

export function isDmKey(key: string): key is DmKey {
  return Object.prototype.hasOwnProperty.call(DM_OPTIONS, key);
}

/** The options that belong to direct-lvm's `validateLVMConfig` (devicemapper.md §1.6). */
export const THINP_KEYS = ['dm.thinp_percent', 'dm.thinp_metapercent', 'dm.thinp_autoextend_threshold', 'dm.thinp_autoextend_percent'] as const satisfies readonly DmKey[];

/**
 * overlay2's options. Not covered by devicemapper.md (which only says other
 * drivers' options make devicemapper fail, §5 #1); taken from moby's
 * `daemon/graphdriver/overlay2` `parseOptions` and the dockerd reference
 * ("Overlay2 options"). Unknown keys fail with `overlay2: unknown option <key>`.
 */
export const OVERLAY2_OPTIONS = {
  'overlay2.size': {
    key: 'overlay2.size', driver: 'overlay2', type: 'size', since: '17.06.0', modes: [],
    defaults: [{ text: 'unset (no per-container quota)' }],
    errors: ["invalid size: '<v>'", "invalid suffix: '<sfx>'"],
    meaning: 'Default maximum size of a container\'s writable layer; needs xfs with `pquota` under data-root.',
    valueSnippet: '${1:20G}', docs: DOCKERD_REFERENCE_URL, source: 'moby daemon/graphdriver/overlay2 parseOptions (not in devicemapper.md; `since` unverified, not enforced)',
  },
  'overlay2.override_kernel_check': {
    key: 'overlay2.override_kernel_check', driver: 'overlay2', type: 'bool', since: '1.12.0', modes: [],
    defaults: [{ text: 'false' }],
    errors: [PARSE_BOOL],
    meaning: 'Skip overlay2\'s kernel version check (kernels < 4.0 with backported multiple-lowerdir support, e.g. RHEL/CentOS 7).',
    notes: 'Newer engines no longer check the kernel version, so the option has no effect there (exact version unverified).',
    valueSnippet: '${1|true,false|}', docs: DOCKERD_REFERENCE_URL, source: 'moby daemon/graphdriver/overlay2 parseOptions; devicemapper.md §2.3 (17.12 backport detection); `since` = overlay2\'s first release, not enforced',
  },
} as const satisfies Record<string, StorageOptionDoc>;

export type Overlay2Key = keyof typeof OVERLAY2_OPTIONS;
export const OVERLAY2_KEYS = Object.keys(OVERLAY2_OPTIONS) as Overlay2Key[];

export function isOverlay2Key(key: string): key is Overlay2Key {
  return Object.prototype.hasOwnProperty.call(OVERLAY2_OPTIONS, key);
}

/** Option prefixes of graph drivers, to tell "another driver's option" from a typo. */
export const DRIVER_OPTION_PREFIXES: readonly { prefix: string; driver: string }[] = [
  { prefix: 'dm.', driver: 'devicemapper' },
  { prefix: 'overlay2.', driver: 'overlay2' },
  { prefix: 'zfs.', driver: 'zfs' },
  { prefix: 'btrfs.', driver: 'btrfs' },
  { prefix: 'overlay.', driver: 'overlay' },
  { prefix: 'fuse-overlayfs.', driver: 'fuse-overlayfs' },
];

export function driverOfOptionKey(lowerKey: string): string | undefined {
  return DRIVER_OPTION_PREFIXES.find((p) => lowerKey.startsWith(p.prefix))?.driver;
}
