import type { Connection } from 'vscode-languageserver/node';
import { normaliseThresholds, type Thresholds } from '../core/index.js';

/** The `dmLens` settings the server reads, per resource (mirrors package.json contributes.configuration). */
export interface ServerSettings {
  thresholds: Thresholds;
  inlayHints: boolean;
  /** At most this many outline symbols and folding ranges per document (`dmLens.maxItemsComputed`). */
  maxItemsComputed: number;
  /** The Docker Engine version daemon.json is judged for; undefined = unknown (findings say which engines they apply to). */
  engineVersion?: string;
}

interface RawSettings {
  thresholds?: Partial<Thresholds>;
  inlayHints?: { enabled?: boolean };
  maxItemsComputed?: unknown;
  engineVersion?: unknown;
}

/** VS Code's own JSON server caps outlines and folding at 5 000 (`json.maxItemsComputed`). */
export const DEFAULT_MAX_ITEMS_COMPUTED = 5000;

export function toSettings(raw: RawSettings | null | undefined): ServerSettings {
  const engine = typeof raw?.engineVersion === 'string' ? raw.engineVersion.trim() : '';
  return {
    thresholds: normaliseThresholds(raw?.thresholds),
    inlayHints: raw?.inlayHints?.enabled !== false,
    maxItemsComputed: typeof raw?.maxItemsComputed === 'number' && Number.isInteger(raw.maxItemsComputed) && raw.maxItemsComputed >= 0 ? raw.maxItemsComputed : DEFAULT_MAX_ITEMS_COMPUTED,
    engineVersion: engine === '' ? undefined : engine,
  };
}

/**
 * Per-document settings pulled with workspace/configuration and cached until
 * the client says the configuration changed. Clients without the capability
 * get the defaults (or what initializationOptions carried).
 */
export class SettingsStore {
  private readonly cache = new Map<string, Promise<ServerSettings>>();
  canPull = false;
  fallback: ServerSettings = toSettings(undefined);

  constructor(private readonly connection: Connection) {}

  get(uri: string): Promise<ServerSettings> {
    if (!this.canPull) return Promise.resolve(this.fallback);
    let s = this.cache.get(uri);
    if (!s) {
      s = this.connection.workspace
        .getConfiguration({ scopeUri: uri, section: 'dmLens' })
        .then((raw: RawSettings) => toSettings(raw), () => this.fallback);
      this.cache.set(uri, s);
    }
    return s;
  }

  forget(uri: string): void {
    this.cache.delete(uri);
  }

  clear(): void {
    this.cache.clear();
  }
}
