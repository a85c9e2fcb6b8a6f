# dockerd 20.10 (Debian's docker.io) with storage-driver devicemapper in
# loop-lvm mode (dm-thin-lab.md §11). Its binaries come on a read-only ext4
# image labelled "dockerbin" (built by build.sh); /var/lib/docker lives on the
# ext4 misc disk. The daemon.json written here is the one dockerd reads.
backing_fs /dev/vdd ext4 /srv/misc
mkdir -p /opt/docker /srv/misc/docker /var/lib/docker /etc/docker
mounted /opt/docker || mount -o ro "$(blkid -L dockerbin)" /opt/docker
# dockerd re-executes itself with a clean environment: LD_LIBRARY_PATH is not enough (§11.6).
cp -n /opt/docker/lib/* /usr/lib/x86_64-linux-gnu/ 2>/dev/null || true
mounted /sys/fs/cgroup || mount -t cgroup2 cgroup2 /sys/fs/cgroup
mounted /var/lib/docker || mount --bind /srv/misc/docker /var/lib/docker
PATH=/opt/docker/bin:$PATH
export PATH
# The docker CLI where tools (and sudo's secure_path) look for it.
ln -sf /opt/docker/bin/docker /usr/bin/docker
# No udev in the guest: without dm.override_udev_sync_check the driver refuses to start.
cat > /etc/docker/daemon.json <<'JSON'
{
  "storage-driver": "devicemapper",
  "storage-opts": [
    "dm.loopdatasize=2G",
    "dm.loopmetadatasize=128M",
    "dm.basesize=1G",
    "dm.fs=ext4",
    "dm.override_udev_sync_check=true"
  ],
  "iptables": false,
  "ip-masq": false,
  "bridge": "none"
}
JSON
if ! docker version >/dev/null 2>&1; then
  echo "# dockerd (log: /var/log/dockerd.log)"
  setsid dockerd </dev/null >/var/log/dockerd.log 2>&1 &
  i=0
  until docker version >/dev/null 2>&1; do
    i=$((i + 1))
    if [ $i -gt 300 ]; then tail -n 30 /var/log/dockerd.log; exit 1; fi
    sleep 0.2
  done
  echo "  [up after $(awk -v n=$i 'BEGIN{printf "%.1f", n*0.2}')s]"
fi
docker image inspect lab/tiny:1 >/dev/null 2>&1 || run docker import /opt/docker/payload.tar lab/tiny:1
run docker info --format '{{.Driver}} {{json .DriverStatus}}'
run docker version --format '{{.Server.Version}}'
run dmsetup status
