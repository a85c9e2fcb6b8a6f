import { isDaemonJson } from './daemonJson/validate.js';

/**
 * The document languages Devicemapper Lens understands, and how a file's
 * language is chosen when nobody says (CLI without --language).
 */
export const LANGUAGES = ['dmsetup', 'daemon-json'] as const;
export type LanguageId = (typeof LANGUAGES)[number];

/** The `firstLine` rule of the manifest, shared so the CLI detects files the way VS Code does. */
export const DMSETUP_FIRST_LINE = /^(?:(?:\S+: )?\d+ \d+ (?:thin-pool|thin|linear) |[#$] (?:sudo )?dmsetup |\S+\t\(\d+[:,] ?\d+\)$)/;

export function detectLanguage(path: string, text: string): LanguageId | undefined {
  if (/\.(?:dmsetup|dmlog)$/i.test(path)) return 'dmsetup';
  if (isDaemonJson(path, text)) return 'daemon-json';
  const firstLine = text.slice(0, Math.max(0, text.search(/\r?\n|$/)));
  if (DMSETUP_FIRST_LINE.test(firstLine)) return 'dmsetup';
  return undefined;
}
