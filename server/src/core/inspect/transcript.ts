/**
 * The collected output as a dm-thin transcript ("Open raw transcript"): each
 * section under a prompt line naming the command that produced it, so the
 * language server's hovers, inlay hints and diagnostics work on it as on any
 * pasted session.
 */
import type { CollectedOutput } from './sections.js';
import type { CollectorSection } from './collector.js';

/** The command each section ran, as an operator would type it. */
const COMMANDS: Record<CollectorSection, string> = {
  collector: '# dmlens collector',
  kernel: 'uname -r',
  whoami: 'id -un',
  hostname: 'uname -n',
  'docker-version': "docker version --format '{{.Server.Version}}'",
  'docker-driver': "docker info --format '{{.Driver}} {{json .DriverStatus}} {{.DockerRootDir}}'",
  'docker-info': 'docker info',
  'dmsetup-version': 'dmsetup version',
  'dmsetup-ls': 'dmsetup ls',
  'dmsetup-status': 'dmsetup status',
  'dmsetup-table': 'dmsetup table',
  'dmsetup-info': 'dmsetup info -c',
  losetup: 'losetup -l',
  'block-devices': 'for d in /sys/block/*; do echo "$d $(cat $d/dev) discard_max_bytes size dm/name"; done',
  'loop-files': "stat -c '%n|%s|%b|%B' <each loop backing file>",
  filesystems: 'findmnt -T <dir>; df -P -k <dir>   # for each loop file directory and docker root',
  mounts: "grep -E '^/dev/(mapper/|dm-)' /proc/mounts",
  lsblk: 'lsblk -d -b -P -o NAME,KNAME,MAJ:MIN,TYPE,SIZE,DISC-GRAN,DISC-MAX,DISC-ZERO',
  'dockerd-cmdline': "tr '\\0' '\\n' < /proc/<dockerd>/cmdline",
  'daemon-json': 'cat /etc/docker/daemon.json',
  lvs: 'lvs --units b -o vg_name,lv_name,lv_attr,lv_size,data_percent,metadata_percent,pool_lv,lv_metadata_size,chunk_size',
  'thin-tools': 'thin_check -V; dpkg-query -W thin-provisioning-tools',
  dmesg: "dmesg | grep -E 'device-mapper|thin|loop|DISCARD' | tail -n 300",
  journal: "journalctl -u docker -o short-iso | grep -iE 'devmapper|thin pool' | tail -n 300",
};

export interface TranscriptHeader {
  host: string;
  user?: string;
  privilege?: 'direct' | 'sudo';
  collectedAt?: string;
}

export function collectedTranscript(collected: CollectedOutput, header: TranscriptHeader): string {
  const out: string[] = [];
  const who = header.user ? `${header.user}@${header.host}` : header.host;
  out.push(`# Collected by Devicemapper Lens from ${who}${header.privilege === 'sudo' ? ' (sudo -n)' : ''}${header.collectedAt ? ` at ${header.collectedAt}` : ''}. Read-only copy.`);
  for (const name of Object.keys(COMMANDS) as CollectorSection[]) {
    const s = collected.sections[name];
    if (!s || name === 'collector') continue;
    out.push('');
    out.push(`# ${COMMANDS[name]}`);
    const body = s.stdout.replace(/\n$/, '');
    if (body) out.push(body);
    const err = s.stderr.replace(/\n$/, '');
    if (s.rc !== 0) out.push(`[exit status ${s.rc}]${err ? ` ${err}` : ''}`);
  }
  return `${out.join('\n')}\n`;
}
