import { isDaemonJson } from './daemonJson/validate.js';
import { parseEnvelope } from './logs/envelope.js';

/**
 * The document languages Devicemapper Lens understands, and how a file's
 * language is chosen when nobody says (CLI without --language).
 */
export const LANGUAGES = ['dmsetup', 'daemon-json', 'log'] as const;
export type LanguageId = (typeof LANGUAGES)[number];

/** The `firstLine` rule of the manifest, shared so the CLI detects files the way VS Code does. */
export const DMSETUP_FIRST_LINE = /^(?:(?:\S+: )?\d+ \d+ (?:thin-pool|thin|linear) |[#$] (?:sudo )?dmsetup |\S+\t\(\d+[:,] ?\d+\)$)/;

/** Log files by name: the defaults of `dmLens.logs.files` plus VS Code's `log` language (`*.log`). */
const LOG_NAME = /(?:^|[\\/])(?:[^\\/]*\.log(?:\.\d+)?|messages(?:-\d+)?|syslog(?:\.\d+)?|journal[^\\/]*\.txt|dmesg[^\\/]*\.txt)$/i;

export function detectLanguage(path: string, text: string): LanguageId | undefined {
  if (/\.(?:dmsetup|dmlog)$/i.test(path)) return 'dmsetup';
  if (isDaemonJson(path, text)) return 'daemon-json';
  const firstLine = text.slice(0, Math.max(0, text.search(/\r?\n|$/)));
  if (DMSETUP_FIRST_LINE.test(firstLine)) return 'dmsetup';
  if (LOG_NAME.test(path)) return 'log';
  // A file whose first line carries a log timestamp (dmesg, journal, syslog, logrus) is a log.
  if (firstLine.length < 4096 && parseEnvelope(firstLine).format !== 'bare') return 'log';
  return undefined;
}
