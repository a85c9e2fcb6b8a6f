/**
 * The devicemapper lines of `docker info` (DriverStatus), devicemapper.md §4.2–4.3.
 */
export interface DockerInfoKeyDoc {
  meaning: string;
  /** The value is a decimal HumanSize. */
  size?: boolean;
  since?: string;
}

export const DOCKER_INFO_KEYS: Record<string, DockerInfoKeyDoc> = {
  'Storage Driver': { meaning: 'The graph driver dockerd uses. devicemapper was deprecated in 18.09, not auto-selected from 23.0 and removed in 25.0.' },
  'Pool Name': { meaning: 'The thin-pool device: `docker-<maj>:<min>-<inode>-pool` (loop/raw mode), the `dm.thinpooldev` name, or `docker-thinpool` (direct-lvm).' },
  'Pool Blocksize': { meaning: 'The pool\'s data block size, printed in decimal units (64 KiB → 65.54kB, 512 KiB → 524.3kB).', size: true },
  'Base Device Size': { meaning: 'The virtual size of the base device every image and container is snapshotted from (`dm.basesize`, 10 GiB by default). Not the pool size.', size: true, since: '1.9' },
  'Backing Filesystem': { meaning: 'The filesystem inside the thin devices (xfs or ext4) from 1.10; in 1.5–1.9 the host filesystem under the Docker root.', since: '1.5' },
  'Udev Sync Supported': { meaning: 'Whether libdevmapper can synchronise with udev. `false` (static binaries, containers without udev) risks races when devices are created and removed.', since: '1.5' },
  'Data file': { meaning: 'The block device that holds the pool\'s data: `/dev/loopN` in loop-lvm mode, empty with `dm.thinpooldev`.' },
  'Metadata file': { meaning: 'The block device that holds the pool\'s metadata.' },
  'Data loop file': { meaning: 'The sparse file behind the data loop device (loop-lvm only), normally `/var/lib/docker/devicemapper/devicemapper/data`.', since: '1.5' },
  'Metadata loop file': { meaning: 'The sparse file behind the metadata loop device (loop-lvm only).', since: '1.5' },
  'Data Space Used': { meaning: 'Used data blocks × block size (decimal units).', size: true },
  'Data Space Total': { meaning: 'Total data blocks × block size (decimal units); 107.4GB is the 100 GiB default loop file.', size: true },
  'Data Space Available': { meaning: 'Total − Used, but capped by the host filesystem\'s free space when the data device is a loop file.', size: true, since: '1.6' },
  'Metadata Space Used': { meaning: 'Used metadata blocks × 4096 (decimal units).', size: true },
  'Metadata Space Total': { meaning: 'Total metadata blocks × 4096; 2.147GB is the 2 GiB default loop file.', size: true },
  'Metadata Space Available': { meaning: 'Total − Used, capped like Data Space Available.', size: true, since: '1.6' },
  'Thin Pool Minimum Free Space': { meaning: 'floor(total blocks × dm.min_free_space % (10 % by default)) × block size. Below this free space Docker refuses to create new devices.', size: true, since: '1.12' },
  'Deferred Removal Enabled': { meaning: 'Whether busy devices are removed later instead of failing (`dm.use_deferred_removal`; default true from 17.07).', since: '1.7' },
  'Deferred Deletion Enabled': { meaning: 'Whether busy devices are deleted later (`dm.use_deferred_deletion`; default true from 17.07).', since: '1.9' },
  'Deferred Deleted Device Count': { meaning: 'Devices marked deleted but not yet removed from the pool.', since: '1.9' },
  'Library Version': { meaning: 'The libdevmapper version dockerd is linked with.' },
};
