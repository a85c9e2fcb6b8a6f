/**
 * A host report: what one collector run says about a host's thin pools, its
 * engine and its configuration, as typed data (issue 7 scope 3). Built from
 * the sections by the same parsers the language server uses.
 */
import { parseDmTargetLine } from '../parsers/dmTargetLine.js';
import { parseDmLs } from '../parsers/dmsetupLs.js';
import type { DiscardMode, NoSpacePolicy, ThinPoolStatus, ThinPoolTable, ThinStatus, ThinTable } from '../transcript/lineTypes.js';
import { splitLines } from '../text/lines.js';
import type { Severity } from '../knowledge/findingCodes.js';
import { parseEngineVersion, formatVersion, atLeast, MILESTONES, type EngineVersion } from '../knowledge/engineVersions.js';
import type { CollectedOutput } from './sections.js';
import type { CollectorSection, PrivilegeMode } from './collector.js';
import {
  parseBlockDevices,
  parseDockerDriver,
  parseFilesystems,
  parseLoopFiles,
  parseMounts,
  parseThinTools,
  parseArgv,
  type BlockDevice,
  type FilesystemInfo,
  type LoopFile,
} from './sectionParsers.js';

export type PoolModeReport = 'rw' | 'ro' | 'out_of_data_space' | 'fail' | 'error' | 'unknown';
export type PunchHole = 'yes' | 'no' | 'unknown';
/** Where freed space can go: back to the host's disk, into the pool only, nowhere. */
export type ReclaimVerdict = 'host' | 'pool-only' | 'none' | 'unknown';

export interface BackingReport {
  kind: 'loop' | 'block';
  /** The loop's backing file, or the block device (`/dev/sdb`, `/dev/mapper/vg-pool_tdata`). */
  path?: string;
  /** Kernel name of the data device: `loop0`, `dm-2`, `sdb`. */
  device?: string;
  devno?: string;
  apparentBytes?: number;
  allocatedBytes?: number;
  /** The filesystem holding the loop file. */
  filesystem?: string;
  mountPoint?: string;
  /** Free bytes on that filesystem. */
  freeBytes?: number;
  punchHole: PunchHole;
  /** The data device's `discard_max_bytes` (0 = accepts no discards). */
  discardMaxBytes?: number;
  deleted?: boolean;
}

export interface ThinDeviceReport {
  name: string;
  deviceId?: number;
  sizeBytes?: number;
  /** Mapped sectors × 512 (`dmsetup status` of the thin target). */
  mappedBytes?: number;
  mountPoint?: string;
  fsType?: string;
  failed?: boolean;
}

export interface PoolReport {
  name: string;
  devno?: string;
  mode: PoolModeReport;
  discard?: DiscardMode;
  noSpacePolicy?: NoSpacePolicy;
  needsCheck?: boolean;
  blockSizeBytes?: number;
  /** Data and metadata usage in blocks (data: pool blocks; metadata: 4 KiB blocks). */
  data?: { used: number; total: number };
  metadata?: { used: number; total: number };
  /** Data low water mark in blocks (table), metadata low water mark (status). */
  lowWaterMark?: number;
  metadataLowWaterMark?: number;
  transactionId?: number;
  features: string[];
  backing?: BackingReport;
  metadataBacking?: BackingReport;
  thinDevices: ThinDeviceReport[];
  /** The pool Docker's devicemapper driver uses on this host. */
  docker: boolean;
  reclaim: { verdict: ReclaimVerdict; why: string };
}

export interface HostFinding {
  code: string;
  severity: Severity;
  message: string;
  pool?: string;
  /** What to do about it, in words (daemon.json fixes carry edits in `daemonJson`). */
  remedy?: string;
  /** How many times a log message was seen. */
  count?: number;
  /** Where it comes from: a collector section, daemon.json or a log. */
  origin?: 'status' | 'daemon.json' | 'log' | 'host';
}

export interface EngineReport {
  version?: string;
  driver?: string;
  /** The devicemapper driver's standing in this engine. */
  driverStatus: 'supported' | 'deprecated' | 'removed' | 'unknown';
  rootDir?: string;
  driverStatusPairs: [string, string][];
  /** dockerd's command-line arguments, when it runs. */
  argv?: string[];
}

export interface SectionProblem {
  section: CollectorSection;
  rc: number;
  stderr: string;
}

export interface HostReport {
  host: string;
  reachable: boolean;
  /** Why the host could not be inspected (then pools is empty). */
  error?: string;
  errorKind?: string;
  privilege: PrivilegeMode;
  user?: string;
  hostname?: string;
  kernel?: string;
  engine: EngineReport;
  pools: PoolReport[];
  findings: HostFinding[];
  daemonJson?: { path: string; text: string };
  thinTools?: { version?: string; packageVersion?: string };
  libdevmapper?: string;
  /** Sections that failed (missing tool, refused permission, timeout). */
  problems: SectionProblem[];
  /** The collector's output was cut (timeout, size cap). */
  truncated: boolean;
}

/** A report for a host the transport could not reach or run. */
export function unreachableReport(host: string, errorKind: string, message: string, privilege: PrivilegeMode = 'direct'): HostReport {
  return {
    host,
    reachable: false,
    error: message,
    errorKind,
    privilege,
    engine: { driverStatus: 'unknown', driverStatusPairs: [] },
    pools: [],
    findings: [{ code: 'host-unreachable', severity: 'error', message, origin: 'host' }],
    problems: [],
    truncated: false,
  };
}

/** Builds the model part of the report; findings and verdicts are added by `judgeHost` (verdicts.ts). */
export function buildHostModel(host: string, collected: CollectedOutput, privilege: PrivilegeMode): HostReport {
  const s = collected.sections;
  const ok = (name: CollectorSection): string | undefined => (s[name] && s[name].rc === 0 ? s[name].stdout : undefined);
  const report: HostReport = {
    host,
    reachable: true,
    privilege,
    engine: { driverStatus: 'unknown', driverStatusPairs: [] },
    pools: [],
    findings: [],
    problems: [],
    truncated: collected.truncated.length > 0,
  };
  const first = (name: CollectorSection) => ok(name)?.trim().split('\n')[0]?.trim() || undefined;
  const kernel = first('kernel');
  if (kernel) report.kernel = kernel;
  const user = first('whoami');
  if (user) report.user = user;
  const hostname = first('hostname');
  if (hostname) report.hostname = hostname;
  const lib = /Library version:\s+(\S+)/.exec(ok('dmsetup-version') ?? '');
  if (lib) report.libdevmapper = lib[1]!;

  for (const section of Object.values(s)) {
    if (section && section.rc !== 0) report.problems.push({ section: section.name, rc: section.rc, stderr: section.stderr.slice(0, 4096) });
  }

  report.engine = engineOf(ok('docker-version'), ok('docker-driver'), ok('dockerd-cmdline'));
  const daemonJson = ok('daemon-json');
  if (daemonJson !== undefined) report.daemonJson = { path: '/etc/docker/daemon.json', text: daemonJson };
  const tools = parseThinTools(ok('thin-tools') ?? '');
  if (tools.version || tools.packageVersion) report.thinTools = tools;

  const devices = parseBlockDevices(ok('block-devices') ?? '');
  const loops = parseLoopFiles(ok('loop-files') ?? '');
  const filesystems = parseFilesystems(ok('filesystems') ?? '');
  const mounts = parseMounts(ok('mounts') ?? '');
  report.pools = poolsOf(ok('dmsetup-status') ?? '', ok('dmsetup-table') ?? '', ok('dmsetup-ls') ?? '', devices, loops, filesystems, mounts, report.engine);
  return report;
}

function engineOf(versionText: string | undefined, driverText: string | undefined, argvText: string | undefined): EngineReport {
  const version = versionText?.trim().split('\n')[0]?.trim();
  const d = parseDockerDriver(driverText ?? '');
  const out: EngineReport = { driverStatus: 'unknown', driverStatusPairs: d.status };
  if (version && /^[\w.+~-]{1,64}$/.test(version)) out.version = version;
  if (d.driver) out.driver = d.driver;
  if (d.rootDir) out.rootDir = d.rootDir;
  if (argvText) out.argv = parseArgv(argvText);
  const v = parseEngineVersion(out.version);
  if (v) out.driverStatus = driverStanding(v);
  return out;
}

/** devicemapper.md §2.3: deprecated in 18.09, removed in 25.0. */
export function driverStanding(v: EngineVersion): EngineReport['driverStatus'] {
  if (atLeast(v, MILESTONES.dmRemoved)) return 'removed';
  if (atLeast(v, MILESTONES.dmDeprecated)) return 'deprecated';
  return 'supported';
}

export function engineLabel(e: EngineReport): string {
  const v = parseEngineVersion(e.version);
  return v ? `Docker Engine ${formatVersion(v)} (${e.version})` : 'Docker Engine (version unknown)';
}

interface TargetRow<T> {
  name: string;
  length: number;
  params: T;
}

function rows(text: string, source: 'status' | 'table') {
  const pools = new Map<string, TargetRow<ThinPoolStatus | ThinPoolTable>>();
  const thins = new Map<string, TargetRow<ThinStatus | ThinTable>>();
  for (const line of splitLines(text)) {
    if (line.length > 16_384) continue;
    const parsed = parseDmTargetLine(line, { source });
    const name = parsed?.device?.name;
    if (!parsed || !name) continue;
    const p = parsed.params;
    if (p.form === 'thin-pool-status' || p.form === 'thin-pool-table') pools.set(name, { name, length: parsed.length.value, params: p });
    else if (p.form === 'thin-status' || p.form === 'thin-table') thins.set(name, { name, length: parsed.length.value, params: p });
  }
  return { pools, thins };
}

function poolsOf(
  statusText: string,
  tableText: string,
  lsText: string,
  devices: BlockDevice[],
  loops: LoopFile[],
  filesystems: FilesystemInfo[],
  mounts: ReturnType<typeof parseMounts>,
  engine: EngineReport,
): PoolReport[] {
  const status = rows(statusText, 'status');
  const table = rows(tableText, 'table');
  const byDmName = new Map(devices.filter((d) => d.dmName).map((d) => [d.dmName!, d]));
  const byDevno = new Map(devices.map((d) => [d.devno, d]));
  // dmsetup prints names unmangled, while the kernel, sysfs and /dev/mapper hold them as created:
  // mangled (`a;b` → `a\x3bb`) unless made with --manglename none. `dmsetup ls` ties each printed
  // name to its maj:min, so a name full of shell characters still finds its device and mounts.
  const lsDevno = new Map<string, string>();
  for (const line of splitLines(lsText)) {
    const ls = parseDmLs(line, false);
    if (ls?.devno) lsDevno.set(ls.name, `${ls.devno.major}:${ls.devno.minor}`);
  }
  const deviceOf = (name: string): BlockDevice | undefined => byDmName.get(name) ?? byDevno.get(lsDevno.get(name) ?? '');
  const dockerPool = engine.driverStatusPairs.find(([k]) => k === 'Pool Name')?.[1];
  const names = [...new Set([...status.pools.keys(), ...table.pools.keys()])].sort();
  return names.map((name) => {
    const st = status.pools.get(name)?.params as ThinPoolStatus | undefined;
    const tb = table.pools.get(name)?.params as ThinPoolTable | undefined;
    const dev = deviceOf(name);
    const pool: PoolReport = {
      name,
      mode: modeOf(st),
      features: tb?.features.map((f) => f.value) ?? [],
      thinDevices: [],
      docker: name === dockerPool,
      reclaim: { verdict: 'unknown', why: '' },
    };
    if (dev) pool.devno = dev.devno;
    if (st && !st.special) {
      if (st.discard) pool.discard = st.discard.value;
      if (st.noSpace) pool.noSpacePolicy = st.noSpace.value;
      if (st.needsCheck) pool.needsCheck = st.needsCheck.value;
      if (st.dataUsed && st.dataTotal) pool.data = { used: st.dataUsed.value, total: st.dataTotal.value };
      if (st.metaUsed && st.metaTotal) pool.metadata = { used: st.metaUsed.value, total: st.metaTotal.value };
      if (st.metaLowWater) pool.metadataLowWaterMark = st.metaLowWater.value;
      if (st.transaction) pool.transactionId = st.transaction.value;
    }
    if (!pool.noSpacePolicy && tb) pool.noSpacePolicy = pool.features.includes('error_if_no_space') ? 'error_if_no_space' : 'queue_if_no_space';
    if (tb?.blockSectors) pool.blockSizeBytes = tb.blockSectors.value * 512;
    else if (pool.data && status.pools.get(name)!.length % pool.data.total === 0) pool.blockSizeBytes = (status.pools.get(name)!.length / pool.data.total) * 512;
    if (tb?.lowWater) pool.lowWaterMark = tb.lowWater.value;
    if (tb) {
      const data = backingOf(tb.dataDev.text, byDevno, byDmName, loops, filesystems);
      if (data) pool.backing = data;
      const meta = backingOf(tb.metaDev.text, byDevno, byDmName, loops, filesystems);
      if (meta) pool.metadataBacking = meta;
    }
    // Thin devices whose table names this pool (by maj:min, or by /dev/mapper path).
    for (const [thinName, row] of table.thins) {
      const t = row.params as ThinTable;
      const poolRef = t.poolDev.text;
      if (poolRef !== pool.devno && poolRef !== `/dev/mapper/${name}` && poolRef !== name) continue;
      const ts = status.thins.get(thinName)?.params as ThinStatus | undefined;
      const thinDev = deviceOf(thinName);
      const mount = mounts.find((m) => m.source === `/dev/mapper/${thinName}` || (thinDev && (m.source === `/dev/${thinDev.kname}` || (thinDev.dmName !== undefined && m.source === `/dev/mapper/${thinDev.dmName}`))));
      const thin: ThinDeviceReport = { name: thinName, sizeBytes: row.length * 512 };
      if (t.devId) thin.deviceId = t.devId.value;
      if (ts?.mapped) thin.mappedBytes = ts.mapped.value * 512;
      if (ts?.special === 'Fail' || ts?.special === 'Error') thin.failed = true;
      if (mount) {
        thin.mountPoint = mount.target;
        thin.fsType = mount.fsType;
      }
      pool.thinDevices.push(thin);
    }
    pool.thinDevices.sort((a, b) => a.name.localeCompare(b.name));
    return pool;
  });
}

function modeOf(st: ThinPoolStatus | undefined): PoolModeReport {
  if (!st) return 'unknown';
  if (st.special === 'Fail') return 'fail';
  if (st.special === 'Error') return 'error';
  return st.mode?.value ?? 'unknown';
}

/** Resolves a table's device reference (`7:0`, `/dev/loop0`, `253:3`) to what backs it. */
function backingOf(
  ref: string,
  byDevno: Map<string, BlockDevice>,
  byDmName: Map<string, BlockDevice>,
  loops: LoopFile[],
  filesystems: FilesystemInfo[],
): BackingReport | undefined {
  let dev = byDevno.get(ref);
  if (!dev && ref.startsWith('/dev/mapper/')) dev = byDmName.get(ref.slice('/dev/mapper/'.length));
  if (!dev && ref.startsWith('/dev/')) dev = [...byDevno.values()].find((d) => `/dev/${d.kname}` === ref);
  if (!dev) return undefined;
  const loop = loops.find((l) => l.loop === dev.kname);
  const base = {
    device: dev.kname,
    devno: dev.devno,
    ...(dev.discardMaxBytes !== undefined ? { discardMaxBytes: dev.discardMaxBytes } : {}),
  };
  if (!loop) {
    return { kind: 'block', path: dev.dmName ? `/dev/mapper/${dev.dmName}` : `/dev/${dev.kname}`, punchHole: 'unknown', ...base };
  }
  const dir = loop.path.slice(0, Math.max(1, loop.path.lastIndexOf('/')));
  const fs = filesystems.find((f) => f.dir === dir);
  const out: BackingReport = { kind: 'loop', path: loop.path, punchHole: 'unknown', ...base };
  if (loop.apparentBytes !== undefined) out.apparentBytes = loop.apparentBytes;
  if (loop.allocatedBytes !== undefined) out.allocatedBytes = loop.allocatedBytes;
  if (loop.deleted) out.deleted = true;
  if (fs?.fsType) out.filesystem = fs.fsType;
  if (fs?.mountPoint) out.mountPoint = fs.mountPoint;
  if (fs?.freeBytes !== undefined) out.freeBytes = fs.freeBytes;
  return out;
}
