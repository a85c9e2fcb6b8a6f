import { COLLECTOR_SECTIONS, type CollectorSection } from './collector.js';

/** One section of the collector's output, exactly as the host printed it. */
export interface Section {
  name: CollectorSection;
  stdout: string;
  stderr: string;
  /** The step's exit status; 127 = tool not installed, 124 = `timeout` fired. */
  rc: number;
}

export interface CollectedOutput {
  sections: Partial<Record<CollectorSection, Section>>;
  /** Sections that began but never ended (the stream was cut: timeout, size cap, cancel). */
  truncated: CollectorSection[];
  /** Text outside any section (login banners, shell start-up noise). */
  stray: string;
}

const KNOWN = new Set<string>(COLLECTOR_SECTIONS);

/** A fresh nonce for one run: 16 lower-case hex digits from the given random bytes. */
export function nonceFromBytes(bytes: Uint8Array): string {
  if (bytes.length < 8) throw new Error('a nonce needs at least 8 random bytes');
  return Array.from(bytes.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Splits the collector's stdout into sections. Only markers carrying `nonce`
 * count, so host output cannot forge one; unknown section names and damaged
 * markers are kept as stray text rather than trusted.
 */
export function parseCollectorOutput(text: string, nonce: string): CollectedOutput {
  const marker = `\n@@${nonce}@@ `;
  const sections: CollectedOutput['sections'] = {};
  const truncated: CollectorSection[] = [];
  let stray = '';
  // The section being read: its name, its stdout once the stderr marker passed.
  let open: { name: CollectorSection; stdout?: string } | undefined;
  // Text of the current part (stray, stdout or stderr) read so far.
  let acc = '';
  const close = (rc: number) => {
    if (!open) return;
    const stdout = open.stdout ?? acc;
    sections[open.name] = { name: open.name, stdout, stderr: open.stdout === undefined ? '' : acc, rc };
    if (rc === -1) truncated.push(open.name);
    open = undefined;
    acc = '';
  };
  // Prepend a newline so a marker at the very start is found like any other.
  const src = `\n${text}`;
  let pos = 0;
  for (;;) {
    const at = src.indexOf(marker, pos);
    if (at < 0) {
      acc += src.slice(pos);
      break;
    }
    acc += src.slice(pos, at);
    const eol = src.indexOf('\n', at + marker.length);
    const next = eol < 0 ? src.length : eol + 1;
    const [word, arg = ''] = splitOnce(src.slice(at + marker.length, eol < 0 ? src.length : eol));
    if (word === 'begin' && KNOWN.has(arg)) {
      // A begin inside a section means the previous one was cut off.
      if (open) close(-1);
      else stray += acc;
      acc = '';
      open = { name: arg as CollectorSection };
    } else if (word === 'stderr' && open && open.stdout === undefined) {
      open.stdout = acc;
      acc = '';
    } else if (word === 'end' && open && /^\d{1,3}$/.test(arg)) {
      close(Number(arg));
    } else {
      // Not a marker we trust: it stays text of whatever part it is in.
      acc += src.slice(at, next);
    }
    pos = next;
  }
  if (open) close(-1);
  else stray += acc;
  return { sections, truncated, stray: stray.replace(/^\n/, '') };
}

function splitOnce(s: string): [string, string?] {
  const i = s.indexOf(' ');
  return i < 0 ? [s] : [s.slice(0, i), s.slice(i + 1)];
}
