/**
 * The read-only collector: one fixed POSIX sh script sent on stdin to
 * `ssh <host> sh -s -- <nonce> <sudo|nosudo>`, so one inspection is one ssh
 * process and one round trip (issue 7, scope 2). It only reads: every command
 * below prints state; none writes, trims, sends a pool message or loads a
 * module (devicemapper.md §6.5, §6.6).
 *
 * Output is a sequence of sections framed by marker lines that carry a random
 * nonce chosen per run, so nothing the host prints (a device name, a log
 * line) can forge a section boundary:
 *
 *   \n@@<nonce>@@ begin <name>\n<stdout>\n@@<nonce>@@ stderr\n<stderr>\n@@<nonce>@@ end <rc>\n
 *
 * Each marker is preceded by a newline the parser removes again, so the
 * section's own text is kept byte for byte (with or without its final newline).
 * A missing tool or a refused permission shows up as that section's rc and
 * stderr; the script carries on.
 */

/** Bumped whenever a section's name or meaning changes; the parser checks it. */
export const COLLECTOR_VERSION = 1;

/** Privileged sections run through `sudo -n` when asked (never a password prompt). */
export type PrivilegeMode = 'direct' | 'sudo';

/** The section names the script prints, in order; the model looks them up by name. */
export const COLLECTOR_SECTIONS = [
  'collector',
  'kernel',
  'whoami',
  'hostname',
  'docker-version',
  'docker-driver',
  'docker-info',
  'dmsetup-version',
  'dmsetup-ls',
  'dmsetup-status',
  'dmsetup-table',
  'dmsetup-info',
  'losetup',
  'block-devices',
  'loop-files',
  'filesystems',
  'mounts',
  'lsblk',
  'dockerd-cmdline',
  'daemon-json',
  'lvs',
  'thin-tools',
  'dmesg',
  'journal',
] as const;
export type CollectorSection = (typeof COLLECTOR_SECTIONS)[number];

/**
 * The script. `$1` is the nonce (hex, checked), `$2` is `sudo` or `direct`.
 * `$S` prefixes the commands that need root (device-mapper control, the kernel
 * log, docker's socket, daemon.json); `$T` bounds each step where `timeout`
 * exists: a pool blocked in queue_if_no_space can stall readers of its devices
 * (real-kernel-observations.md §10).
 */
// Written with @{ for the shell's ${ so the template literal leaves it alone.
export const COLLECTOR_SCRIPT = String.raw`# dmlens collector v1 (read-only; see server/src/core/inspect/collector.ts)
N=$1
case $N in ''|*[!0-9a-f]*) echo 'dmlens collector: bad nonce' >&2; exit 2;; esac
S=
[ "$2" = sudo ] && S='sudo -n'
LC_ALL=C
export LC_ALL
# The host's own PATH first; the admin directories after it (non-root logins often lack them).
PATH=$PATH:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export PATH
T=
command -v timeout >/dev/null 2>&1 && T='timeout 20'
# Tools are run by absolute path: a busybox timeout would otherwise run its own
# applet of the same name (seen with losetup), and sudoers rules name paths.
P=
exec 3>&1
begin() { printf '\n@@%s@@ begin %s\n' "$N" "$1"; }
finish() {
  printf '\n@@%s@@ stderr\n' "$N"
  [ -n "$2" ] && printf '%s' "$2"
  printf '\n@@%s@@ end %s\n' "$N" "$1"
}
# sec NAME CMD ARGS...: stdout straight through, stderr captured, exit status kept.
sec() {
  _n=$1
  shift
  begin "$_n"
  _e=$("$@" 2>&1 1>&3)
  finish $? "$_e"
}
# A section that needs a tool: rc 127 with a fixed text when it is not installed.
need() {
  P=$(command -v "$1" 2>/dev/null) && [ -n "$P" ] && return 0
  begin "$2"
  finish 127 "$1: not found"
  return 1
}
begin collector
printf 'version 1\nmode %s\nuid %s\n' "$2" "$(id -u)"
finish 0 ''
sec kernel uname -r
sec whoami id -un
sec hostname uname -n
if need docker docker-version; then
  sec docker-version $T $S "$P" version --format '{{.Server.Version}}'
  sec docker-driver $T $S "$P" info --format '{{.Driver}}{{"\n"}}{{json .DriverStatus}}{{"\n"}}{{.DockerRootDir}}'
  sec docker-info $T $S "$P" info
else
  begin docker-driver; finish 127 'docker: not found'
  begin docker-info; finish 127 'docker: not found'
fi
if need dmsetup dmsetup-version; then
  sec dmsetup-version $T $S "$P" version
  sec dmsetup-ls $T $S "$P" ls
  sec dmsetup-status $T $S "$P" status
  sec dmsetup-table $T $S "$P" table
  sec dmsetup-info $T $S "$P" info -c
else
  for _s in dmsetup-ls dmsetup-status dmsetup-table dmsetup-info; do begin $_s; finish 127 'dmsetup: not found'; done
fi
if need losetup losetup; then
  sec losetup $T $S "$P" -l
fi
# Every block device: kernel name, maj:min, discard_max_bytes, dm name (sysfs is world-readable).
blockdevs() {
  for _d in /sys/block/*; do
    [ -e "$_d/dev" ] || continue
    _name=$(cat "$_d/dm/name" 2>/dev/null)
    printf '%s\t%s\t%s\t%s\t%s\n' "@{_d##*/}" "$(cat "$_d/dev")" "$(cat "$_d/queue/discard_max_bytes" 2>/dev/null)" "$(cat "$_d/size" 2>/dev/null)" "$_name"
  done
}
sec block-devices blockdevs
# Loop backing files: name, apparent bytes, allocated blocks, block unit (stat -c '%n|%s|%b|%B').
STAT=$(command -v stat 2>/dev/null)
loopfiles() {
  for _d in /sys/block/loop*; do
    [ -r "$_d/loop/backing_file" ] || continue
    _f=$(cat "$_d/loop/backing_file")
    printf 'loop %s %s\n' "@{_d##*/}" "$_f"
    $T $S "$STAT" -c '%n|%s|%b|%B' -- "$_f" || printf 'stat-failed %s\n' "@{_d##*/}"
  done
}
sec loop-files loopfiles
# The filesystem under each loop file and under docker's root: type, mount point, free KiB.
filesystems() {
  _dirs=/var/lib/docker
  for _d in /sys/block/loop*; do
    [ -r "$_d/loop/backing_file" ] || continue
    _f=$(cat "$_d/loop/backing_file")
    _dirs="$_dirs
@{_f%/*}"
  done
  printf '%s\n' "$_dirs" | sort -u | while IFS= read -r _dir; do
    [ -d "$_dir" ] || continue
    printf 'dir %s\n' "$_dir"
    findmnt -n -r -o FSTYPE,TARGET,SOURCE -T "$_dir" 2>/dev/null | head -n 1 | sed 's/^/mnt /'
    df -P -k "$_dir" 2>/dev/null | tail -n 1 | sed 's/^/df /'
  done
}
sec filesystems filesystems
mounts() { grep -E '^/dev/(mapper/|dm-)' /proc/mounts; return 0; }
sec mounts mounts
if need lsblk lsblk; then
  # -d: each device once (holders are listed by the block-devices section).
  sec lsblk $T "$P" -d -b -P -o NAME,KNAME,MAJ:MIN,TYPE,SIZE,DISC-GRAN,DISC-MAX,DISC-ZERO
fi
# dockerd's own arguments, one per line: flags can carry storage options too.
dockerdargs() {
  for _p in /proc/[0-9]*; do
    [ "$(cat "$_p/comm" 2>/dev/null)" = dockerd ] || continue
    tr '\000' '\n' < "$_p/cmdline"
    printf '\n'
    break
  done
  return 0
}
sec dockerd-cmdline dockerdargs
daemonjson() {
  [ -e /etc/docker/daemon.json ] || { echo 'no /etc/docker/daemon.json' >&2; return 3; }
  $T $S "$(command -v cat)" /etc/docker/daemon.json
}
sec daemon-json daemonjson
if need lvs lvs; then
  sec lvs $T $S "$P" --noheadings --units b --nosuffix --separator '|' -o vg_name,lv_name,lv_attr,lv_size,data_percent,metadata_percent,pool_lv,lv_metadata_size,chunk_size
fi
thintools() {
  command -v thin_check >/dev/null 2>&1 && printf 'thin_check %s\n' "$(thin_check -V 2>&1 | head -n 1)"
  command -v dpkg-query >/dev/null 2>&1 && dpkg-query -W -f 'dpkg @{Version}\n' thin-provisioning-tools 2>/dev/null
  command -v rpm >/dev/null 2>&1 && rpm -q --qf 'rpm %{VERSION}-%{RELEASE}\n' device-mapper-persistent-data 2>/dev/null
  return 0
}
sec thin-tools thintools
# The last device-mapper lines of the kernel log and of dockerd's journal.
kernellog() {
  _k=$($T $S "$(command -v dmesg)" 2>&1) || { printf '%s\n' "$_k" | head -n 3 >&2; return 1; }
  printf '%s\n' "$_k" | grep -E 'device-mapper|dm-[0-9]|thin|loop[0-9]|DISCARD|space map|persistent-data' | tail -n 300
  return 0
}
sec dmesg kernellog
journal() {
  _j=$(command -v journalctl 2>/dev/null) || { echo 'journalctl: not found' >&2; return 127; }
  $T $S "$_j" -u docker -o short-iso --no-pager -n 5000 2>&1 | grep -iE 'devmapper|devicemapper|thin ?pool|dm_task|storage-driver' | tail -n 300
  return 0
}
sec journal journal
`.replaceAll('@{', '${');
