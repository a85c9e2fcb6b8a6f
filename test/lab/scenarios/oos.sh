# Out of data space (observations §5): two 64 MiB pools with a 256 MiB thin
# volume each, written to directly until the pool is full.
#   lab-oos        error_if_no_space: the writer fails at once
#   lab-oos-queue  queue_if_no_space: the writer blocks until no_space_timeout
#                  (set to 5 s here, 60 by default), then the status field
#                  itself flips to error_if_no_space.
backing_fs /dev/vdd ext4 /srv/misc
fill() { # fill THIN: 128 MiB of direct writes into a 64 MiB pool
  run sh -c "dd if=/dev/zero of=/dev/mapper/$1 bs=1M count=128 oflag=direct 2>&1"
}
mkdir -p /srv/misc/oos /srv/misc/oos-queue
if ! exists lab-oos; then
  pool lab-oos /srv/misc/oos 64M 8M 256 error_if_no_space
  thin lab-oos 0 lab-oos-thin 524288
  fill lab-oos-thin
fi
if ! exists lab-oos-queue; then
  pool lab-oos-queue /srv/misc/oos-queue 64M 8M 256
  thin lab-oos-queue 0 lab-oos-queue-thin 524288
  old=$(cat /sys/module/dm_thin_pool/parameters/no_space_timeout)
  echo 5 > /sys/module/dm_thin_pool/parameters/no_space_timeout
  fill lab-oos-queue-thin
  echo "$old" > /sys/module/dm_thin_pool/parameters/no_space_timeout
fi
run dmsetup table lab-oos
run dmsetup status lab-oos
run dmsetup status lab-oos-thin
run dmsetup table lab-oos-queue
run dmsetup status lab-oos-queue
