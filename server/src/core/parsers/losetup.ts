import type { ColumnsRow } from '../transcript/lineTypes.js';

/** `losetup -a` / `losetup -j`: `/dev/loop0: [2049]:1234 (/var/lib/docker/devicemapper/devicemapper/data)`. */
const LOSETUP_A = /^(\/dev\/loop\d+): \[[\w:]+\]:\d+ \((.+)\)\s*$/;

export function parseLosetupA(line: string): ColumnsRow | undefined {
  const m = LOSETUP_A.exec(line);
  if (!m) return undefined;
  const fileStart = line.lastIndexOf('(' + m[2]) + 1;
  const cells = new Map([
    ['NAME', { text: m[1]!, span: { start: 0, end: m[1]!.length } }],
    ['BACK-FILE', { text: m[2]!, span: { start: fileStart, end: fileStart + m[2]!.length } }],
  ]);
  return {
    kind: 'columns-row',
    table: 'losetup',
    cells,
    tokens: [
      { start: 0, end: m[1]!.length, role: 'column.value', text: m[1]! },
      { start: fileStart, end: fileStart + m[2]!.length, role: 'file.path', text: m[2]! },
    ],
  };
}
