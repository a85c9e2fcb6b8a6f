/**
 * Status and table words of dm-thin and what each means for the operator.
 * Source: devicemapper.md §3.1–3.2 and §6.1; real-kernel-observations.md §3, §5.
 */
export interface FlagDoc {
  meaning: string;
  consequence: string;
}

export const FLAG_DOCS: Record<string, FlagDoc> = {
  rw: { meaning: 'The pool is in normal read-write mode.', consequence: 'Writes allocate blocks; discards are honoured according to the discard mode.' },
  ro: { meaning: 'The pool is read-only: a metadata operation failed, metadata ran out, or it was loaded with `read_only`.', consequence: 'Writes that need new blocks fail and discards are silently ignored. Find the cause in the kernel log; a pool with `needs_check` must be repaired offline.' },
  out_of_data_space: { meaning: 'Every data block is in use.', consequence: 'Writes to unmapped blocks queue (queue_if_no_space) or fail with ENOSPC (error_if_no_space). Grow the data device, or free blocks by deleting thin devices; discards still free blocks.' },
  discard_passdown: { meaning: 'Discards free pool blocks and are passed down to the data device.', consequence: 'Deleted data can return to the backing store — if that store can punch holes (a loop file on vfat claims passdown yet never shrinks).' },
  no_discard_passdown: { meaning: 'Discards free blocks inside the pool but are not passed to the data device (requested, or disabled by the kernel because the data device cannot discard).', consequence: 'Deleted data returns to the pool but never to the backing store: a loop file or thin LV underneath keeps its size.' },
  ignore_discard: { meaning: 'The pool ignores discards completely.', consequence: 'fstrim fails with "the discard operation is not supported" and deleted data never frees pool blocks.' },
  queue_if_no_space: { meaning: 'When the pool runs out of data space, writes are queued.', consequence: 'Writers hang until the pool is grown or `no_space_timeout` (60 s by default, 0 = forever) expires; then the pool switches to error mode and this field reads error_if_no_space.' },
  error_if_no_space: { meaning: 'When the pool runs out of data space, writes fail at once with ENOSPC.', consequence: 'No hung writers. If the table did not request this feature, the pool ran out of space and `no_space_timeout` expired.' },
  needs_check: { meaning: 'The kernel flagged the metadata as needing a check.', consequence: 'The pool stays read-only until the metadata is checked/repaired offline (deactivate, thin_check, thin_repair).' },
  skip_block_zeroing: { meaning: 'Newly provisioned blocks are not zeroed first.', consequence: 'Faster provisioning; Docker always loads its pools with it.' },
  read_only: { meaning: 'The pool was loaded read-only.', consequence: 'No allocation; used for repair and inspection.' },
  Fail: { meaning: 'The pool is in fail mode.', consequence: 'All I/O to the pool and its thin devices fails. Deactivate, run thin_check/thin_repair offline, and restore from backup if repair fails.' },
  Error: { meaning: 'The kernel could not read the pool\'s metadata counters.', consequence: 'The metadata device is failing or corrupt; check the kernel log and repair offline.' },
};
