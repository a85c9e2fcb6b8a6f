/**
 * Filesystems that may hold a loop-backed pool file (the sparse `data` file of
 * Docker's loop-lvm mode, or any dm-thin pool on loop files), and whether
 * space freed in the pool can come back to them.
 *
 * The mechanism (devicemapper.md §6.1, S31): a loop device turns a discard into
 * `fallocate(FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE)` on its backing file,
 * and advertises discard only when the backing filesystem has `->fallocate`
 * at all. Hence three cases:
 *
 * * `->fallocate` with PUNCH_HOLE: the file shrinks (`punchHole: 'yes'`).
 * * no `->fallocate`: the loop device advertises `discard_max_bytes=0`, the
 *   kernel disables passdown when the pool is created ("Data device (loopN)
 *   discard unsupported: Disabling discard passdown.") and the status says
 *   `no_discard_passdown` (`punchHole: 'no'`).
 * * `->fallocate` without PUNCH_HOLE: the loop device advertises discard, the
 *   pool says `discard_passdown`, every passed-down discard fails with
 *   `op 0x3:(DISCARD)` errors and the file never shrinks — the `trap`.
 *
 * Keys are the names `findmnt -o FSTYPE` and /proc/mounts print. Where the
 * answer depends on the kernel, the driver or the server, the entry says
 * 'unknown' and its `why` says on what.
 */

export type PunchHole = 'yes' | 'no' | 'unknown';

export interface BackingFsInfo {
  /** The type as `findmnt -o FSTYPE` prints it (lower case). */
  readonly fsType: string;
  /** Whether the loop driver's PUNCH_HOLE on a file there frees its blocks. */
  readonly punchHole: PunchHole;
  /**
   * The loop device advertises discard and the pool reports `discard_passdown`,
   * but hole punching fails: the status looks healthy while the file never shrinks.
   */
  readonly trap?: true;
  /** Mounted read-only by nature: a pool's data file cannot live there. */
  readonly readOnly?: true;
  /** Measured on a real kernel (real-kernel-observations.md §3). */
  readonly observed?: true;
  /** One sentence: why. */
  readonly why: string;
  readonly source: string;
}

// Sources, cited by short name in the entries.
const OBSERVED = 'real-kernel-observations.md §3.2–3.3 (Linux 6.1)';
const S31 = 'devicemapper.md §6.1 (S31 loop.c lo_fallocate)';
const MAN_FALLOCATE = 'fallocate(2): FALLOC_FL_PUNCH_HOLE on XFS since 2.6.38, ext4 3.0, Btrfs 3.7, tmpfs 3.5, gfs2 4.16';

const TABLE: readonly BackingFsInfo[] = [
  {
    fsType: 'ext4', punchHole: 'yes', observed: true,
    why: 'ext4 punches holes (extent files since Linux 3.0, indirect-mapped files since commit 8bad6fc813a3): the file shrank from 254912 to 50048 KiB after fstrim.',
    source: `${OBSERVED}; devicemapper.md §6.1 (S38); ${MAN_FALLOCATE}`,
  },
  {
    fsType: 'ext3', punchHole: 'yes', observed: true,
    why: 'Modern kernels mount ext3 with the ext4 driver, which punches holes in indirect-mapped files too (observed on 6.1); the old standalone ext3 driver (removed in Linux 4.3) had no fallocate, so the file never shrank (moby/moby#3182) and passdown was disabled.',
    source: `${OBSERVED}; devicemapper.md §6.1 (moby/moby#3182, S38)`,
  },
  {
    fsType: 'ext2', punchHole: 'unknown',
    why: 'Depends on the driver: the ext4 driver (CONFIG_EXT4_USE_FOR_EXT2) punches holes, the standalone ext2 driver has no fallocate (the pool then shows no_discard_passdown).',
    source: `${S31}; torvalds/linux fs/ext2/file.c ext2_file_operations (no .fallocate)`,
  },
  {
    fsType: 'xfs', punchHole: 'yes',
    why: 'XFS punches holes (since Linux 2.6.38, the first filesystem to do so); moving /var/lib/docker to xfs or ext4 fixed the never-shrinking file of moby/moby#3182.',
    source: `devicemapper.md §6.1; ${MAN_FALLOCATE}`,
  },
  {
    fsType: 'btrfs', punchHole: 'yes',
    why: 'Btrfs punches holes since Linux 3.7 (space still referenced by its snapshots stays allocated).',
    source: MAN_FALLOCATE,
  },
  {
    fsType: 'tmpfs', punchHole: 'yes',
    why: 'tmpfs punches holes since Linux 3.5 (shmem_fallocate); freed pages return to memory and swap.',
    source: `${MAN_FALLOCATE}; torvalds/linux mm/shmem.c shmem_fallocate`,
  },
  {
    fsType: 'f2fs', punchHole: 'yes',
    why: 'f2fs_fallocate punches holes, except in compressed or pinned files.',
    source: 'torvalds/linux fs/f2fs/file.c f2fs_fallocate / f2fs_punch_hole',
  },
  {
    fsType: 'jfs', punchHole: 'no', observed: true,
    why: 'jfs has no fallocate: the loop device advertises discard_max_bytes=0, the kernel disables passdown ("Data device (loopN) discard unsupported: Disabling discard passdown.") and the file keeps every byte.',
    source: `${OBSERVED}; torvalds/linux fs/jfs/file.c jfs_file_operations (no .fallocate)`,
  },
  {
    fsType: 'minix', punchHole: 'no', observed: true,
    why: 'minix has no fallocate: passdown is disabled by the kernel and the file never shrinks (its `ls -s` is derived from the size; use `df`).',
    source: OBSERVED,
  },
  {
    fsType: 'vfat', punchHole: 'no', trap: true, observed: true,
    why: 'vfat has fallocate but no PUNCH_HOLE: the loop device advertises discard and the pool says discard_passdown, yet every passed-down discard fails with "op 0x3:(DISCARD)" errors and the file (never sparse on FAT) never shrinks.',
    source: `${OBSERVED}; torvalds/linux fs/fat/file.c fat_fallocate ("No support for hole punch")`,
  },
  {
    fsType: 'msdos', punchHole: 'no', trap: true,
    why: 'msdos uses the same FAT driver code as vfat (fat_fallocate without PUNCH_HOLE): discards are advertised and passed down, then fail, and the file never shrinks.',
    source: `torvalds/linux fs/fat/file.c fat_fallocate; vfat row of ${OBSERVED}`,
  },
  {
    fsType: 'exfat', punchHole: 'no',
    why: 'The exfat driver cannot punch holes: through Linux 6.x it has no fallocate (passdown is disabled), and the fallocate later proposed for it only preallocates — that would turn it into a vfat-like trap.',
    source: 'torvalds/linux fs/exfat/file.c exfat_file_operations (no .fallocate); linux-fsdevel exfat_fallocate patches (mode 0 only)',
  },
  {
    fsType: 'ntfs3', punchHole: 'unknown',
    why: 'ntfs3 punches holes only in sparse or compressed files and refuses PUNCH_HOLE on others while having fallocate, so an ordinary loop file behaves like the vfat trap; files created on a volume mounted with `sparse` do shrink.',
    source: 'torvalds/linux fs/ntfs3/file.c ntfs_fallocate (is_supported_holes)',
  },
  {
    fsType: 'ntfs', punchHole: 'unknown',
    why: 'Depends on the kernel: the old ntfs driver and ntfs3\'s read-only "ntfs" alias have no fallocate (no passdown), while newer NTFS drivers registering "ntfs" may punch holes.',
    source: 'torvalds/linux fs/ntfs3/file.c ntfs_legacy_file_operations (no .fallocate); fs/ntfs/file.c',
  },
  {
    fsType: 'fuseblk', punchHole: 'unknown',
    why: 'FUSE always has fallocate in the kernel and forwards it to the userspace daemon (ntfs-3g for fuseblk): if the daemon does not implement PUNCH_HOLE the discards fail like vfat\'s.',
    source: `torvalds/linux fs/fuse/file.c fuse_file_fallocate; ${S31}`,
  },
  {
    fsType: 'fuse', punchHole: 'unknown',
    why: 'FUSE forwards fallocate to its userspace daemon (sshfs, glusterfs, …); whether PUNCH_HOLE works depends on that daemon, and a daemon without it gives vfat\'s trap.',
    source: `torvalds/linux fs/fuse/file.c fuse_file_fallocate; ${S31}`,
  },
  {
    fsType: 'reiserfs', punchHole: 'no',
    why: 'reiserfs has no fallocate: the loop device advertises no discard, passdown is disabled and the file never shrinks.',
    source: `torvalds/linux fs/reiserfs/file.c reiserfs_file_operations (no .fallocate); ${S31}`,
  },
  {
    fsType: 'nfs', punchHole: 'no',
    why: 'NFSv2/v3 mounts (type nfs) have no fallocate: the loop device advertises no discard and passdown is disabled.',
    source: `torvalds/linux fs/nfs/file.c nfs_file_operations (no .fallocate); ${S31}`,
  },
  {
    fsType: 'nfs4', punchHole: 'unknown',
    why: 'NFS 4.2 punches holes with DEALLOCATE when the server supports it; on 4.0/4.1 or without server support the client still has fallocate and the discards fail like vfat\'s.',
    source: 'torvalds/linux fs/nfs/nfs4file.c nfs42_fallocate (mode 0 or PUNCH_HOLE|KEEP_SIZE)',
  },
  {
    fsType: 'zfs', punchHole: 'unknown',
    why: 'Current OpenZFS accepts PUNCH_HOLE|KEEP_SIZE (zfs_space F_FREESP), early ZFS-on-Linux releases refused KEEP_SIZE, and blocks held by snapshots stay allocated; measure the pool.',
    source: 'openzfs/zfs module/os/linux/zfs/zpl_file.c zpl_fallocate_common (current and early versions)',
  },
  {
    fsType: 'overlay', punchHole: 'unknown',
    why: 'overlayfs passes fallocate to the real file in its upper layer, so the answer is that of the upper filesystem.',
    source: 'torvalds/linux fs/overlayfs/file.c ovl_fallocate',
  },
  {
    fsType: 'ocfs2', punchHole: 'unknown',
    why: 'ocfs2 punches holes only on volumes with the unwritten-extents feature; without it ocfs2_fallocate refuses every mode while existing, which gives vfat\'s trap.',
    source: 'torvalds/linux fs/ocfs2/file.c ocfs2_fallocate (ocfs2_writes_unwritten_extents)',
  },
  {
    fsType: 'gfs2', punchHole: 'unknown',
    why: 'gfs2 punches holes since Linux 4.16; older kernels (RHEL 7\'s among them) have a gfs2 fallocate that only preallocates, which gives vfat\'s trap.',
    source: `${MAN_FALLOCATE}; torvalds/linux fs/gfs2/file.c gfs2_fallocate (older: KEEP_SIZE only)`,
  },
  {
    fsType: 'cifs', punchHole: 'unknown',
    why: 'SMB3 mounts turn PUNCH_HOLE into "make sparse" plus FSCTL_SET_ZERO_DATA on the server, which fails with servers that cannot make the file sparse; whether space is freed is the server\'s business.',
    source: 'torvalds/linux fs/cifs/smb2ops.c smb3_fallocate / smb3_punch_hole',
  },
  {
    fsType: 'smb3', punchHole: 'unknown',
    why: 'Same client as cifs: PUNCH_HOLE becomes FSCTL_SET_ZERO_DATA on a sparse file, and the server decides whether space is freed.',
    source: 'torvalds/linux fs/cifs/smb2ops.c smb3_fallocate / smb3_punch_hole',
  },
  {
    fsType: 'squashfs', punchHole: 'no', readOnly: true,
    why: 'squashfs is read-only: a pool\'s data file cannot be written there at all.',
    source: 'squashfs is a read-only filesystem (Linux documentation)',
  },
  {
    fsType: 'iso9660', punchHole: 'no', readOnly: true,
    why: 'iso9660 is read-only: a pool\'s data file cannot be written there at all.',
    source: 'iso9660 is a read-only filesystem (Linux documentation)',
  },
  {
    fsType: 'erofs', punchHole: 'no', readOnly: true,
    why: 'erofs is read-only: a pool\'s data file cannot be written there at all.',
    source: 'erofs is a read-only filesystem (Linux documentation)',
  },
];

export const BACKING_FILESYSTEMS: ReadonlyMap<string, BackingFsInfo> = new Map(TABLE.map((e) => [e.fsType, e]));

/**
 * What the table knows about a filesystem type as findmnt prints it (case and
 * surrounding space ignored). FUSE subtypes (`fuse.sshfs`) get the `fuse`
 * entry; anything else unknown gets `punchHole: 'unknown'`.
 */
export function backingFilesystem(fsType: string): BackingFsInfo {
  const name = typeof fsType === 'string' ? fsType.trim().toLowerCase().slice(0, 64) : '';
  const known = BACKING_FILESYSTEMS.get(name) ?? (name.startsWith('fuse.') ? BACKING_FILESYSTEMS.get('fuse') : undefined);
  if (known) return known;
  return {
    fsType: name,
    punchHole: 'unknown',
    why: name
      ? `No record for ${name}: a loop file there shrinks only if it implements fallocate PUNCH_HOLE; measure the file before and after a trim.`
      : 'The backing filesystem is not known; measure the file before and after a trim.',
    source: S31,
  };
}
