/**
 * The envelope around a log message: formats, timestamps, host/process/level,
 * and the message → line offset map through logrus escapes and ANSI colours
 * (issue 5 §2).
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { parseEnvelope, matchLogLine, type LogEnvelope } from '../../server/src/core/logs/index.js';

const DM = 'device-mapper: thin: 253:0: switching pool to write mode';

function messageOf(line: string, e: LogEnvelope): string {
  return line.slice(e.messageStart, e.messageEnd);
}

describe('log envelope: formats', () => {
  test('dmesg', () => {
    const line = `[   64.772053] ${DM}`;
    const e = parseEnvelope(line);
    assert.equal(e.format, 'dmesg');
    assert.equal(e.message, DM);
    assert.equal(messageOf(line, e), DM);
    assert.deepEqual(e.timestamp, { text: '[   64.772053]', start: 0, end: 14, clock: 'boot', seconds: 64.772053, value: 64.772053 });
  });

  test('dmesg with a caller id (CONFIG_PRINTK_CALLER)', () => {
    const e = parseEnvelope(`[  168.856214][ T3526] ${DM}`);
    assert.equal(e.format, 'dmesg');
    assert.equal(e.message, DM);
    assert.equal(e.timestamp?.seconds, 168.856214);
  });

  test('dmesg -x and raw kmsg priorities give the level', () => {
    const x = parseEnvelope(`kern  :warn  : [   64.772053] ${DM}`);
    assert.equal(x.format, 'dmesg');
    assert.equal(x.level, 'warning');
    assert.equal(x.message, DM);
    const k = parseEnvelope(`<3>[   64.772053] ${DM}`);
    assert.equal(k.level, 'err');
    assert.equal(k.message, DM);
  });

  test('dmesg -T', () => {
    const line = `[Tue Mar  5 10:01:04 2024] ${DM}`;
    const e = parseEnvelope(line);
    assert.equal(e.format, 'dmesg-T');
    assert.equal(e.message, DM);
    assert.equal(e.timestamp?.value, Date.UTC(2024, 2, 5, 10, 1, 4));
    assert.equal(e.timestamp?.clock, 'epoch');
    assert.equal(e.timestamp?.text, '[Tue Mar  5 10:01:04 2024]');
  });

  test('syslog (rsyslog keeps the kernel stamp)', () => {
    const line = `Mar  5 10:01:04 thinlab kernel: [   64.772053] ${DM}`;
    const e = parseEnvelope(line);
    assert.equal(e.format, 'syslog');
    assert.equal(e.host, 'thinlab');
    assert.equal(e.process, 'kernel');
    assert.equal(e.message, DM);
    assert.equal(messageOf(line, e), DM);
    assert.equal(e.timestamp?.clock, 'year-less');
    assert.equal(e.timestamp?.text, 'Mar  5 10:01:04');
    assert.equal(e.timestamp?.value, undefined);
    assert.equal(e.timestamp?.seconds, (59 + 4) * 86400 + 10 * 3600 + 64);
    assert.equal(e.kernelTimestamp?.seconds, 64.772053);
    assert.equal(line.slice(e.kernelTimestamp.start, e.kernelTimestamp.end), '[   64.772053]');
  });

  test('journalctl short, short-precise, short-iso, short-monotonic', () => {
    const short = parseEnvelope(`Mar 05 10:01:04 thinlab kernel: ${DM}`);
    assert.deepEqual([short.format, short.host, short.process, short.message], ['journal-short', 'thinlab', 'kernel', DM]);
    const precise = parseEnvelope(`Mar 05 10:01:04.123456 thinlab kernel: ${DM}`);
    assert.equal(precise.format, 'journal-short');
    assert.equal(precise.timestamp?.text, 'Mar 05 10:01:04.123456');
    assert.ok(Math.abs(precise.timestamp.seconds - ((59 + 4) * 86400 + 36064.123456)) < 1e-6);
    const iso = parseEnvelope(`2024-03-05T10:01:04+0000 thinlab kernel: ${DM}`);
    assert.deepEqual([iso.format, iso.host, iso.message, iso.timestamp?.value], ['journal-iso', 'thinlab', DM, Date.UTC(2024, 2, 5, 10, 1, 4)]);
    const offset = parseEnvelope(`2024-03-05T11:01:04.250+01:00 thinlab kernel: ${DM}`);
    assert.equal(offset.timestamp?.value, Date.UTC(2024, 2, 5, 10, 1, 4) + 250);
    const mono = parseEnvelope(`[   64.772053] thinlab kernel: ${DM}`);
    assert.deepEqual([mono.format, mono.host, mono.process, mono.message, mono.timestamp?.clock], ['journal-short', 'thinlab', 'kernel', DM, 'boot']);
  });

  test('a process with a pid', () => {
    const e = parseEnvelope('Mar 05 10:11:12 host dmeventd[456]: WARNING: Thin pool vg-pool-tpool data is now 81.23% full.');
    assert.deepEqual([e.host, e.process, e.pid, e.message], ['host', 'dmeventd', 456, 'WARNING: Thin pool vg-pool-tpool data is now 81.23% full.']);
  });

  test('journalctl -o cat and anything else: bare', () => {
    const e = parseEnvelope(DM);
    assert.deepEqual([e.format, e.message, e.messageStart, e.messageEnd, e.timestamp], ['bare', DM, 0, DM.length, undefined]);
    const dmesgInside = parseEnvelope(`[graphdriver] using prior storage driver: devicemapper`);
    assert.equal(dmesgInside.format, 'bare');
  });

  test('a kernel line whose text looks like "host process:" is not mistaken for one', () => {
    const e = parseEnvelope('[    1.234] usb 1-1: new high-speed USB device number 2 using xhci_hcd');
    assert.equal(e.format, 'dmesg');
    assert.equal(e.host, undefined);
    assert.equal(e.message, 'usb 1-1: new high-speed USB device number 2 using xhci_hcd');
  });
});

describe('log envelope: logrus', () => {
  test('fields, level, time, and the wrapper', () => {
    const line = 'Mar 05 10:11:12 dockerhost dockerd[812]: time="2019-03-05T10:11:12.123456789Z" level=warning msg="Usage of loopback devices is strongly discouraged for production use." storage-driver=devicemapper';
    const e = parseEnvelope(line);
    assert.equal(e.format, 'logrus');
    assert.equal(e.wrapper, 'journal-short');
    assert.equal(e.level, 'warning');
    assert.equal(e.process, 'dockerd');
    assert.equal(e.pid, 812);
    assert.equal(e.timestamp?.value, Date.UTC(2019, 2, 5, 10, 11, 12) + 123);
    assert.equal(e.outerTimestamp?.text, 'Mar 05 10:11:12');
    assert.equal(e.message, 'Usage of loopback devices is strongly discouraged for production use.');
    assert.equal(messageOf(line, e), e.message);
    assert.deepEqual(e.fields?.map((f) => [f.key, f.value, line.slice(f.start, f.end)]), [['storage-driver', 'devicemapper', 'devicemapper']]);
  });

  test('escapes: every message offset maps back to its character (or to the start of its escape)', () => {
    const raw = String.raw`time="2019-03-05T10:11:12Z" level=error msg="a \"q\" b\\c\nd\te \x1b[0m \u00e9 \U0001F600 \z end" k=v`;
    const e = parseEnvelope(raw);
    assert.equal(e.message, 'a "q" b\\c\nd\te \x1b[0m é 😀 \\z end');
    const literal = new Set<number>();
    for (let k = 0; k < e.message.length; k++) {
      const at = e.toLine(k);
      if (raw[at] === e.message[k]) literal.add(k);
      else assert.equal(raw[at], '\\', `offset ${k} (${JSON.stringify(e.message[k])}) maps to ${JSON.stringify(raw[at])}`);
    }
    // the plain letters are literal
    for (const ch of ['a', 'b', 'c', 'd', 'e', 'n']) assert.ok(literal.has(e.message.indexOf(ch)), ch);
    assert.equal(raw[e.toLine(e.message.length)], '"', 'the end maps to the closing quote');
    assert.equal(e.messageEnd, e.toLine(e.message.length));
    // a span ending after an escaped character ends after the escape
    const q = e.message.indexOf('"q"');
    assert.equal(raw.slice(e.toLine(q), e.toLine(q + 3)), String.raw`\"q\"`);
  });

  test('unquoted msg', () => {
    const e = parseEnvelope('time="2019-03-05T10:11:12Z" level=info msg=Done k=v');
    assert.deepEqual([e.format, e.message], ['logrus', 'Done']);
  });

  test('unterminated quote: the message runs to the end', () => {
    const line = 'time="2019-03-05T10:11:12Z" level=error msg="devmapper: Thin Pool has 1 free';
    const e = parseEnvelope(line);
    assert.equal(e.format, 'logrus');
    assert.equal(e.unterminated, true);
    assert.equal(e.message, 'devmapper: Thin Pool has 1 free');
    assert.equal(e.messageEnd, line.length);
  });

  test('TTY form', () => {
    const e = parseEnvelope('ERRO[0012] devmapper: Unknown option dm.foo');
    assert.deepEqual([e.format, e.level, e.message, e.timestamp?.clock, e.timestamp?.seconds, e.timestamp?.text], ['logrus', 'error', 'devmapper: Unknown option dm.foo', 'since-start', 12, '0012']);
  });

  test('JSON form', () => {
    const line = '{"level":"error","msg":"devmapper: Unknown option dm.foo \\"x\\"","time":"2019-03-05T10:11:12Z"}';
    const e = parseEnvelope(line);
    assert.deepEqual([e.format, e.level, e.message, e.timestamp?.value], ['logrus', 'error', 'devmapper: Unknown option dm.foo "x"', Date.UTC(2019, 2, 5, 10, 11, 12)]);
    assert.equal(line.slice(e.messageStart, e.messageEnd), 'devmapper: Unknown option dm.foo \\"x\\"');
  });

  test('the error field is matched when msg is generic (logrus.WithError)', () => {
    const line = 'time="2019-03-05T10:11:12Z" level=error msg="failed to remove" error="devicemapper: Error running DeleteDevice dm_task_run failed"';
    const m = matchLogLine(line);
    assert.equal(m?.entry.id, 'dm-thin-message-failed');
    assert.equal(m?.field, 'error');
    assert.equal(line.slice(m.messageRange.start, m.messageRange.end), 'devicemapper: Error running DeleteDevice dm_task_run failed');
    assert.equal(line.slice(m.variables.op!.start, m.variables.op!.end), 'DeleteDevice');
  });
});

describe('log envelope: line endings and colours', () => {
  test('CRLF: the carriage return is not part of the message', () => {
    const e = parseEnvelope(`[   64.772053] ${DM}\r`);
    assert.equal(e.message, DM);
    const l = parseEnvelope(`time="2019-03-05T10:11:12Z" level=info msg=Done\r`);
    assert.equal(l.message, 'Done');
  });

  test('ANSI colours are removed and offsets still point into the raw line', () => {
    const line = '\x1b[31mERRO\x1b[0m[0012] devmapper: Unknown option dm.foo';
    const e = parseEnvelope(line);
    assert.deepEqual([e.format, e.level, e.message], ['logrus', 'error', 'devmapper: Unknown option dm.foo']);
    assert.equal(messageOf(line, e), 'devmapper: Unknown option dm.foo');
    const inside = 'Mar 05 10:01:04 thinlab kernel: device-mapper: thin: \x1b[1m253:0\x1b[0m: switching pool to write mode';
    const m = matchLogLine(inside);
    assert.equal(m?.entry.id, 'thin-write-mode');
    assert.equal(inside.slice(m.variables.pool!.start, m.variables.pool!.end), '253:0');
  });

  test('degenerate prefixes never throw and fall back to bare', () => {
    for (const l of ['', '[', '<', '<9999>', 'time=', 'time="', 'level=', 'Mar', 'Mar 05', '2024-', '[   1.2', '[Tue', '{', '{"msg":"', 'ERRO[', '\x1b', '\x1b[', '\\', 'time="x" msg="\\']) {
      const e = parseEnvelope(l);
      assert.equal(typeof e.message, 'string', JSON.stringify(l));
      assert.ok(e.messageStart >= 0 && e.messageEnd <= l.length && e.messageStart <= e.messageEnd, JSON.stringify(l));
      for (let k = 0; k <= e.message.length; k++) {
        const at = e.toLine(k);
        assert.ok(at >= 0 && at <= l.length, `${JSON.stringify(l)} ${k} → ${at}`);
      }
    }
  });
});
