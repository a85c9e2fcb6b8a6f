/**
 * What each meaningful token of a transcript is. Hovers render `title`, the
 * unit and `meaning`; the computed value is added by the hover builder.
 * Source: ../shared/reference/devicemapper.md (§ given per entry), which cites
 * the kernel's thin-provisioning.rst and dm-thin.c, lvm2's dmsetup.c and moby.
 */
export interface FieldDoc {
  title: string;
  unit?: string;
  meaning: string;
  source: string;
}

export const FIELD_DOCS = {
  'prompt.command': { title: 'Command', meaning: 'A shell command; the lines below it, up to the next prompt, are its output.', source: 'transcript convention' },
  'device.name': { title: 'Device name', meaning: 'The device-mapper device this line is about. `dmsetup status`/`table` without arguments prefix every line with `<name>: ` (Docker names contain colons, so the prefix ends at the first colon followed by a space).', source: 'devicemapper.md §3.7, §3.9' },
  'target.start': { title: 'Logical start', unit: '512-byte sectors', meaning: 'Where this target begins inside the device.', source: 'devicemapper.md §3.1 (dmsetup(8))' },
  'target.length': { title: 'Length', unit: '512-byte sectors', meaning: 'How many sectors this target maps; the device size when it has one target.', source: 'devicemapper.md §3.1' },
  'target.type': { title: 'Target type', meaning: 'The device-mapper target that implements this segment.', source: 'devicemapper.md §3.1–3.4' },
  'pool.transaction': { title: 'Transaction id', meaning: 'Set by userspace with `set_transaction_id`; Docker increments it on every create and delete of a thin device.', source: 'devicemapper.md §3.2 field 1' },
  'pool.metadata': { title: 'Metadata blocks used/total', unit: '4 KiB metadata blocks', meaning: 'How full the pool\'s metadata device is. The kernel keeps a hidden reserve that is not reported as free. A pool whose metadata fills goes read-only and then fails.', source: 'devicemapper.md §3.2 field 2' },
  'pool.data': { title: 'Data blocks used/total', unit: 'data blocks (the pool\'s block size)', meaning: 'How full the pool\'s data device is. When it fills, the pool switches to out-of-data-space mode.', source: 'devicemapper.md §3.2 field 3' },
  'pool.heldRoot': { title: 'Held metadata root', meaning: '`-`, or the root block of a metadata snapshot reserved with `reserve_metadata_snap` (used by `thin_ls -m` on a live pool). A held snapshot pins metadata blocks until `release_metadata_snap`.', source: 'devicemapper.md §3.2 field 4; real-kernel-observations.md §2.1' },
  'pool.mode': { title: 'Pool mode', meaning: '`rw` normal; `out_of_data_space` the data device is full; `ro` read-only (after a metadata error or when metadata ran out; discards are ignored).', source: 'devicemapper.md §3.2 field 5' },
  'pool.discard': { title: 'Discard mode', meaning: 'Whether discards (fstrim, blkdiscard) free pool blocks and are passed down to the data device. Reflects the live pool: the kernel disables passdown by itself when the data device cannot discard.', source: 'devicemapper.md §3.2 field 6, §6.1; real-kernel-observations.md §3.3' },
  'pool.noSpace': { title: 'No-space policy', meaning: 'What writes do when the pool is out of data space: queue (hang) until `no_space_timeout` (60 s by default), or fail at once. The field flips to `error_if_no_space` when the timeout expires.', source: 'devicemapper.md §3.2 field 7; real-kernel-observations.md §5.2' },
  'pool.needsCheck': { title: 'needs_check flag', meaning: '`-`, or `needs_check`: the metadata must be checked and repaired offline (thin_check/thin_repair) before the pool can be written again.', source: 'devicemapper.md §3.2 field 8' },
  'pool.metaLowWater': { title: 'Metadata low water mark', unit: 'metadata blocks', meaning: 'When free metadata blocks drop to this number the kernel raises an event (dmeventd reacts). It is min(1024 blocks, total/4).', source: 'devicemapper.md §3.2 field 9 (kernel ≥ 4.19)' },
  'pool.special': { title: 'Pool status', meaning: '`Fail`: the pool is in fail mode and refuses all I/O. `Error`: the kernel could not read the metadata counters.', source: 'devicemapper.md §3.2' },
  'pool.unknown': { title: 'Unrecognised status word', meaning: 'Not part of any thin-pool status form this tool knows (kernels 3.2 to 6.x).', source: 'devicemapper.md §3.2' },
  'table.metaDev': { title: 'Metadata device', meaning: 'The device holding the pool\'s metadata (`dmsetup table` always prints `major:minor`).', source: 'devicemapper.md §3.1' },
  'table.dataDev': { title: 'Data device', meaning: 'The device holding the pool\'s data blocks. A loop device (major 7) means the pool lives in a sparse file (loop-lvm).', source: 'devicemapper.md §3.1' },
  'table.blockSize': { title: 'Data block size', unit: '512-byte sectors', meaning: 'The allocation unit of the pool: 128 (64 KiB) to 2097152 (1 GiB), a multiple of 128; fixed at creation. Docker uses 128; direct-lvm and docker-storage-setup use 1024 (512 KiB).', source: 'devicemapper.md §3.1' },
  'table.lowWater': { title: 'Data low water mark', unit: 'data blocks', meaning: 'When free data blocks drop to this number or below, the kernel raises one event per resume. Docker hard-codes 32768.', source: 'devicemapper.md §3.1' },
  'table.featureCount': { title: 'Feature argument count', meaning: 'How many feature words follow. A featureless pool prints `0 ` (with a trailing space).', source: 'devicemapper.md §3.1' },
  'table.feature': { title: 'Pool feature', meaning: 'A feature requested when the pool was loaded.', source: 'devicemapper.md §3.1' },
  'thin.mapped': { title: 'Mapped sectors', unit: '512-byte sectors', meaning: 'How much of this thin device is backed by pool blocks (mapped blocks × block size).', source: 'devicemapper.md §3.3' },
  'thin.highest': { title: 'Highest mapped sector', unit: '512-byte sector', meaning: 'The last sector of the highest mapped block; `-` when nothing is mapped.', source: 'devicemapper.md §3.3' },
  'thin.special': { title: 'Thin status', meaning: '`-` no thin device attached; `Fail` the pool failed; `Error` metadata could not be read.', source: 'devicemapper.md §3.3' },
  'thin.poolDev': { title: 'Pool device', meaning: 'The thin-pool this thin device takes its blocks from.', source: 'devicemapper.md §3.3' },
  'thin.devId': { title: 'Thin device id', meaning: 'The 24-bit id of the thin device inside the pool (0–16777215); Docker allocates them.', source: 'devicemapper.md §3.3, §1.8' },
  'thin.origin': { title: 'External origin', meaning: 'A read-only device whose blocks are read for unmapped regions.', source: 'devicemapper.md §3.3' },
  'linear.dev': { title: 'Destination device', meaning: 'The device this linear target maps onto.', source: 'devicemapper.md §3.4' },
  'linear.offset': { title: 'Start sector on the destination', unit: '512-byte sectors', meaning: 'Offset into the destination device.', source: 'devicemapper.md §3.4' },
  'generic.param': { title: 'Target parameter', meaning: 'A parameter of a target this tool does not decode.', source: 'devicemapper.md §3.1' },
  devno: { title: 'Device number (major:minor)', meaning: 'The kernel\'s number for a block device.', source: 'devicemapper.md §3.7' },
  'ls.name': { title: 'Device name', meaning: 'A device listed by `dmsetup ls`.', source: 'devicemapper.md §3.7' },
  'info.key': { title: 'dmsetup info field', meaning: 'A field of the `dmsetup info` block.', source: 'devicemapper.md §3.7' },
  'info.value': { title: 'dmsetup info value', meaning: 'The value of a `dmsetup info` field.', source: 'devicemapper.md §3.7' },
  'column.header': { title: 'Column heading', meaning: 'A column of a tabular report.', source: 'devicemapper.md §3.7, §3.8, §6.4' },
  'column.value': { title: 'Column value', meaning: 'A cell of a tabular report.', source: 'devicemapper.md §3.7, §3.8, §6.4' },
  'deps.count': { title: 'Dependencies', meaning: 'How many devices this device is built on.', source: 'devicemapper.md §3.7' },
  'version.value': { title: 'Version', meaning: 'A device-mapper userspace library or kernel driver version. Deferred removal needs driver ≥ 4.27.0.', source: 'devicemapper.md §3.7' },
  'targets.name': { title: 'Target type', meaning: 'A target type registered in the kernel and its version (thin-pool v1.22.0 on 6.1).', source: 'devicemapper.md §3.7' },
  'message.text': { title: 'dmsetup message', meaning: 'A message dmsetup prints instead of output.', source: 'devicemapper.md §3.7' },
  'dockerInfo.key': { title: 'docker info field', meaning: 'A line of the devicemapper driver status.', source: 'devicemapper.md §4.2' },
  'dockerInfo.value': { title: 'docker info value', meaning: 'Docker prints sizes with decimal units (1 kB = 1000 B), four significant digits.', source: 'devicemapper.md §4.1–4.2' },
  'dockerWarning.text': { title: 'docker info warning', meaning: 'A warning printed by `docker info`.', source: 'devicemapper.md §4.4' },
  'file.allocated': { title: 'Allocated size', unit: 'bytes on disk', meaning: 'What the file really occupies on the host filesystem. For the sparse loop files of loop-lvm this is what the pool has written and not yet discarded.', source: 'devicemapper.md §6.4' },
  'file.apparent': { title: 'Apparent size', unit: 'bytes', meaning: 'The logical size of the file (for a loop file: the pool\'s maximum size); a sparse file can be far larger than its allocation.', source: 'devicemapper.md §6.4' },
  'file.path': { title: 'File', meaning: 'A file path.', source: 'devicemapper.md §1.8' },
  'kernel.module': { title: 'Kernel module', meaning: 'The device-mapper module that printed this line.', source: 'devicemapper.md §5.3' },
  'kernel.message': { title: 'Kernel message', meaning: 'A device-mapper kernel log message.', source: 'devicemapper.md §5.3' },
} as const satisfies Record<string, FieldDoc>;

export type FieldRole = keyof typeof FIELD_DOCS;
