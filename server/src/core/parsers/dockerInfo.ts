import type { DockerInfoLine, DockerWarningLine } from '../transcript/lineTypes.js';
import { DOCKER_INFO_KEYS } from '../knowledge/dockerInfoKeys.js';
import { parseDockerSize } from '../text/units.js';

/**
 * `docker info` driver-status lines: ` <key>: <value>` (CLI ≤ 18.09) or
 * `  <key>: <value>` (19.03+), sizes as decimal HumanSize with or without a
 * space (devicemapper.md §4.1–4.3). Unknown keys are accepted only inside a
 * `docker info` block.
 */
const KEY_VALUE = /^(\s{0,8})([A-Z][A-Za-z0-9 ,./()-]{0,60}?):(?:[ \t]+(\S.*))?$/;

export function parseDockerInfo(raw: string, inDockerInfoBlock: boolean): DockerInfoLine | undefined {
  const line = raw.trimEnd();
  const m = KEY_VALUE.exec(line);
  if (!m) return undefined;
  const key = m[2]!;
  const doc = DOCKER_INFO_KEYS[key];
  if (!doc && !inDockerInfoBlock) return undefined;
  const value = m[3] ?? '';
  const keyStart = m[1]!.length;
  const valueStart = value ? line.indexOf(value, keyStart + key.length + 1) : line.length;
  const valueSpan = { start: valueStart, end: valueStart + value.length };
  const out: DockerInfoLine = {
    kind: 'docker-info',
    key,
    value,
    valueSpan,
    known: doc !== undefined,
    tokens: [{ start: keyStart, end: keyStart + key.length, role: 'dockerInfo.key', text: key }],
  };
  if (value) out.tokens.push({ ...valueSpan, role: 'dockerInfo.value', text: value });
  if (doc?.size) out.bytes = parseDockerSize(value);
  return out;
}

/** The warnings `docker info` prints about devicemapper (devicemapper.md §4.4), every era's wording. */
export function parseDockerWarning(line: string): DockerWarningLine | undefined {
  const trimmed = line.trim();
  let warning: DockerWarningLine['warning'] | undefined;
  if (/usage of loopback devices is strongly discouraged/i.test(trimmed)) warning = 'loopback';
  else if (/the devicemapper storage-driver is deprecated/i.test(trimmed)) warning = 'deprecated';
  else if (/^Use `--storage-opt dm\.thinpooldev` to specify|^Refer to the documentation for more information/.test(trimmed)) warning = 'continuation';
  else if (/^WARNING: /.test(trimmed)) warning = 'other';
  if (!warning) return undefined;
  const start = line.length - line.trimStart().length;
  return { kind: 'docker-warning', warning, tokens: [{ start, end: start + trimmed.length, role: 'dockerWarning.text', text: trimmed }] };
}
