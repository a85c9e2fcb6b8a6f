import type { DmDepsLine, DmInfoField, DmMessageLine, DmTargetsLine, DmVersionLine, Token } from '../transcript/lineTypes.js';

/** `dmsetup info` block fields (devicemapper.md §3.7); keys are padded to column 20 except `UUID:`. */
const INFO = /^(Name|State|Read Ahead|Tables present|Open count|Event number|Major, minor|Number of targets|UUID|Blkdevname|Deferred remove):\s*(.*)$/;

export function parseDmInfoField(raw: string): DmInfoField | undefined {
  const line = raw.trimEnd();
  const m = INFO.exec(line);
  if (!m) return undefined;
  const key = m[1]!;
  const value = m[2]!;
  const valueStart = value ? line.indexOf(value, key.length + 1) : line.length;
  const valueSpan = { start: valueStart, end: valueStart + value.length };
  const tokens: Token[] = [
    { start: 0, end: key.length, role: 'info.key', text: key },
    { ...valueSpan, role: key === 'Major, minor' ? 'devno' : 'info.value', text: value },
  ];
  const field: DmInfoField = { kind: 'dm-info', key, value, valueSpan, tokens };
  if (key === 'Major, minor') {
    const d = /^(\d+), (\d+)$/.exec(value);
    if (d) field.devno = { major: Number(d[1]), minor: Number(d[2]), span: valueSpan };
  }
  return field;
}

/** `[<name>: ]<n> dependencies\t: (7, 0) (7, 1)` or `(loop0)` with `-o devname`. */
const DEPS = /^(?:(.+?): )?(\d+) dependencies\s*:\s*(.*)$/;

export function parseDmDeps(line: string): DmDepsLine | undefined {
  const m = DEPS.exec(line);
  if (!m) return undefined;
  const tokens: Token[] = [];
  const device = m[1];
  if (device) tokens.push({ start: 0, end: device.length, role: 'device.name', text: device });
  const countStart = device ? device.length + 2 : 0;
  tokens.push({ start: countStart, end: countStart + m[2]!.length, role: 'deps.count', text: m[2]! });
  const deps: DmDepsLine['deps'] = [];
  const re = /\((?:(\d+), ?(\d+)|([^()\s]+))\)/g;
  const from = line.length - m[3]!.length;
  re.lastIndex = from;
  for (let d = re.exec(line); d; d = re.exec(line)) {
    const span = { start: d.index, end: d.index + d[0].length };
    const dep = d[3] ? { text: d[3], span } : { text: d[0], span, devno: { major: Number(d[1]), minor: Number(d[2]), span } };
    deps.push(dep);
    tokens.push({ ...span, role: 'devno', text: d[0] });
  }
  return { kind: 'dm-deps', device, count: Number(m[2]), deps, tokens };
}

const VERSION = /^(Library|Driver) version:\s+(\S.*)$/;

export function parseDmVersion(raw: string): DmVersionLine | undefined {
  const line = raw.trimEnd();
  const m = VERSION.exec(line);
  if (!m) return undefined;
  const start = line.indexOf(m[2]!, m[1]!.length + 9);
  return {
    kind: 'dm-version',
    which: m[1] === 'Library' ? 'library' : 'driver',
    version: m[2]!,
    tokens: [{ start, end: start + m[2]!.length, role: 'version.value', text: m[2]! }],
  };
}

const TARGETS = /^([a-z][\w-]{0,31})\s+v(\d+\.\d+\.\d+)\s*$/;

export function parseDmTargets(line: string): DmTargetsLine | undefined {
  const m = TARGETS.exec(line);
  if (!m) return undefined;
  return { kind: 'dm-targets', name: m[1]!, version: m[2]!, tokens: [{ start: 0, end: m[1]!.length, role: 'targets.name', text: m[1]! }] };
}

const MESSAGES: [RegExp, DmMessageLine['message']][] = [
  [/^No devices found\s*$/, 'no-devices'],
  [/^Device does not exist\.\s*$/, 'no-such-device'],
  [/^Command failed\.?\s*$/, 'command-failed'],
  [/^device-mapper: \S+ ioctl on .* failed: .+$/, 'libdm-error'],
];

export function parseDmMessage(line: string): DmMessageLine | undefined {
  for (const [re, message] of MESSAGES) {
    if (re.test(line)) return { kind: 'dm-message', message, tokens: [{ start: 0, end: line.trimEnd().length, role: 'message.text', text: line.trimEnd() }] };
  }
  return undefined;
}
