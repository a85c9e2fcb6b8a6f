import type { KernelLogLine, Token } from '../transcript/lineTypes.js';

/**
 * Kernel device-mapper lines as they appear in dmesg (`[  64.77] …`, `-T`
 * dates), syslog/journal (`… kernel: …`) or bare: `device-mapper: <module>:
 * [<maj:min>: ]<text>` (devicemapper.md §5.3). The full message catalogue
 * belongs to the log language; here the line is classified and its parts named.
 */
const PREFIX = String.raw`^(?:\[\s*\d+\.\d+\]\s*|\[[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d [\d:]{8} \d{4}\]\s*)?(?:.*?\bkernel: (?:\[\s*\d+\.\d+\]\s*)?)?`;
// `d`: the parts are located by the match's own indices. The prefix may itself hold
// "device-mapper: " or ", dev " (`… kernel: ` is matched lazily), so searching the line
// for the first occurrence put the module, device number and discard device elsewhere.
const DM = new RegExp(PREFIX + String.raw`device-mapper: ([\w-]{1,32}): (?:(\d{1,10}):(\d{1,10}): )?(.*)$`, 'd');
const DISCARD_ERROR = new RegExp(PREFIX + String.raw`(?:operation not supported|I/O|critical target|\w+) error, dev (\w+), sector \d+ op 0x3:\(DISCARD\).*$`, 'd');

export function parseKernelLog(raw: string): KernelLogLine | undefined {
  const line = raw.trimEnd();
  if (!line.includes('device-mapper: ') && !line.includes('(DISCARD)')) return undefined;
  const m = DM.exec(line);
  if (m) {
    const tokens: Token[] = [];
    const modStart = m.indices![1]![0];
    tokens.push({ start: modStart, end: modStart + m[1]!.length, role: 'kernel.module', text: m[1]! });
    const out: KernelLogLine = { kind: 'kernel-log', module: m[1], message: m[4]!, tokens };
    if (m[2]) {
      const start = modStart + m[1]!.length + 2;
      const text = `${m[2]}:${m[3]}`;
      out.devno = { major: Number(m[2]), minor: Number(m[3]), span: { start, end: start + text.length } };
      tokens.push({ start, end: start + text.length, role: 'devno', text });
    }
    const msgStart = line.length - m[4]!.length;
    tokens.push({ start: msgStart, end: msgStart + m[4]!.length, role: 'kernel.message', text: m[4]! });
    return out;
  }
  const d = DISCARD_ERROR.exec(line);
  if (d) {
    const start = d.indices![1]![0];
    return {
      kind: 'kernel-log',
      message: line.trim(),
      discardError: { device: d[1]! },
      tokens: [{ start, end: start + d[1]!.length, role: 'kernel.message', text: d[1]! }],
    };
  }
  return undefined;
}
