#!/usr/bin/env bash
# Builds the dm-thin lab guest: Debian's stock kernel plus a home-made
# initramfs (../shared/guides/dm-thin-lab.md §2–§5). Everything lands in the
# gitignored .cache/lab/:
#   debs/   .debs fetched with `apt-get download` (never installed on the host)
#   pkg/    those .debs unpacked with dpkg-deb -x, one directory each
#   keys/   lab-only SSH keys, generated once and kept across rebuilds
#   out/    vmlinuz, initramfs.cpio.gz, known_hosts template
# Incremental: a stamp of every input (this script, guest/, the .debs, the
# host binaries copied in) decides whether the initramfs must be rebuilt.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
lab=${DMLENS_LAB_DIR:-$repo/.cache/lab}
debs=$lab/debs pkg=$lab/pkg keys=$lab/keys out=$lab/out
mkdir -p "$debs" "$pkg" "$keys" "$out"
log() { printf 'lab build: %s\n' "$*" >&2; }

# --- 1. Host tools (§2). Installed only when we are root; otherwise say how. ---
host_pkgs=(qemu-system-x86 qemu-utils busybox-static dropbear-bin cpio kmod openssh-client dmsetup e2fsprogs util-linux)
need_cmds=(qemu-system-x86_64 dropbear dropbearkey cpio depmod modprobe dmsetup mke2fs losetup ssh ssh-keygen dash apt-get dpkg-deb)
missing=()
for c in "${need_cmds[@]}"; do command -v "$c" >/dev/null 2>&1 || missing+=("$c"); done
# busybox-static: the dynamic busybox package also provides /bin/busybox, so check the file.
bb=$(LC_ALL=C ldd /bin/busybox 2>&1 || true)
[[ $bb == *"not a dynamic executable"* ]] || missing+=(busybox-static)
if ((${#missing[@]})); then
  if [[ $(id -u) -eq 0 ]]; then
    log "installing host packages (missing: ${missing[*]})"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${host_pkgs[@]}" >&2
  else
    log "missing: ${missing[*]}. Run as root:"
    echo "apt-get install --no-install-recommends ${host_pkgs[*]}" >&2
    exit 2
  fi
fi

# --- 2. Guest packages, downloaded not installed (§2). ---
# The kernel is whatever linux-image-amd64 points at, resolved once and then
# remembered, so the cache does not chase the archive on every build.
if [[ ! -s $debs/kernel-package ]]; then
  kpkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
  if [[ -z $kpkg ]]; then
    log "apt lists empty; running apt-get update"
    apt-get update -qq >&2
    kpkg=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
  fi
  echo "$kpkg" > "$debs/kernel-package"
fi
kpkg=$(cat "$debs/kernel-package")
# libinih1/liburcu8: mkfs.xfs; libaio1/libexpat1: pdata_tools; sudo for `ops`.
guest_pkgs=("$kpkg" thin-provisioning-tools xfsprogs jfsutils libinih1 liburcu8 libaio1 libexpat1 sudo)
for p in "${guest_pkgs[@]}"; do
  if ! compgen -G "$debs/${p}_*.deb" >/dev/null; then
    log "apt-get download $p"
    (cd "$debs" && apt-get download -q -o APT::Sandbox::User=root "$p" >&2)
  fi
done
for p in "${guest_pkgs[@]}"; do
  deb=$(compgen -G "$debs/${p}_*.deb" | head -1)
  if [[ ! -e $pkg/$p/.unpacked || $deb -nt $pkg/$p/.unpacked ]]; then
    log "unpacking $(basename "$deb")"
    rm -rf "${pkg:?}/$p" && mkdir -p "$pkg/$p"
    dpkg-deb -x "$deb" "$pkg/$p"
    touch "$pkg/$p/.unpacked"
  fi
done
ktree=$pkg/$kpkg
kver=$(ls "$ktree/lib/modules")
if [[ ! -e $ktree/.depmod ]]; then
  depmod -b "$ktree" "$kver" && touch "$ktree/.depmod"
fi

# --- 3. Keys (§5): generated once, kept, never committed (.cache/ is gitignored). ---
[[ -e $keys/id_ed25519 ]] || ssh-keygen -q -t ed25519 -N '' -C dmlens-lab-client -f "$keys/id_ed25519"
[[ -e $keys/dropbear_ed25519_host_key ]] || dropbearkey -t ed25519 -f "$keys/dropbear_ed25519_host_key" >/dev/null 2>&1
# The public half, without a host pattern: the start step writes
# "[127.0.0.1]:<port> <key>" once it knows the port.
dropbearkey -y -f "$keys/dropbear_ed25519_host_key" | grep '^ssh-ed25519 ' | cut -d' ' -f1,2 > "$out/host_key.pub"

# --- 3b. Optional Docker 20.10 image (§11), built beside the initramfs when
# its inputs change. Skipped with DMLENS_LAB_DOCKER=0.
docker_image() {
  local dpkgs=(docker.io containerd runc tini) p deb stage=$lab/docker-stage
  for p in "${dpkgs[@]}"; do
    compgen -G "$debs/${p}_*.deb" >/dev/null || { log "apt-get download $p"; (cd "$debs" && apt-get download -q -o APT::Sandbox::User=root "$p" >&2); }
  done
  local dstamp
  dstamp=$( { sha256sum < "$0"; for p in "${dpkgs[@]}"; do basename "$(compgen -G "$debs/${p}_*.deb" | head -1)"; done; } | sha256sum | cut -d' ' -f1)
  [[ -e $out/docker.img && $(cat "$out/docker.stamp" 2>/dev/null) == "$dstamp" ]] && return 0
  for p in "${dpkgs[@]}"; do
    deb=$(compgen -G "$debs/${p}_*.deb" | head -1)
    rm -rf "${pkg:?}/$p" && mkdir -p "$pkg/$p" && dpkg-deb -x "$deb" "$pkg/$p"
  done
  rm -rf "$stage" && mkdir -p "$stage/bin" "$stage/lib" "$stage/payload"
  cp "$(find "$pkg/docker.io" -path '*bin/dockerd' -type f)" "$(find "$pkg/docker.io" -path '*bin/docker' -type f)" "$stage/bin/"
  cp "$(find "$pkg/containerd" -path '*bin/containerd' -type f)" "$(find "$pkg/containerd" -path '*bin/containerd-shim-runc-v2' -type f)" "$stage/bin/"
  cp "$(find "$pkg/runc" -path '*bin/runc' -type f)" "$stage/bin/"
  cp "$(find "$pkg/tini" -path '*bin/tini-static' -type f)" "$stage/bin/docker-init"
  # dockerd re-executes itself with a clean environment, so the guest copies
  # these into its library directory rather than using LD_LIBRARY_PATH (§11.6).
  local f lib
  for f in "$stage"/bin/*; do
    { LD_LIBRARY_PATH=$libpath ldd "$f" 2>/dev/null || true; } | awk '$2 == "=>" && $3 ~ /^\// {print $3}' | while read -r lib; do cp -Ln "$lib" "$stage/lib/"; done
  done
  # A tiny image to import: static busybox plus 32 MiB of random data, so the pool visibly grows.
  mkdir -p "$stage/payload/rootfs/bin"
  cp /bin/busybox "$stage/payload/rootfs/bin/busybox"
  head -c 33554432 /dev/urandom > "$stage/payload/rootfs/random.bin"
  tar -C "$stage/payload/rootfs" -cf "$stage/payload.tar" . && rm -rf "$stage/payload"
  rm -f "$out/docker.img"
  mkfs.ext4 -q -d "$stage" -L dockerbin "$out/docker.img" 512M >/dev/null
  rm -rf "$stage"
  echo "$dstamp" > "$out/docker.stamp"
  log "docker image $(du -h "$out/docker.img" | cut -f1)"
}

# --- 4. Is a rebuild needed? ---
host_bins=(/bin/busybox dash dmsetup mke2fs e2fsck tune2fs dumpe2fs losetup fstrim blkdiscard fallocate lsblk findmnt blkid mkfs.minix blockdev dmesg stat sync cat dropbear)
libpath=$(find "$pkg" -path '*/lib/x86_64-linux-gnu' -type d -not -path "$ktree/*" | tr '\n' ':')$pkg/sudo/usr/libexec/sudo
[[ ${DMLENS_LAB_DOCKER:-1} == 0 ]] || docker_image
resolve() { if [[ $1 == /* ]]; then echo "$1"; else command -v "$1"; fi; }
stamp=$( {
  (cd "$here" && sha256sum build.sh guest/*)
  sha256sum < "$keys/id_ed25519.pub"; sha256sum < "$keys/dropbear_ed25519_host_key"
  for p in "${guest_pkgs[@]}"; do ls -l --time-style=+%s "$(compgen -G "$debs/${p}_*.deb" | head -1)"; done
  for b in "${host_bins[@]}"; do ls -lL --time-style=+%s "$(resolve "$b")"; done
} | sha256sum | cut -d' ' -f1)
if [[ -e $out/initramfs.cpio.gz && -e $out/vmlinuz && $(cat "$out/stamp" 2>/dev/null) == "$stamp" ]]; then
  log "up to date"
  exit 0
fi

# --- 5. The initramfs tree (§4). Rebuilt from scratch: about a second. ---
root=$lab/initramfs
rm -rf "$root"
mkdir -p "$root"/{usr/bin,usr/sbin,usr/lib/x86_64-linux-gnu,usr/lib64,usr/libexec,etc/dropbear,etc/pam.d,proc,sys,dev,run,tmp,mnt,var/log,home/ops/.ssh,home/nosudo/.ssh,root/.ssh}
for d in bin sbin lib lib64; do ln -s "usr/$d" "$root/$d"; done
ln -s /run "$root/var/run" # dockerd's socket and pidfile paths
chmod 700 "$root/root/.ssh" "$root/home/ops/.ssh" "$root/home/nosudo/.ssh"
chmod 1777 "$root/tmp"

# Copies a binary and the libraries ldd reports (§4.2). LD_LIBRARY_PATH ($libpath)
# lets binaries unpacked from .debs find libraries that are unpacked beside them.
copy_libs() {
  local f=$1 lib
  LD_LIBRARY_PATH=$libpath ldd "$f" 2>/dev/null | grep -q 'not found' && { log "unresolved libraries in $f:"; LD_LIBRARY_PATH=$libpath ldd "$f" >&2; exit 1; }
  while read -r lib; do
    case $lib in
      */ld-linux-x86-64.so.2) cp -Ln "$lib" "$root/usr/lib64/" ;;
      /*) cp -Ln "$lib" "$root/usr/lib/x86_64-linux-gnu/" ;;
    esac
  done < <(LD_LIBRARY_PATH=$libpath ldd "$f" 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\/.*ld-linux/ {print $1}')
}
copy_bin() { # copy_bin <source file> <dest path inside the guest>
  cp -L "$1" "$root/$2"
  copy_libs "$1"
}

copy_bin /bin/busybox usr/bin/busybox
copy_bin "$(command -v dash)" usr/bin/dash
ln -s dash "$root/usr/bin/sh" # §4.3: busybox ash would run its own applets instead of util-linux
for b in dmsetup mke2fs e2fsck tune2fs dumpe2fs losetup fstrim blkdiscard blkid mkfs.minix blockdev; do
  copy_bin "$(command -v "$b")" "usr/sbin/$b"
done
for b in fallocate lsblk findmnt dmesg stat sync cat; do copy_bin "$(command -v "$b")" "usr/bin/$b"; done
for f in mkfs.ext4 mkfs.ext3 mkfs.ext2; do ln -s mke2fs "$root/usr/sbin/$f"; done
cp /etc/mke2fs.conf "$root/etc/"
copy_bin "$(command -v dropbear)" usr/sbin/dropbear
# Bookworm packages are not all usr-merged yet: find a binary wherever the .deb put it.
in_pkg() { find "$pkg/$1" -path "*bin/$2" -type f | head -1; }
copy_bin "$(in_pkg thin-provisioning-tools pdata_tools)" usr/sbin/pdata_tools
for t in thin_check thin_dump thin_ls thin_delta thin_metadata_size thin_repair thin_restore thin_rmap thin_trim; do
  ln -s pdata_tools "$root/usr/sbin/$t"
done
copy_bin "$(in_pkg xfsprogs mkfs.xfs)" usr/sbin/mkfs.xfs
copy_bin "$(in_pkg xfsprogs xfs_io)" usr/sbin/xfs_io
copy_bin "$(in_pkg jfsutils jfs_mkfs)" usr/sbin/mkfs.jfs

# sudo from Debian's package: setuid root, its plugins, and pam_permit.
copy_bin "$(in_pkg sudo sudo)" usr/bin/sudo
chmod 4755 "$root/usr/bin/sudo"
cp -a "$pkg/sudo/usr/libexec/sudo" "$root/usr/libexec/"
for so in "$pkg"/sudo/usr/libexec/sudo/*.so*; do [[ -L $so ]] || copy_libs "$so"; done
mkdir -p "$root/usr/lib/x86_64-linux-gnu/security"
cp /usr/lib/x86_64-linux-gnu/security/pam_permit.so "$root/usr/lib/x86_64-linux-gnu/security/"
copy_libs /usr/lib/x86_64-linux-gnu/security/pam_permit.so
install -m 0440 "$here/guest/sudoers" "$root/etc/sudoers"
install -m 0644 "$here/guest/pam-sudo" "$root/etc/pam.d/sudo"

# Every busybox applet that no real binary above provides.
while read -r applet; do
  dest=$applet
  case $dest in bin/*) dest=usr/$dest ;; sbin/*) dest=usr/$dest ;; esac
  [[ -e $root/$dest || -L $root/$dest ]] || ln -s /usr/bin/busybox "$root/$dest"
done < <(/bin/busybox --list-full)

# Accounts, profile, init (§4.4).
install -m 0755 "$here/guest/init" "$root/init"
for f in inittab profile passwd group; do install -m 0644 "$here/guest/$f" "$root/etc/$f"; done
install -m 0640 "$here/guest/shadow" "$root/etc/shadow"
echo /bin/sh > "$root/etc/shells"
echo thinlab > "$root/etc/hostname"
printf '127.0.0.1 localhost\n127.0.1.1 thinlab\n' > "$root/etc/hosts"
install -m 0600 "$keys/dropbear_ed25519_host_key" "$root/etc/dropbear/"
for h in root home/ops home/nosudo; do install -m 0600 "$keys/id_ed25519.pub" "$root/$h/.ssh/authorized_keys"; done

# --- 6. Kernel modules (§3). ---
modules=(crc32c_generic crc32c-intel virtio_pci virtio_blk virtio_net virtio_rng dm_thin_pool loop ext4 xfs jfs minix vfat nls_cp437 nls_iso8859_1 nls_ascii)
: > "$root/etc/modules.load"
for m in "${modules[@]}"; do
  modprobe -d "$ktree" -S "$kver" --show-depends "$m" | awk '$1 == "insmod" {print $2}'
done | awk '!seen[$0]++' | while read -r ko; do
  rel=${ko#"$ktree"/}
  mkdir -p "$root/$(dirname "$rel")"
  cp "$ko" "$root/$rel"
  echo "$rel" >> "$root/etc/modules.load"
done
mkdir -p "$root/lib/modules/$kver"
cp "$ktree/lib/modules/$kver"/modules.{order,builtin,builtin.modinfo} "$root/usr/lib/modules/$kver/"
depmod -b "$root" "$kver"

# --- 7. Pack. --owner 0:0 so the result does not depend on who builds. ---
(cd "$root" && find . -print0 | cpio --null -o -H newc --quiet --owner 0:0 | gzip -1) > "$out/initramfs.cpio.gz.tmp"
mv "$out/initramfs.cpio.gz.tmp" "$out/initramfs.cpio.gz"
cp "$ktree/boot/vmlinuz-$kver" "$out/vmlinuz"
echo "$stamp" > "$out/stamp"
log "initramfs $(du -h "$out/initramfs.cpio.gz" | cut -f1), $(wc -l < "$root/etc/modules.load") modules, kernel $kver"
