/**
 * The one fixed script that runs a mutating reclaim step on a host:
 * `sh -s -- <op> <direct|sudo> [mountpoint]`. It knows four operations and
 * nothing else; the mount point is checked by `checkMountPoint` before it is
 * ever put on the ssh command line, and again here (absolute, a mount point
 * of a device-mapper device) before fstrim sees it.
 */
export const RECLAIM_SCRIPT = String.raw`# dmlens reclaim step (see server/src/core/reclaim/reclaimScript.ts)
S=
[ "$2" = sudo ] && S='sudo -n'
LC_ALL=C
export LC_ALL
PATH=$PATH:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export PATH
case $1 in
sync)
  exec $S "$(command -v sync)" ;;
fstrim)
  case $3 in /*) ;; *) echo "dmlens: not an absolute path: $3" >&2; exit 2 ;; esac
  # Only a filesystem on a device-mapper device: never the host's root or a loop file's filesystem.
  src=$(awk -v m="$3" '$2 == m { print $1 }' /proc/mounts | tail -n 1)
  case $src in /dev/mapper/*|/dev/dm-*) ;; *) echo "dmlens: $3 is not a mounted device-mapper filesystem (source: $src)" >&2; exit 2 ;; esac
  exec $S "$(command -v fstrim)" -v "$3" ;;
prune-containers)
  exec $S "$(command -v docker)" container prune -f ;;
prune-images)
  exec $S "$(command -v docker)" image prune -f ;;
*)
  echo "dmlens: unknown step $1" >&2; exit 2 ;;
esac
`;
