/**
 * Units of the dm-thin world (devicemapper.md §3.6, §4): sectors are 512 bytes,
 * metadata blocks 4096 bytes, data blocks a per-pool multiple of 64 KiB; Docker
 * prints decimal HumanSize ("65.54kB"), coreutils `ls -h`/`du -h` print binary
 * sizes with one-letter suffixes ("1.6G").
 */
export const SECTOR_BYTES = 512;
export const METADATA_BLOCK_BYTES = 4096;

const BINARY_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];

/** 1.59 GiB — three significant digits, binary units, like the kernel docs speak. */
export function formatBinary(bytes: number): string {
  if (!Number.isFinite(bytes)) return 'an unrepresentable size';
  let value = Math.abs(bytes);
  let unit = 0;
  while (value >= 1024 && unit < BINARY_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const sign = bytes < 0 ? '-' : '';
  if (unit === 0) return `${sign}${value} B`;
  // 1023.99 KiB rounds to "1024"; say "1 MiB" instead.
  if (Number(value.toFixed(fractionDigits(value))) >= 1024 && unit < BINARY_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${sign}${trimZeros(value.toFixed(fractionDigits(value)))} ${BINARY_UNITS[unit]}`;
}

/** Three significant digits: 1.59, 15.9, 159. */
function fractionDigits(v: number): number {
  return v >= 100 ? 0 : v >= 10 ? 1 : 2;
}

/** 2.6GB — Docker's HumanSize: decimal units, four significant digits (devicemapper.md §1.2). */
export function formatDecimal(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB'];
  let v = bytes;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${Number(v.toPrecision(4))}${units[i]}`;
}

/** 26,115 — thousands separators, locale-independent. */
export function formatCount(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isSafeInteger(value) && value >= 0) {
    // The common case, a whole count: group the digits without a regex.
    const digits = String(value);
    const n = digits.length;
    if (n <= 3) return digits;
    let out = digits.slice(0, ((n - 1) % 3) + 1);
    for (let i = out.length; i < n; i += 3) out += ',' + digits.slice(i, i + 3);
    return out;
  }
  const [int, frac] = String(value).split('.');
  const grouped = int!.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return frac ? `${grouped}.${frac}` : grouped;
}

/** 0.8 % — one decimal below 10 %, none above; "<0.1 %" for tiny non-zero shares. */
export function formatPercent(ratio: number): string {
  if (!Number.isFinite(ratio)) return 'n/a';
  const pct = ratio * 100;
  if (pct > 0 && pct < 0.1) return '<0.1 %';
  return `${trimZeros(pct.toFixed(pct >= 10 ? 0 : 1))} %`;
}

/** "1.50" → "1.5", "2.00" → "2": trailing zeros of a decimal, then a bare point. */
function trimZeros(text: string): string {
  if (text.indexOf('.') < 0) return text;
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 48) end--;
  if (end === text.length) return text;
  if (text.charCodeAt(end - 1) === 46) end--;
  return text.slice(0, end);
}

const DECIMAL_MULTIPLIER: Record<string, number> = { b: 1, kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12, pb: 1e15, eb: 1e18 };

/** Docker's HumanSize output ("10.74GB", "65.54 kB", "0B") → bytes, or undefined. */
export function parseDockerSize(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?) ?([kKmMgGtTpPeE]?[bB])$/.exec(text.trim());
  if (!m) return undefined;
  const mult = DECIMAL_MULTIPLIER[m[2]!.toLowerCase()];
  return mult === undefined ? undefined : Number(m[1]) * mult;
}

const BINARY_LETTER: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5, e: 1024 ** 6 };

/** coreutils human sizes ("1.6G", "200G", "4.0K", "0") → bytes, or undefined. */
export function parseCoreutilsSize(text: string): number | undefined {
  const m = /^(\d+(?:[.,]\d+)?)([KMGTPE]?)(?:i?B)?$/i.exec(text.trim());
  if (!m) return undefined;
  return Number(m[1]!.replace(',', '.')) * BINARY_LETTER[m[2]!.toLowerCase()]!;
}

/**
 * Parses an unsigned decimal integer. Values beyond 2^53 lose precision as JS
 * numbers; they are still returned, with `exact: false`, so callers can say so.
 */
export function parseUnsigned(text: string): { value: number; exact: boolean } | undefined {
  if (!/^\d{1,40}$/.test(text)) return undefined;
  const value = Number(text);
  return { value, exact: Number.isSafeInteger(value) };
}

/** Well-known block-device majors (Linux Documentation/admin-guide/devices.txt). */
const KNOWN_MAJORS: Record<number, string> = {
  1: 'ram',
  3: 'hd (IDE)',
  7: 'loop',
  8: 'sd (SCSI/SATA disk)',
  9: 'md (software RAID)',
  11: 'sr (CD-ROM)',
  65: 'sd (SCSI/SATA disk)',
  202: 'xvd (Xen virtual disk)',
  252: 'dynamic (often device-mapper or zram)',
  253: 'dynamic (usually device-mapper)',
  254: 'dynamic (often device-mapper or virtio)',
  259: 'blkext (NVMe, partitions beyond 15)',
};

/** "7:1" → "loop1"; "8:16" → "sd, minor 16"; "253:0" → "dm-0 (device-mapper, if major 253 is dm here)". */
export function describeDevNumber(major: number, minor: number): string {
  if (major === 7) return `loop${minor} (/dev/loop${minor})`;
  if (major === 8) {
    const disk = String.fromCharCode(97 + Math.floor(minor / 16));
    const part = minor % 16;
    return `/dev/sd${disk}${part === 0 ? '' : part} (SCSI/SATA disk)`;
  }
  if (major === 253 || major === 252 || major === 254) return `dm-${minor} (/dev/dm-${minor}) if major ${major} is device-mapper on this host (it is a dynamic major)`;
  const name = KNOWN_MAJORS[major];
  return name ? `${name}, minor ${minor}` : `block device ${major}:${minor}`;
}
