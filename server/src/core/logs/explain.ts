/**
 * Words for a recognised line: the finding message (the entry's summary with
 * the line's values filled in) and, for hovers, what each value means with
 * computed figures (device numbers, percentages, growth factors, bytes).
 */
import type { PoolState } from '../knowledge/logCatalogue.js';
import { formatBinary, formatCount, METADATA_BLOCK_BYTES, SECTOR_BYTES } from '../text/units.js';
import type { LogMatch } from './match.js';

/** Docker's default dm.blocksize (devicemapper.md §1.3) and the block size of the observed pools (real-kernel-observations.md §5). */
const DEFAULT_BLOCK_BYTES = 64 * 1024;

/** 99.1 % — one decimal, unlike formatPercent, because "99 % of the minimum" hides how close it is. */
export function percentOf(part: number, whole: number): string {
  if (!Number.isFinite(part) || !Number.isFinite(whole) || whole === 0) return 'n/a';
  return `${(Math.round((part / whole) * 1000) / 10).toFixed(1)} %`;
}

function times(from: number, to: number): string {
  if (!Number.isFinite(from) || !Number.isFinite(to) || from === 0) return 'n/a';
  const r = to / from;
  return `${Number.isInteger(r) ? r : Number(r.toFixed(2))}×`;
}

function num(m: LogMatch, name: string): number | undefined {
  const t = m.variables[name]?.text;
  if (t === undefined || !/^-?\d{1,20}(?:\.\d{1,9})?$/.test(t)) return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}

/** The entry's summary with `{name}`, `{pct:a/b}`, `{times:a/b}` filled; the title when a value is missing. */
export function logMessage(m: LogMatch): string {
  const template = m.entry.summary;
  if (!template) return withValues(m);
  let missing = false;
  const text = template.replace(/\{(?:(pct|times):)?([A-Za-z]{1,32})(?:\/([A-Za-z]{1,32}))?\}/g, (_all, fn: string | undefined, a: string, b: string | undefined) => {
    if (fn && b) {
      const x = num(m, a);
      const y = num(m, b);
      if (x === undefined || y === undefined) {
        missing = true;
        return '';
      }
      return fn === 'pct' ? percentOf(x, y) : times(x, y);
    }
    const v = m.variables[a];
    if (!v) {
      missing = true;
      return '';
    }
    return oneLine(v.text);
  });
  return missing ? withValues(m) : text;
}

function oneLine(text: string, max = 200): string {
  const flat = text.replace(/[\r\n\t]+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function withValues(m: LogMatch): string {
  const vals = Object.entries(m.variables).map(([k, v]) => `${k} ${oneLine(v.text, 80)}`);
  return vals.length > 0 ? `${m.entry.title} (${vals.join(', ')})` : m.entry.title;
}

const ERRNO: Record<number, string> = {
  1: 'EPERM (operation not permitted)',
  2: 'ENOENT (no such file or directory)',
  5: 'EIO (input/output error)',
  6: 'ENXIO (no such device or address)',
  12: 'ENOMEM (out of memory)',
  16: 'EBUSY (device or resource busy)',
  19: 'ENODEV (no such device)',
  22: 'EINVAL (invalid argument)',
  28: 'ENOSPC (no space left on device)',
  61: 'ENODATA (no data available)',
  95: 'EOPNOTSUPP (operation not supported)',
};

const ERROR_TEXTS: [RegExp, string][] = [
  [/input\/output error/i, 'EIO: the pool is probably read-only or failed, or out of data space in error mode — check `dmsetup status`.'],
  [/no space left on device/i, 'ENOSPC: the container filesystem (dm.basesize), the pool, or the host filesystem behind loop files is full.'],
  [/device or resource busy|device is busy/i, 'EBUSY: something holds the device open (a mount in another namespace, a process) — see `dmsetup info` Open count and `/proc/*/mountinfo`.'],
  [/invalid argument/i, 'EINVAL: often a bad `dm.mountopt`, an SELinux `context=` the filesystem does not support, or a missing `nouuid` for XFS.'],
  [/no such device or address|no such device/i, 'The device is not (or no longer) active.'],
];

const LIBDM_LEVELS: Record<string, string> = { '0': 'emergency', '1': 'alert', '2': 'critical', '3': 'error', '4': 'warning', '5': 'notice', '6': 'info', '7': 'debug' };

export interface ValueNote {
  name: string;
  text: string;
  /** What the value means here, with computed figures; undefined when the value speaks for itself. */
  note?: string;
}

function devno(text: string): string | undefined {
  const m = /^(\d{1,10}):(\d{1,10})$/.exec(text);
  if (!m) return undefined;
  return `device-mapper minor ${m[2]} (\`/dev/dm-${m[2]}\`; major ${m[1]} is the dynamic major the kernel gave device-mapper). \`dmsetup ls\` or \`dmsetup info -c\` shows its name`;
}

function blockDevice(text: string): string | undefined {
  if (/^loop\d{1,6}$/.test(text)) return `\`/dev/${text}\`, a loop device: \`losetup -l\` shows its backing file`;
  if (/^dm-\d{1,6}$/.test(text)) return `\`/dev/${text}\`, a device-mapper device (\`dmsetup info -c\` lists minors; a thin volume if it belongs to a pool)`;
  return undefined;
}

function sizeOfBlocks(blocks: number, blockBytes: number): string {
  return formatBinary(blocks * blockBytes);
}

/** Each variable of the match with what it means and what follows from it. */
export function explainValues(m: LogMatch): ValueNote[] {
  const out: ValueNote[] = [];
  const id = m.entry.id;
  for (const [name, v] of Object.entries(m.variables)) {
    const text = v.text;
    let note: string | undefined = m.entry.variables?.[name];
    const add = (extra: string | undefined): void => {
      if (extra) note = note ? `${note}: ${extra}` : extra;
    };
    switch (name) {
      case 'pool':
      case 'devno':
        add(devno(text));
        break;
      case 'device':
        add(blockDevice(text));
        break;
      case 'free': {
        const free = num(m, 'free');
        const min = num(m, 'minimum');
        if (free !== undefined && min !== undefined) {
          const metadata = id === 'dm-pool-metadata-min-free-space';
          const bytes = metadata ? `${sizeOfBlocks(free, METADATA_BLOCK_BYTES)} of ${sizeOfBlocks(min, METADATA_BLOCK_BYTES)} (4 KiB metadata blocks)` : `with ${formatBinary(DEFAULT_BLOCK_BYTES)} blocks (Docker's default dm.blocksize; the block size is not in the line) ${sizeOfBlocks(free, DEFAULT_BLOCK_BYTES)} of ${sizeOfBlocks(min, DEFAULT_BLOCK_BYTES)}`;
          add(`${formatCount(free)} of the ${formatCount(min)} required = ${percentOf(free, min)} of the minimum; ${formatCount(Math.max(0, min - free))} blocks short — ${bytes}`);
        }
        break;
      }
      case 'minimum': {
        const min = num(m, 'minimum');
        if (min !== undefined) add(`${formatCount(min)} blocks = dm.min_free_space (10 % by default) of the pool's blocks, so the pool has about ${formatCount(Math.round(min * 10))} blocks at the default`);
        break;
      }
      case 'from':
      case 'to': {
        const from = num(m, 'from');
        const to = num(m, 'to');
        if (from === undefined || to === undefined) break;
        if (id === 'thin-block-size-changed') {
          const n = num(m, name)!;
          add(`${formatCount(n)} sectors × 512 B = ${formatBinary(n * SECTOR_BYTES)} per block`);
        } else if (name === 'to') {
          const meta = m.variables.device?.text === 'metadata';
          const sizes = meta
            ? `${sizeOfBlocks(from, METADATA_BLOCK_BYTES)} → ${sizeOfBlocks(to, METADATA_BLOCK_BYTES)} (4 KiB metadata blocks)`
            : `with ${formatBinary(DEFAULT_BLOCK_BYTES)} blocks (Docker's default and the observed pools'; the block size is not in the line) ${sizeOfBlocks(from, DEFAULT_BLOCK_BYTES)} → ${sizeOfBlocks(to, DEFAULT_BLOCK_BYTES)}`;
          add(`${formatCount(from)} → ${formatCount(to)} blocks: ${times(from, to)} (+${formatCount(to - from)} blocks); ${sizes}`);
        }
        break;
      }
      case 'sector': {
        const s = num(m, 'sector');
        if (s !== undefined) add(`sector ${formatCount(s)} × 512 B = byte offset ${formatCount(s * SECTOR_BYTES)} (${formatBinary(s * SECTOR_BYTES)}) into the device${m.variables.device?.text.startsWith('loop') ? ', i.e. into its backing file' : ''}`);
        break;
      }
      case 'percent': {
        const p = num(m, 'percent');
        if (p !== undefined) add(`${p} % — dmeventd warns from 80 %, runs its policy from 50 % in 5 % steps, and may unmount at 95 %${p >= 95 ? ' (reached)' : ''}`);
        break;
      }
      case 'errno': {
        const e = num(m, 'errno');
        if (e !== undefined) add(ERRNO[Math.abs(e)] ?? `errno ${Math.abs(e)}`);
        break;
      }
      case 'level':
        add(LIBDM_LEVELS[text] ? `${text} = ${LIBDM_LEVELS[text]}` : undefined);
        break;
      case 'version': {
        if (id === 'dm-ioctl-version') {
          const [a, b] = text.split('.').map(Number) as [number, number];
          add(a > 4 || (a === 4 && b >= 27) ? `${text} ≥ 4.27.0: deferred removal is supported by the kernel` : `${text} < 4.27.0: no deferred removal (dm.use_deferred_removal fails)`);
        }
        break;
      }
      case 'max': {
        const s = num(m, 'max');
        if (s !== undefined) add(`${formatCount(s)} sectors × 512 B = ${formatBinary(s * SECTOR_BYTES)}`);
        break;
      }
      case 'wanted': {
        const b = num(m, 'wanted');
        if (b !== undefined && id === 'thin-trim-device-size-mismatch') add(formatBinary(b));
        break;
      }
      case 'actual': {
        const a = num(m, 'actual');
        const e = num(m, 'expected');
        if (a !== undefined && e !== undefined) add(`${formatCount(a)} blocks, ${formatCount(e - a)} fewer than the ${formatCount(e)} the metadata records`);
        break;
      }
      case 'err':
      case 'text':
      case 'detail': {
        const hit = ERROR_TEXTS.find(([re]) => re.test(text));
        if (hit) add(hit[1]);
        break;
      }
      case 'kind':
        if (/critical space allocation/.test(text)) add('the block layer\'s name for ENOSPC: a thin device whose pool is out of data space (error IO mode)');
        else if (/operation not supported/.test(text)) add('EOPNOTSUPP: the device cannot do this operation');
        break;
      default:
        break;
    }
    out.push(note === undefined ? { name, text } : { name, text, note });
  }
  return out;
}

/** Short label of a pool state for timelines ("out of data space (queue IO)", "grown 1024 → 3072 blocks"). */
export function stateLabel(state: PoolState, m: LogMatch): string {
  const v = m.variables;
  switch (state) {
    case 'low-water-mark':
      return 'low water mark (data)';
    case 'metadata-low':
      return 'low water mark (metadata)';
    case 'usage-threshold':
      return `${v.which?.text ?? 'data'} ${v.percent?.text ?? '?'} % full`;
    case 'min-free-space':
      return 'below dm.min_free_space (data)';
    case 'metadata-min-free-space':
      return 'below dm.min_free_space (metadata)';
    case 'out-of-data-space-queue':
      return 'out of data space (queue IO)';
    case 'out-of-data-space-error':
      return 'out of data space (error IO)';
    case 'metadata-error':
      return 'metadata operation failed';
    case 'metadata-exhausted':
      return 'out of metadata space';
    case 'needs-check':
      return 'needs check';
    case 'read-only':
      return m.entry.id === 'thin-messages-refused' ? 'messages refused (read-only or fail mode)' : 'read-only mode';
    case 'fail':
      return 'fail mode';
    case 'write':
      return 'write mode';
    case 'grown':
      return `${v.device?.text === 'metadata' ? 'metadata ' : ''}grown ${v.from?.text ?? '?'} → ${v.to?.text ?? '?'} blocks`;
  }
}
