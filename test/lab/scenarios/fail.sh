# Metadata exhaustion (observations §6): a pool with a tiny (1 MiB) metadata
# device and a large sparse data file, fed scattered 4 KiB direct writes — one
# new 64 KiB block each, so every write adds a mapping — until the metadata
# runs out: low-water-mark event → read-only → fail.
# skip_block_zeroing keeps the data file small (only the 4 KiB are written).
backing_fs /dev/vdd ext4 /srv/misc
mkdir -p /srv/misc/fail
# One pwrite command per 64 KiB block (%.0f: busybox awk's %d stops at 2^31).
writes() { awk 'BEGIN { for (i = 0; i < 131072; i++) printf "pwrite -q %.0f 4096\n", i * 65536 }'; }
if ! exists lab-fail; then
  pool lab-fail /srv/misc/fail 8G 1M 0 skip_block_zeroing
  thin lab-fail 0 lab-fail-thin 16777216 # 8 GiB
  # One xfs_io process for all writes: far cheaper than one dd per block under
  # TCG. Its first few errors are enough; head then ends it with SIGPIPE.
  echo "# xfs_io -d /dev/mapper/lab-fail-thin  (4 KiB pwrite at every 64 KiB)"
  t0=$(cut -d' ' -f1 /proc/uptime)
  writes | TERM=dumb xfs_io -d /dev/mapper/lab-fail-thin 2>&1 | grep -v -e termcap -e 'dumb terminal' | head -n 3 || true
  echo "  [$(awk -v a="$t0" -v b="$(cut -d' ' -f1 /proc/uptime)" 'BEGIN{printf "%.2f", b-a}')s]"
fi
run dmsetup status lab-fail
run dmsetup status lab-fail-thin
run dmsetup info lab-fail
