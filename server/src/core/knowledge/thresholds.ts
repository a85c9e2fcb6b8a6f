/**
 * Fill-level thresholds with precedent (peers-and-users.md §3): dmeventd warns
 * at 80 %; its autoextend policy tops out at 95 %; Docker refuses new devices
 * below dm.min_free_space (10 % free = 90 % used). Users can change them.
 */
export interface Thresholds {
  /** Percent used at which data usage becomes a warning. */
  dataWarning: number;
  /** Percent used at which data usage becomes an error. */
  dataError: number;
  metadataWarning: number;
  metadataError: number;
  /**
   * A loop file whose allocation exceeds the pool's used bytes by this factor
   * (and by at least `loopGapMinBytes`) is not receiving discards.
   */
  loopGapRatio: number;
  loopGapMinBytes: number;
  /** docker info: Available below this share of Total − Used means the host filesystem limits the pool. */
  hostLimitRatio: number;
}

export const DEFAULT_THRESHOLDS: Thresholds = {
  dataWarning: 80,
  dataError: 95,
  metadataWarning: 80,
  metadataError: 95,
  loopGapRatio: 1.5,
  loopGapMinBytes: 1024 ** 3,
  hostLimitRatio: 0.9,
};

/** Fills in missing or out-of-range values from the defaults, so bad settings cannot break analysis. */
export function normaliseThresholds(partial: Partial<Thresholds> | undefined): Thresholds {
  const t = { ...DEFAULT_THRESHOLDS };
  if (!partial) return t;
  for (const key of Object.keys(DEFAULT_THRESHOLDS) as (keyof Thresholds)[]) {
    const v = partial[key];
    if (typeof v === 'number' && Number.isFinite(v) && v >= 0) t[key] = v;
  }
  if (t.dataError < t.dataWarning) t.dataError = t.dataWarning;
  if (t.metadataError < t.metadataWarning) t.metadataError = t.metadataWarning;
  return t;
}
