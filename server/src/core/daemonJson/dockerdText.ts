/**
 * The error texts dockerd prints, per engine version (devicemapper.md §1.1, §1.3,
 * §2.3, §2.4). A trailing `\n` that old engines put into a message is kept in
 * these strings; messages shown to users trim it.
 */
import { type EngineVersion, MILESTONES, atLeast } from '../knowledge/engineVersions.js';

/** §1.1 step 2 (S9): `unable …` in v24, `Unable …` in v1.4.0–v23.0.0. */
export function keyValueError(opt: string, v: EngineVersion): string {
  return `${atLeast(v, MILESTONES.lowerCaseKeyValueError) ? 'unable' : 'Unable'} to parse key/value option: ${opt}`;
}

/** §1.1 step 4: `Unknown option <key>\n` (≤ 1.9), `devmapper: Unknown option <key>\n` (1.10–17.10), `devmapper: Unknown option <key>` (17.12+). */
export function dmUnknownOption(lowerKey: string, v: EngineVersion): string {
  const prefix = atLeast(v, MILESTONES.devmapperPrefix) ? 'devmapper: ' : '';
  const nl = atLeast(v, MILESTONES.noTrailingNewline) ? '' : '\n';
  return `${prefix}Unknown option ${lowerKey}${nl}`;
}

/** §1.3 dm.fs: trailing `\n` until 17.10; no `devmapper:` prefix in ≤ 1.9. */
export function dmUnsupportedFs(value: string, v: EngineVersion): string {
  const prefix = atLeast(v, MILESTONES.devmapperPrefix) ? 'devmapper: ' : '';
  const nl = atLeast(v, MILESTONES.noTrailingNewline) ? '' : '\n';
  return `${prefix}Unsupported filesystem ${value}${nl}`;
}

/**
 * §1.1 step 5: how a driver-init error reaches the log. `explicitDriver` = the
 * driver named in `storage-driver` (v24 appends it).
 */
export function startupLine(err: string, v: EngineVersion, explicitDriver?: string): string {
  const wrapped = `${atLeast(v, MILESTONES.initializingSpelling) ? 'error initializing' : 'error intializing'} graphdriver: ${err.replace(/\n$/, '')}${explicitDriver && atLeast(v, MILESTONES.driverNameSuffix) ? `: ${explicitDriver}` : ''}`;
  return atLeast(v, MILESTONES.failedToStart) ? `failed to start daemon: ${wrapped}` : `Error starting daemon: ${wrapped}`;
}

/** §2.4, §5 #26: Engine 25+ with `"storage-driver": "devicemapper"`. */
export const DM_REMOVED_ERROR = '[graphdriver] ERROR: the devicemapper storage-driver has been deprecated and removed; visit https://docs.docker.com/go/storage-driver/ for more information';
export const DM_REMOVED_STARTUP = `failed to start daemon: error initializing graphdriver: ${DM_REMOVED_ERROR}: devicemapper`;
/** §2.4: Engine 29 with the containerd image store (code-derived, not run). */
export const DM_SNAPSHOTTER_ERROR = 'configured driver "devicemapper" not available';

/** §2.3, §5 #25: the deprecation warning in the daemon log. */
export function dmDeprecationLog(v: EngineVersion): string | undefined {
  if (!atLeast(v, MILESTONES.dmDeprecationLogged)) return undefined;
  if (!atLeast(v, MILESTONES.dmNotAutoSelected)) return '[graphdriver] WARNING: the devicemapper storage-driver is deprecated, and will be removed in a future release';
  return '[graphdriver] WARNING: the devicemapper storage-driver is deprecated and will be removed in a future release; visit https://docs.docker.com/go/storage-driver/ for more information';
}

/** §2.3 (23.0–24.0): an existing devicemapper state is no longer picked automatically. */
export const DM_PRIOR_DRIVER_ERROR = 'prior storage driver devicemapper is deprecated and will be removed in a future release; update the the daemon configuration and explicitly choose this storage driver to continue using it; visit https://docs.docker.com/go/storage-driver/ for more information';

/** §2.2: unknown top-level keys. */
export function unknownDirectives(keys: readonly string[]): string {
  return `the following directives don't match any configuration option: ${keys.join(', ')}`;
}

/** Shown text of a dockerd message: no trailing newline. */
export function shown(text: string): string {
  return text.replace(/\n$/, '');
}
