# Shared helpers for the lab scenarios, piped before each scenario into
# `sh -s` over SSH (dm-thin-lab.md §8). Guest shell: dash.
set -eu
PATH=/usr/sbin:/usr/bin:/sbin:/bin
DM_DISABLE_UDEV=1 # no udev: libdevmapper makes the /dev/mapper nodes itself (§12.2)
export PATH DM_DISABLE_UDEV

say() { echo "== $*"; }
# mounted DIR: is something mounted at DIR? (busybox here has no `mountpoint`)
mounted() { awk -v d="$1" '$2 == d { f = 1 } END { exit !f }' /proc/mounts; }
# run CMD…: echo it like a transcript, run it, print rc and seconds (§8).
run() {
  echo "# $*"
  t0=$(cut -d' ' -f1 /proc/uptime)
  rc=0
  "$@" || rc=$?
  t1=$(cut -d' ' -f1 /proc/uptime)
  echo "  [rc=$rc, $(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.2f", b-a}')s]"
  return 0
}

# backing_fs DEV FSTYPE DIR: format DEV and mount it at DIR unless already mounted.
# The disks are recreated empty on every boot, so formatting loses nothing.
backing_fs() {
  if mounted "$3"; then return 0; fi
  mkdir -p "$3"
  case $2 in
    ext4) mkfs.ext4 -q -F "$1" ;;
    jfs) mkfs.jfs -q "$1" >/dev/null ;;
    vfat) mkdosfs -F 32 "$1" >/dev/null ;; # busybox applet
  esac
  mount -t "$2" "$1" "$3"
}

# loop_for FILE: the loop device attached to FILE, attaching it if needed.
loop_for() {
  dev=$(losetup -j "$1" | cut -d: -f1 | head -n1)
  [ -n "$dev" ] || dev=$(losetup -f --show "$1")
  echo "$dev"
}

# sectors FILE: size in 512-byte sectors, for table lengths.
sectors() { echo $(( $(stat -c %s "$1") / 512 )); }

# exists NAME: is there a dm device NAME?
exists() { dmsetup info "$1" >/dev/null 2>&1; }

# pool NAME DIR DATA_SIZE META_SIZE LWM [FEATURES…]: a thin-pool on sparse files
# DIR/data.img and DIR/meta.img (loop-lvm style, §6), 64 KiB blocks.
pool() {
  name=$1 dir=$2 dsize=$3 msize=$4 lwm=$5
  shift 5
  if exists "$name"; then return 0; fi
  [ -e "$dir/data.img" ] || truncate -s "$dsize" "$dir/data.img"
  [ -e "$dir/meta.img" ] || truncate -s "$msize" "$dir/meta.img"
  data=$(loop_for "$dir/data.img")
  meta=$(loop_for "$dir/meta.img")
  # a fresh metadata device must start zeroed (first 4 KiB = no superblock)
  dd if=/dev/zero of="$meta" bs=4096 count=1 conv=fsync 2>/dev/null
  up=$(echo "$name" | tr 'a-z' 'A-Z')
  run dmsetup create "$name" --uuid "$up-POOL" --table "0 $(sectors "$dir/data.img") thin-pool $meta $data 128 $lwm $# $*"
}

# thin POOL ID NAME SIZE_SECTORS: thin volume ID of POOL, activated as NAME.
thin() {
  if exists "$3"; then return 0; fi
  run dmsetup message "$1" 0 create_thin "$2"
  up=$(echo "$3" | tr 'a-z' 'A-Z')
  run dmsetup create "$3" --uuid "$up-$2" --table "0 $4 thin /dev/mapper/$1 $2"
}

# thin_fs NAME MOUNTPOINT: ext4 (no lazy init, §3.1) on a thin volume, mounted.
thin_fs() {
  if mounted "$2"; then return 0; fi
  mkdir -p "$2"
  run mkfs.ext4 -q -E lazy_itable_init=0,lazy_journal_init=0 "/dev/mapper/$1"
  run mount -t ext4 "/dev/mapper/$1" "$2"
}
