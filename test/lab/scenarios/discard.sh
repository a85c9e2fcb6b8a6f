# Discard scenarios (observations §3): a pool on sparse files on a backing
# filesystem, one ext4 thin volume mounted at /mnt/lab-<fs>.
#   $1 = ext4 | jfs | vfat   $2 = disk   $3 = data file size
#   ext4: the loop device takes discards and punches holes → discard_passdown, file shrinks
#   jfs:  no ->fallocate → the kernel disables passdown itself (no_discard_passdown)
#   vfat: ->fallocate without PUNCH_HOLE → status says discard_passdown, file never shrinks
fs=$1 disk=$2 dsize=$3
backing_fs "$disk" "$fs" "/srv/$fs"
pool "lab-$fs" "/srv/$fs" "$dsize" 16M 1024
thin "lab-$fs" 0 "lab-$fs-thin" 2097152 # 1 GiB
thin_fs "lab-$fs-thin" "/mnt/lab-$fs"
run dmsetup table "lab-$fs"
run dmsetup status "lab-$fs"
