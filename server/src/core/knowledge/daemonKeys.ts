/**
 * Top-level daemon.json keys dockerd accepts, per engine era, and the storage
 * driver names.
 *
 * How dockerd decides (devicemapper.md §2.1–2.2, S10, S18; code-derived from
 * `findConfigurationConflicts`/`configValuesSet`): a key is accepted when it is a
 * dockerd flag name or the name of a list/map option (`storage-opts` for
 * `--storage-opt`); anything else fails with `the following directives don't
 * match any configuration option: <k1>, <k2>`. Object values are flattened first,
 * except for the keys in FLAT_OPTIONS, so an object's inner keys are checked as
 * top-level keys.
 *
 * The table is the union of the keys of every engine from 1.10 (the first with
 * daemon.json) to 29. Only the version history the reference documents is
 * encoded (`graph`, `data-root`); other keys count as known in every era, so a
 * real configuration never gets a false "unknown directive".
 */
import { MILESTONES, type EngineRange, type EngineVersion, inRange } from './engineVersions.js';

export type JsonKind = 'string' | 'boolean' | 'number' | 'array' | 'object';

export interface DaemonKeyDoc {
  /** Engines that know the key (absent = every engine with daemon.json). */
  range?: EngineRange;
  /** The JSON type dockerd decodes it into (only given where we check it). */
  kind?: JsonKind;
  description?: string;
  source?: string;
}

/** devicemapper.md §2.1 documents these. */
const STORAGE_KEYS: Record<string, DaemonKeyDoc> = {
  'storage-driver': { kind: 'string', description: 'The storage (graph) driver, e.g. `overlay2`; `devicemapper` until Engine 24.0.', source: 'devicemapper.md §2.1' },
  'storage-opts': { kind: 'array', description: 'Storage driver options, an array of `"key=value"` strings (`--storage-opt`).', source: 'devicemapper.md §2.1' },
  'data-root': { kind: 'string', range: { from: MILESTONES.dataRoot }, description: 'Root of Docker\'s persistent state (default `/var/lib/docker`); added in 17.05.', source: 'devicemapper.md §2.1' },
  graph: { kind: 'string', range: { until: MILESTONES.graphRemoved }, description: 'Old name of `data-root`: deprecated in 17.05, an error in 23.0, unknown from 24.0.', source: 'devicemapper.md §2.1' },
  'exec-root': { kind: 'string', description: 'Root of the daemon\'s execution state (default `/var/run/docker`).', source: 'devicemapper.md §2.1' },
  features: { kind: 'object', description: 'Feature switches, e.g. `containerd-snapshotter`.', source: 'devicemapper.md §2.1' },
};

/**
 * Other daemon.json keys and dockerd flag names (docker/cli docs/reference/dockerd.md
 * "Daemon configuration file" of several releases, and dockerd's flags). Flag
 * names are accepted as keys too (see FLAG_NAME_ALIASES for the ones that are
 * then silently ignored).
 */
const OTHER_KEYS = [
  'allow-direct-routing', 'allow-nondistributable-artifacts', 'api-cors-header', 'authorization-plugins', 'bip', 'bip6', 'bridge', 'bridge-accept-fwmark', 'builder',
  'cdi-spec-dirs', 'cgroup-parent', 'cluster-advertise', 'cluster-store', 'cluster-store-opts', 'config-file', 'containerd', 'containerd-namespace',
  'containerd-plugins-namespace', 'cpu-rt-period', 'cpu-rt-runtime', 'cri-containerd', 'debug', 'default-address-pools', 'default-cgroupns-mode',
  'default-gateway', 'default-gateway-v6', 'default-ipc-mode', 'default-network-opts', 'default-runtime', 'default-shm-size', 'default-ulimits',
  'disable-legacy-registry', 'dns', 'dns-opts', 'dns-search', 'exec-opts', 'experimental', 'firewall-backend', 'fixed-cidr', 'fixed-cidr-v6', 'group',
  'host-gateway-ip', 'host-gateway-ips', 'hosts', 'http-proxy', 'https-proxy', 'icc', 'init', 'init-path', 'insecure-registries', 'ip', 'ip-forward',
  'ip-forward-no-drop', 'ip-masq', 'ip6tables', 'iptables', 'ipv6', 'labels', 'live-restore', 'log-driver', 'log-format', 'log-level', 'log-opts',
  'max-concurrent-downloads', 'max-concurrent-uploads', 'max-download-attempts', 'metrics-addr', 'mtu', 'network-control-plane-mtu', 'no-new-privileges',
  'no-proxy', 'node-generic-resources', 'oom-score-adjust', 'pidfile', 'proxies', 'raw-logs', 'registry-mirrors', 'rootless', 'runtimes',
  'seccomp-profile', 'selinux-enabled', 'shutdown-timeout', 'swarm-default-advertise-addr', 'tls', 'tlscacert', 'tlscert', 'tlskey', 'tlsverify',
  'userland-proxy', 'userland-proxy-path', 'userns-remap', 'validate', 'help', 'version',
  // Windows
  'register-service', 'unregister-service', 'run-service', 'service-name', 'service-dns',
] as const;

/**
 * Flag names whose daemon.json key is different. dockerd accepts the flag name as
 * a key (it is a known flag) but decodes the file into the config struct by the
 * JSON key, so the value is silently ignored (code-derived from dockerd's
 * `findConfigurationConflicts` and the `json:` tags of its Config; not in the reference).
 */
export const FLAG_NAME_ALIASES: Readonly<Record<string, string>> = {
  'storage-opt': 'storage-opts',
  label: 'labels',
  'dns-opt': 'dns-opts',
  'exec-opt': 'exec-opts',
  'log-opt': 'log-opts',
  host: 'hosts',
  'insecure-registry': 'insecure-registries',
  'registry-mirror': 'registry-mirrors',
  'authorization-plugin': 'authorization-plugins',
  'default-ulimit': 'default-ulimits',
  'add-runtime': 'runtimes',
  'node-generic-resource': 'node-generic-resources',
  'default-address-pool': 'default-address-pools',
  'cluster-store-opt': 'cluster-store-opts',
  'default-network-opt': 'default-network-opts',
  'cdi-spec-dir': 'cdi-spec-dirs',
};

export const DAEMON_KEYS: Readonly<Record<string, DaemonKeyDoc>> = {
  ...Object.fromEntries(OTHER_KEYS.map((k) => [k, {}])),
  ...Object.fromEntries(Object.keys(FLAG_NAME_ALIASES).map((k) => [k, {}])),
  ...STORAGE_KEYS,
};

/**
 * Keys whose object value is kept as is; every other object is flattened into
 * top-level keys before the unknown-key check (devicemapper.md §2.1, v24
 * `flatOptions`). Older engines had fewer entries; the union is used so that no
 * real configuration is flagged.
 */
export const FLAT_OPTIONS: ReadonlySet<string> = new Set(['cluster-store-opts', 'default-network-opts', 'log-opts', 'runtimes', 'default-ulimits', 'features', 'builder']);

export function isKnownDaemonKey(key: string): boolean {
  return Object.prototype.hasOwnProperty.call(DAEMON_KEYS, key);
}

/** Is the key accepted by this engine? With no engine: by any engine. */
export function daemonKeyKnownAt(key: string, engine: EngineVersion | undefined): boolean {
  if (!isKnownDaemonKey(key)) return false;
  const r = DAEMON_KEYS[key]!.range;
  return !engine || !r || inRange(engine, r);
}

export interface GraphEra {
  range: EngineRange;
  behaviour: 'accepted' | 'deprecated' | 'error' | 'unknown';
  /** What dockerd prints. */
  message?: string;
}

/** `graph` across versions (devicemapper.md §2.1). */
export const GRAPH_HISTORY: readonly GraphEra[] = [
  { range: { until: MILESTONES.dataRoot }, behaviour: 'accepted' },
  { range: { from: MILESTONES.dataRoot, until: MILESTONES.graphError }, behaviour: 'deprecated', message: 'The "graph" config file option is deprecated. Please use "data-root" instead.' },
  { range: { from: MILESTONES.graphError, until: MILESTONES.graphRemoved }, behaviour: 'error', message: 'the "graph" config file option is deprecated; use "data-root" instead' },
  { range: { from: MILESTONES.graphRemoved }, behaviour: 'unknown', message: "the following directives don't match any configuration option: graph" },
];

/** 17.05–22.06, when both keys are given (devicemapper.md §2.1). */
export const GRAPH_AND_DATA_ROOT_ERROR = 'cannot specify both "graph" and "data-root" config file options';

export interface StorageDriverDoc {
  name: string;
  description: string;
  /** Engines that register the driver (absent = every engine we know of). */
  range?: EngineRange;
  source: string;
}

/**
 * Storage driver names: the automatic-selection priority lists of 19.03–24.0
 * (devicemapper.md §2.3) plus Windows' driver and Engine 29's containerd
 * snapshotters (§2.4 mentions that the name is then a snapshotter name).
 */
export const STORAGE_DRIVERS: readonly StorageDriverDoc[] = [
  { name: 'overlay2', description: 'OverlayFS; the default and recommended driver on Linux.', source: 'devicemapper.md §2.3, §2.6' },
  { name: 'fuse-overlayfs', description: 'OverlayFS in user space (rootless Docker on older kernels).', source: 'devicemapper.md §2.3' },
  { name: 'btrfs', description: 'Btrfs subvolumes and snapshots; needs data-root on btrfs.', source: 'devicemapper.md §2.3' },
  { name: 'zfs', description: 'ZFS datasets and clones; needs data-root on ZFS.', source: 'devicemapper.md §2.3' },
  { name: 'vfs', description: 'Plain copies, no copy-on-write; for testing.', source: 'devicemapper.md §2.3' },
  { name: 'devicemapper', description: 'Device-mapper thin provisioning: deprecated in 18.09, removed in 25.0.', range: { until: MILESTONES.dmRemoved }, source: 'devicemapper.md §2.3' },
  { name: 'aufs', description: 'AUFS (old Ubuntu kernels); deprecated and later removed.', source: 'devicemapper.md §2.3 (priority list); removal version not in the reference' },
  { name: 'overlay', description: 'The first OverlayFS driver; deprecated in favour of overlay2 and later removed.', source: 'devicemapper.md §2.3 (priority list); removal version not in the reference' },
  { name: 'windowsfilter', description: 'Windows containers.', source: 'dockerd reference (Windows)' },
  { name: 'overlayfs', description: 'containerd snapshotter (containerd image store).', source: 'devicemapper.md §2.4 (Engine 29 snapshotter names)' },
  { name: 'native', description: 'containerd snapshotter (containerd image store).', source: 'devicemapper.md §2.4 (Engine 29 snapshotter names)' },
];

/** Misspellings of `devicemapper` seen in configs. */
export const DEVICEMAPPER_ALIASES: ReadonlySet<string> = new Set(['devmapper', 'device-mapper', 'device_mapper', 'dm', 'devicemaper', 'devicemap', 'dm-thin', 'thinpool']);
