/**
 * Each storage-option value through the parser dockerd of a given engine runs on
 * it, with the exact error text (devicemapper.md §1.1 value parsers, §1.2 sizes,
 * §1.3 per-option rules).
 */
import { type EngineVersion } from '../knowledge/engineVersions.js';
import { type StorageOptionDoc } from '../knowledge/storageOptions.js';
import { SIZE_ERAS, type SizeEra, goParseBool, goParseInt, goParseUint, ramInBytesEra, sizeEraOf } from '../text/ramInBytes.js';
import { dmUnsupportedFs, shown } from './dockerdText.js';

export interface ValueProblem {
  /** Groups identical problems across engine eras. */
  key: string;
  message: string;
  /** The message when several engine eras are merged. */
  general?: string;
  /** dockerd's own text (trailing newline kept). */
  dockerd?: string;
  /** A corrected value, when one is obvious. */
  fixValue?: string;
  fixTitle?: string;
}

const UNITS: [string, number][] = [['P', 1024 ** 5], ['T', 1024 ** 4], ['G', 1024 ** 3], ['M', 1024 ** 2], ['K', 1024]];

/** `1610612736` → `1536M`: an integer with the largest exact unit, which every RAMInBytes era accepts. */
export function portableSize(bytes: number): string {
  if (!Number.isSafeInteger(bytes) || bytes < 0) return String(bytes);
  for (const [u, m] of UNITS) if (bytes >= m && bytes % m === 0) return `${bytes / m}${u}`;
  return String(bytes);
}

/** What the user most likely meant by a size: the most permissive parser's reading. */
function intendedBytes(value: string): number | undefined {
  for (const era of ['hand-written', 'binary-i-regexp'] as const) {
    const r = ramInBytesEra(value, era);
    if (r.ok && !r.overflow && Number.isSafeInteger(r.bytes)) return r.bytes;
  }
  return undefined;
}

/** Results per (key, era, value): rules are evaluated once per engine segment, and most segments share an era. */
const sizeCache = new Map<string, ValueProblem | undefined>();

function sizeProblem(key: string, value: string, v: EngineVersion): ValueProblem | undefined {
  const era = sizeEraOf(v);
  const id = `${key}\u0000${era}\u0000${value}`;
  if (sizeCache.has(id)) return sizeCache.get(id);
  if (sizeCache.size > 512) sizeCache.clear();
  const p = computeSizeProblem(key, value, era);
  sizeCache.set(id, p);
  return p;
}

function computeSizeProblem(key: string, value: string, era: SizeEra): ValueProblem | undefined {
  const r = ramInBytesEra(value, era);
  if (r.ok) {
    if (r.overflow) return { key: 'overflow', message: `${key}=${value} is beyond what dockerd's 64-bit size arithmetic can hold; the result wraps around.` };
    return undefined;
  }
  const intended = intendedBytes(value);
  const accepts = SIZE_ERAS.find((d) => d.era === era)?.accepted;
  const fixValue = intended !== undefined ? portableSize(intended) : undefined;
  return {
    key: `size:${era}:${r.error}`,
    general: `dockerd cannot parse ${key}=${value}: "${r.error}".`,
    message: `dockerd cannot parse ${key}=${value}: "${r.error}" (this size parser accepts ${accepts}).`,
    dockerd: r.error,
    ...(fixValue !== undefined && fixValue !== value ? { fixValue, fixTitle: `Write ${key}=${fixValue} (accepted by every engine)` } : {}),
  };
}

const TRUTHY = new Set(['yes', 'y', 'on', 'enable', 'enabled', 'true']);
const FALSY = new Set(['no', 'n', 'off', 'disable', 'disabled', 'false']);

function boolProblem(key: string, value: string): ValueProblem | undefined {
  const r = goParseBool(value);
  if (r.ok) return undefined;
  const lower = value.toLowerCase();
  const fixValue = TRUTHY.has(lower) ? 'true' : FALSY.has(lower) ? 'false' : undefined;
  return {
    key: `bool:${r.error}`,
    message: `${key} takes a boolean (true/false, 1/0, t/f): dockerd fails with "${r.error}".`,
    dockerd: r.error,
    ...(fixValue ? { fixValue, fixTitle: `Write ${key}=${fixValue}` } : {}),
  };
}

/** Validates a value for the option `doc` at engine `v`; undefined = dockerd accepts it. */
export function checkOptionValue(doc: StorageOptionDoc, value: string, v: EngineVersion): ValueProblem | undefined {
  const key = doc.key;
  switch (doc.type) {
    case 'size':
      return sizeProblem(key, value, v);
    case 'bool':
      return boolProblem(key, value);
    case 'uint': {
      // dm.xfs_nospace_max_retries: strconv.ParseUint(val, 10, 64), error returned as is (§1.3).
      const r = goParseUint(value, doc.bits ?? 64);
      if (r.ok) return undefined;
      return { key: `uint:${r.error}`, message: `${key} takes an unsigned integer: dockerd fails with "${r.error}".`, dockerd: r.error };
    }
    case 'percent': {
      // dm.thinp_*: ParseUint after trimming one `%`; errors wrapped (§1.3, §1.6).
      const r = goParseUint(value.endsWith('%') ? value.slice(0, -1) : value, 32);
      if (!r.ok) {
        const err = `could not parse \`${key}=${value}\`: ${r.error}`;
        return { key: `percent:${err}`, message: `${key} takes a whole percentage (0–${doc.max}, optional %): dockerd fails with "${err}".`, dockerd: err };
      }
      if (doc.max !== undefined && r.value > BigInt(doc.max)) {
        const err = `${key} must be greater than 0 and less than 100`;
        const note = doc.max === 100 ? ' (100 itself is accepted)' : ' (0 means "use the default")';
        return { key: `range:${err}`, message: `${key}=${value} is out of range${note}: dockerd fails with "${err}".`, dockerd: err };
      }
      return undefined;
    }
    case 'min-free-space': {
      // §1.3 dm.min_free_space.
      if (!value.endsWith('%')) {
        const err = 'devmapper: Option dm.min_free_space requires % suffix';
        const fixValue = goParseUint(value, 32).ok ? `${value}%` : undefined;
        return { key: `mfs:${err}`, message: `dm.min_free_space needs a % suffix: dockerd fails with "${err}".`, dockerd: err, ...(fixValue ? { fixValue, fixTitle: `Write dm.min_free_space=${fixValue}` } : {}) };
      }
      const r = goParseUint(value.slice(0, -1), 32);
      if (!r.ok) return { key: `mfs:${r.error}`, message: `dm.min_free_space takes a whole percentage 0–99 followed by %: dockerd fails with "${r.error}".`, dockerd: r.error };
      if (r.value >= 100n) {
        const err = `devmapper: Invalid value ${value} for option dm.min_free_space`;
        return { key: `mfs-range`, message: `dm.min_free_space must be below 100%: dockerd fails with "${err}".`, dockerd: err };
      }
      return undefined;
    }
    case 'int': {
      // dm.libdm_log_level: ParseInt(val, 10, 32), wrapped; range [2,7] (§1.3).
      const r = goParseInt(value, doc.bits ?? 32);
      if (!r.ok) {
        const err = `could not parse \`${key}=${value}\`: ${r.error}`;
        return { key: `int:${err}`, message: `${key} takes an integer ${doc.min}–${doc.max}: dockerd fails with "${err}".`, dockerd: err };
      }
      if ((doc.min !== undefined && r.value < BigInt(doc.min)) || (doc.max !== undefined && r.value > BigInt(doc.max))) {
        const err = `${key} must be in range [${doc.min},${doc.max}]`;
        return { key: `range:${err}`, message: `${key}=${value} is out of range: dockerd fails with "${err}".`, dockerd: err };
      }
      return undefined;
    }
    case 'enum': {
      // dm.fs: exactly `ext4` or `xfs` (§1.3).
      const values = doc.values ?? [];
      if (values.includes(value)) return undefined;
      const err = dmUnsupportedFs(value, v);
      const fixValue = values.find((x) => x === value.toLowerCase());
      return {
        key: 'enum',
        message: `${key} must be ${values.map((x) => `"${x}"`).join(' or ')} exactly (case-sensitive): dockerd fails with "${shown(err)}".`,
        dockerd: err,
        ...(fixValue ? { fixValue, fixTitle: `Write ${key}=${fixValue}` } : {}),
      };
    }
    default:
      return undefined;
  }
}

/** A valid boolean's value, else undefined. */
export function boolValue(value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  const r = goParseBool(value);
  return r.ok ? r.value : undefined;
}

/** A valid dm.thinp_* value (at most `max`) as a number, else undefined. */
export function percentValue(value: string | undefined, max: number): number | undefined {
  if (value === undefined) return undefined;
  const r = goParseUint(value.endsWith('%') ? value.slice(0, -1) : value, 32);
  return r.ok && Number(r.value) <= max ? Number(r.value) : undefined;
}
