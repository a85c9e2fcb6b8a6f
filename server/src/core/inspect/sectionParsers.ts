/**
 * Parsers for the collector's own sections (collector.ts). Formats we print
 * ourselves are split on fixed separators; what tools print (`dmsetup`,
 * `losetup`, `docker info`) goes through the transcript parsers elsewhere.
 * Every function accepts any text and never throws.
 */
import { splitLines } from '../text/lines.js';

export interface BlockDevice {
  /** Kernel name: `loop0`, `dm-3`, `sda`. */
  kname: string;
  devno: string;
  discardMaxBytes?: number;
  sizeBytes?: number;
  /** Device-mapper name, for dm-N. */
  dmName?: string;
}

/** `block-devices`: kname TAB maj:min TAB discard_max_bytes TAB size (512-byte sectors) TAB dm name. */
export function parseBlockDevices(text: string): BlockDevice[] {
  const out: BlockDevice[] = [];
  for (const line of splitLines(text)) {
    const f = line.split('\t');
    if (f.length < 2 || !/^[\w.-]{1,64}$/.test(f[0]!) || !/^\d{1,10}:\d{1,10}$/.test(f[1]!)) continue;
    const discard = safeInt(f[2]);
    const sectors = safeInt(f[3]);
    out.push({
      kname: f[0]!,
      devno: f[1]!,
      ...(discard !== undefined ? { discardMaxBytes: discard } : {}),
      ...(sectors !== undefined ? { sizeBytes: sectors * 512 } : {}),
      ...(f[4] ? { dmName: f.slice(4).join('\t') } : {}),
    });
  }
  return out;
}

export interface LoopFile {
  /** `loop0`. */
  loop: string;
  path: string;
  apparentBytes?: number;
  allocatedBytes?: number;
  /** The backing file was deleted while attached (`(deleted)` in sysfs). */
  deleted: boolean;
}

/** `loop-files`: `loop <kname> <path>` then `<path>|<size>|<blocks>|<unit>` (stat -c '%n|%s|%b|%B'). */
export function parseLoopFiles(text: string): LoopFile[] {
  const out: LoopFile[] = [];
  let current: LoopFile | undefined;
  for (const line of splitLines(text)) {
    const head = /^loop ([\w.-]{1,64}) (.+)$/.exec(line);
    if (head) {
      const raw = head[2]!;
      const deleted = raw.endsWith(' (deleted)');
      current = { loop: head[1]!, path: deleted ? raw.slice(0, -' (deleted)'.length) : raw, deleted };
      out.push(current);
      continue;
    }
    if (!current) continue;
    // The path may itself contain '|': the three numbers are the last fields.
    const m = /\|(\d{1,20})\|(\d{1,20})\|(\d{1,10})$/.exec(line);
    if (m && current.apparentBytes === undefined) {
      const size = safeInt(m[1]);
      const blocks = safeInt(m[2]);
      const unit = safeInt(m[3]);
      if (size !== undefined) current.apparentBytes = size;
      if (blocks !== undefined && unit !== undefined) current.allocatedBytes = blocks * unit;
    }
  }
  return out;
}

export interface FilesystemInfo {
  dir: string;
  fsType?: string;
  mountPoint?: string;
  source?: string;
  /** From `df -P -k`: total, used and available bytes. */
  totalBytes?: number;
  usedBytes?: number;
  freeBytes?: number;
}

/** `filesystems`: `dir <path>`, `mnt <fstype> <target> <source>` (findmnt -r), `df <POSIX df line>`. */
export function parseFilesystems(text: string): FilesystemInfo[] {
  const out: FilesystemInfo[] = [];
  let current: FilesystemInfo | undefined;
  for (const line of splitLines(text)) {
    if (line.startsWith('dir ')) {
      current = { dir: line.slice(4) };
      out.push(current);
    } else if (current && line.startsWith('mnt ')) {
      const [fsType, target, source] = line.slice(4).split(' ');
      if (fsType) current.fsType = fsType;
      if (target) current.mountPoint = unescapeFindmnt(target);
      if (source) current.source = unescapeFindmnt(source);
    } else if (current && line.startsWith('df ')) {
      // Filesystem 1024-blocks Used Available Capacity Mounted-on; the source may hold spaces.
      const m = /\s(\d{1,20})\s+(\d{1,20})\s+(\d{1,20})\s+\d{1,3}%\s/.exec(line);
      if (m) {
        current.totalBytes = Number(m[1]) * 1024;
        current.usedBytes = Number(m[2]) * 1024;
        current.freeBytes = Number(m[3]) * 1024;
      }
    }
  }
  return out;
}

/** findmnt -r escapes blanks and backslashes as \xHH. */
function unescapeFindmnt(s: string): string {
  return s.replace(/\\x([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16)));
}

export interface MountEntry {
  source: string;
  target: string;
  fsType: string;
  options: string;
}

/** `/proc/mounts` lines (octal escapes for blanks: `\040`). */
export function parseMounts(text: string): MountEntry[] {
  const out: MountEntry[] = [];
  for (const line of splitLines(text)) {
    const f = line.split(' ');
    if (f.length < 4) continue;
    out.push({ source: unescapeOctal(f[0]!), target: unescapeOctal(f[1]!), fsType: f[2]!, options: f[3]! });
  }
  return out;
}

function unescapeOctal(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(Number.parseInt(o, 8)));
}

export interface DockerDriver {
  driver?: string;
  /** DriverStatus pairs, in order. */
  status: [string, string][];
  rootDir?: string;
}

/** `docker-driver`: the driver, DriverStatus as JSON, the root dir (one per line). */
export function parseDockerDriver(text: string): DockerDriver {
  const lines = splitLines(text);
  const out: DockerDriver = { status: [] };
  const driver = lines[0]?.trim();
  if (driver && /^[\w.-]{1,64}$/.test(driver)) out.driver = driver;
  try {
    const parsed: unknown = JSON.parse(lines[1] ?? 'null');
    if (Array.isArray(parsed)) {
      for (const pair of parsed) {
        if (Array.isArray(pair) && typeof pair[0] === 'string' && typeof pair[1] === 'string') out.status.push([pair[0], pair[1]]);
      }
    }
  } catch {
    /* DriverStatus is optional: an old engine or a damaged line */
  }
  const root = lines[2]?.trim();
  if (root && root.startsWith('/')) out.rootDir = root;
  return out;
}

export interface ThinTools {
  /** `thin_check -V` output, e.g. `0.9.0` or `1.0.9`. */
  version?: string;
  /** Distribution package version (dpkg/rpm). */
  packageVersion?: string;
}

export function parseThinTools(text: string): ThinTools {
  const out: ThinTools = {};
  for (const line of splitLines(text)) {
    const check = /^thin_check .*?(\d+\.\d+(?:\.\d+)?)/.exec(line);
    if (check && !out.version) out.version = check[1]!;
    const pkg = /^(?:dpkg|rpm) (\S+)/.exec(line);
    if (pkg && !out.packageVersion) out.packageVersion = pkg[1]!;
  }
  return out;
}

/** `dockerd-cmdline`: one argument per line. */
export function parseArgv(text: string): string[] {
  return splitLines(text).filter((l) => l.length > 0);
}

function safeInt(s: string | undefined): number | undefined {
  if (s === undefined || !/^\d{1,20}$/.test(s.trim())) return undefined;
  const n = Number(s.trim());
  return Number.isSafeInteger(n) ? n : undefined;
}
