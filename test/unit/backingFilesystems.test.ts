/**
 * The backing-filesystem table (devicemapper.md §6.1, real-kernel-observations.md
 * §3): whether a loop file there can shrink, the vfat trap, and lookups of
 * types the table does not know.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { backingFilesystem, BACKING_FILESYSTEMS } from '../../server/src/core/knowledge/backingFilesystems.js';

describe('backing filesystems', () => {
  test('ext4 and xfs punch holes', () => {
    for (const fs of ['ext4', 'xfs']) {
      const info = backingFilesystem(fs);
      assert.equal(info.fsType, fs);
      assert.equal(info.punchHole, 'yes', fs);
      assert.equal(info.trap, undefined, fs);
    }
    assert.equal(backingFilesystem('ext4').observed, true);
  });

  test('ext3 punches holes through the ext4 driver (observed on 6.1), with the old driver noted', () => {
    const info = backingFilesystem('ext3');
    assert.equal(info.punchHole, 'yes');
    assert.match(info.why, /ext4 driver/);
    assert.match(info.why + info.source, /moby\/moby#3182/);
  });

  test('jfs and minix have no fallocate: no hole punching, passdown disabled, not a trap', () => {
    for (const fs of ['jfs', 'minix']) {
      const info = backingFilesystem(fs);
      assert.equal(info.punchHole, 'no', fs);
      assert.equal(info.trap, undefined, fs);
      assert.equal(info.observed, true, fs);
    }
    assert.match(backingFilesystem('jfs').why, /Disabling discard passdown/);
  });

  test('vfat is the trap: passdown advertised, every discard fails, the file never shrinks', () => {
    const info = backingFilesystem('vfat');
    assert.equal(info.punchHole, 'no');
    assert.equal(info.trap, true);
    assert.match(info.why, /op 0x3:\(DISCARD\)/);
    assert.equal(backingFilesystem('msdos').trap, true);
  });

  test('unknown and odd types give punchHole unknown, never a throw', () => {
    for (const fs of ['', 'nosuchfs', '__proto__', 'constructor', 'toString', 'x'.repeat(10_000), '\0']) {
      const info = backingFilesystem(fs);
      assert.equal(info.punchHole, 'unknown', JSON.stringify(fs.slice(0, 20)));
      assert.equal(info.trap, undefined);
      assert.ok(info.why.length > 0 && info.source.length > 0);
      assert.ok(info.fsType.length <= 64);
    }
    for (const bad of [undefined, null, 42] as unknown as string[]) assert.equal(backingFilesystem(bad).punchHole, 'unknown');
  });

  test('lookups ignore case and surrounding space; FUSE subtypes get the fuse entry', () => {
    assert.equal(backingFilesystem(' EXT4\n').punchHole, 'yes');
    assert.equal(backingFilesystem('VFAT').trap, true);
    assert.equal(backingFilesystem('fuse.sshfs').fsType, 'fuse');
    assert.equal(backingFilesystem('fuse.sshfs').punchHole, 'unknown');
  });

  test('uncertain and read-only types say so', () => {
    for (const fs of ['nfs4', 'zfs', 'fuseblk', 'overlay', 'ntfs3', 'ext2']) assert.equal(backingFilesystem(fs).punchHole, 'unknown', fs);
    for (const fs of ['squashfs', 'iso9660']) {
      assert.equal(backingFilesystem(fs).punchHole, 'no', fs);
      assert.equal(backingFilesystem(fs).readOnly, true, fs);
    }
  });

  test('the table: every type the brief names, lower-case keys, a reason and a source each, traps cannot punch', () => {
    const required = ['ext4', 'ext3', 'ext2', 'xfs', 'btrfs', 'tmpfs', 'f2fs', 'jfs', 'minix', 'vfat', 'msdos', 'exfat', 'ntfs', 'ntfs3', 'fuseblk', 'reiserfs', 'nfs', 'nfs4', 'zfs', 'overlay', 'ocfs2', 'gfs2', 'squashfs', 'iso9660'];
    for (const fs of required) assert.ok(BACKING_FILESYSTEMS.has(fs), fs);
    for (const [key, info] of BACKING_FILESYSTEMS) {
      assert.equal(key, info.fsType);
      assert.equal(key, key.toLowerCase());
      assert.ok(['yes', 'no', 'unknown'].includes(info.punchHole), key);
      assert.ok(info.why.length > 20 && info.why.length < 400, `${key}: why`);
      assert.ok(info.source.length > 5, `${key}: source`);
      if (info.trap) assert.equal(info.punchHole, 'no', `${key}: a trap cannot punch holes`);
      if (info.readOnly) assert.equal(info.punchHole, 'no', key);
    }
  });
});
