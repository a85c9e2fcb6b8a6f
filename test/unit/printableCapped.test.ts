/** printableCapped (issue 9): what the CLI's text output shows of a host-supplied string. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { printable, printableCapped } from '../../server/src/remote/ssh';

test('short strings are printable() unchanged; long ones end in … within the cap', () => {
  assert.equal(printableCapped('lab-ext4', 10), 'lab-ext4');
  assert.equal(printableCapped('a\u001b[2Jb', 20), 'a\\x1b[2Jb');
  assert.equal(printableCapped('x'.repeat(1024 * 1024), 8), 'xxxxxxx…');
  assert.equal(printableCapped('abcdefgh', 8), 'abcdefgh');
  assert.equal(printableCapped('abcdefghi', 8), 'abcdefg…');
});

test('a cut never splits a \\xNN escape or a surrogate pair', () => {
  // 'ab' + ESC → 'ab\x1b' (6 characters); a cap of 5 leaves room for 4, which would split the escape.
  assert.equal(printableCapped('ab\u001bcd', 5), 'ab…');
  assert.equal(printableCapped('abc\u{1F600}def', 5), 'abc…');
});

test('property: within the cap, no control character, a prefix of printable()', () => {
  const control = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 300 }), fc.integer({ min: 1, max: 200 }), (s, max) => {
      const out = printableCapped(s, max);
      const full = printable(s);
      assert.ok(out.length <= max);
      assert.ok(!control.test(out));
      if (full.length <= max) assert.equal(out, full);
      else {
        assert.ok(out.endsWith('…'));
        assert.ok(full.startsWith(out.slice(0, -1)));
      }
    }),
    { numRuns: 2000 },
  );
});
