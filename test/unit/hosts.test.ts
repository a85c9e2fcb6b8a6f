/**
 * Host discovery (issue 7): ssh config aliases per ssh_config(5), Ansible
 * inventories in INI and YAML as Ansible's own plugins read them, and hostile
 * input that must never throw or hand ssh an option instead of a host.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  parseSshConfigHosts,
  parseAnsibleInventory,
  detectInventoryFormat,
  hostTokenProblem,
  MAX_RANGE_HOSTS,
  MAX_INVENTORY_HOSTS,
  type InventoryHost,
  type SshHostAlias,
} from '../../server/src/core/hosts/index.js';

function alias(list: readonly SshHostAlias[], name: string): SshHostAlias {
  const a = list.find((x) => x.alias === name);
  assert.ok(a, `alias ${name} in ${JSON.stringify(list.map((x) => x.alias))}`);
  return a;
}

function host(list: readonly InventoryHost[], name: string): InventoryHost {
  const h = list.find((x) => x.name === name);
  assert.ok(h, `host ${name} in ${JSON.stringify(list.map((x) => x.name))}`);
  return h;
}

const names = (list: readonly { name: string }[]): string[] => list.map((h) => h.name);

describe('ssh config aliases', () => {
  test('a Host line with several patterns: each alias gets the block settings, the first value wins', () => {
    const { aliases } = parseSshConfigHosts(['Host web1 web2', '  HostName 10.0.0.1', '  User deploy', '  Port 2222', '  Port 22', '  User other'].join('\n'));
    assert.deepEqual(aliases, [
      { alias: 'web1', line: 0, hostName: '10.0.0.1', user: 'deploy', port: 2222 },
      { alias: 'web2', line: 0, hostName: '10.0.0.1', user: 'deploy', port: 2222 },
    ]);
  });

  test('wildcards and negations are not offered, and a negated alias rejects its block', () => {
    const { aliases } = parseSshConfigHosts(['Host *', '  User everyone', 'Host *.corp web? !bastion db', '  User corp', 'Host web !web', '  HostName nowhere', 'Host app !ap*', '  User never'].join('\n'));
    assert.deepEqual(
      aliases.map((a) => a.alias),
      ['db'],
    );
    assert.equal(alias(aliases, 'db').user, 'corp');
  });

  test('Match ends a Host block: its settings belong to no alias', () => {
    const { aliases } = parseSshConfigHosts(['Host a', '  HostName a.example', 'Match host b exec "true"', '  User matched', '  Port 2200', 'Host c', '  User cuser'].join('\n'));
    assert.deepEqual(alias(aliases, 'a'), { alias: 'a', line: 0, hostName: 'a.example' });
    assert.deepEqual(alias(aliases, 'c'), { alias: 'c', line: 5, user: 'cuser' });
  });

  test('Keyword=value, Keyword = value, case-insensitive keywords, tabs', () => {
    const { aliases } = parseSshConfigHosts(['Host=one', 'HOSTNAME=one.example', 'host = two', '\tuser\t=\tbob', 'hOsT\tthree', 'pOrT=2022'].join('\n'));
    assert.deepEqual(aliases, [
      { alias: 'one', line: 0, hostName: 'one.example' },
      { alias: 'two', line: 2, user: 'bob' },
      { alias: 'three', line: 4, port: 2022 },
    ]);
  });

  test('quoted values: quotes removed, escapes honoured, an alias with a space is refused', () => {
    const { aliases } = parseSshConfigHosts(['Host "db" \'cache\' "two words"', '  HostName "db.example.com"', '  User "svc\\"x"'].join('\n'));
    assert.deepEqual(
      aliases.map((a) => a.alias),
      ['db', 'cache'],
    );
    assert.equal(alias(aliases, 'db').hostName, 'db.example.com');
    assert.equal(alias(aliases, 'cache').user, 'svc"x');
  });

  test('Include values are returned unresolved, in order, several per line', () => {
    const r = parseSshConfigHosts(['Include ~/.ssh/config.d/*', 'Host a', '  Include "work hosts" extra.conf', 'include=/etc/ssh/ssh_config.d/*.conf # trailing comment'].join('\n'));
    assert.deepEqual(r.includes, ['~/.ssh/config.d/*', 'work hosts', 'extra.conf', '/etc/ssh/ssh_config.d/*.conf']);
    assert.deepEqual(r.aliases.map((a) => a.alias), ['a']);
  });

  test('patterns starting with "-" are refused (ssh would read them as options)', () => {
    const { aliases } = parseSshConfigHosts('Host -oProxyCommand=touch\\ /tmp/pwned ok -J\n  HostName h');
    assert.deepEqual(aliases, [{ alias: 'ok', line: 0, hostName: 'h' }]);
  });

  test('comments, blank lines, CRLF, a BOM and trailing comments', () => {
    const { aliases } = parseSshConfigHosts('\ufeff# global\r\n\r\n   # indented comment\r\nHost a b # c d\r\n  HostName x # not part of the value\r\n');
    assert.deepEqual(aliases, [
      { alias: 'a', line: 3, hostName: 'x' },
      { alias: 'b', line: 3, hostName: 'x' },
    ]);
  });

  test('an alias listed again: one entry, first line kept, unset fields filled in as ssh would', () => {
    const { aliases } = parseSshConfigHosts(['Host a', '  User first', 'Host b a', '  User second', '  HostName later'].join('\n'));
    assert.deepEqual(aliases, [
      { alias: 'a', line: 0, user: 'first', hostName: 'later' },
      { alias: 'b', line: 2, user: 'second', hostName: 'later' },
    ]);
  });

  test('invalid ports are ignored; an unterminated quote ends the block; lines over 16 KiB are ignored', () => {
    const long = `Host ${'x'.repeat(17 * 1024)}`;
    const { aliases } = parseSshConfigHosts(['Host a', '  Port 0', '  Port 70000', '  Port 22x', 'Host "broken b', '  User lost', long, 'Host c'].join('\n'));
    assert.deepEqual(aliases, [
      { alias: 'a', line: 0 },
      { alias: 'c', line: 7 },
    ]);
  });

  test('hostTokenProblem', () => {
    assert.equal(hostTokenProblem('web-1.example.com'), undefined);
    assert.equal(hostTokenProblem('2001:db8::1'), undefined);
    assert.match(hostTokenProblem('-oProxyCommand=x')!, /starts with "-"/);
    assert.match(hostTokenProblem('a b')!, /whitespace/);
    assert.match(hostTokenProblem('a\0b')!, /control/);
    assert.match(hostTokenProblem('a\u0085b')!, /control/);
    assert.match(hostTokenProblem('')!, /empty/);
  });
});

describe('Ansible inventory, INI', () => {
  const INI = [
    '# comment',
    '; another comment',
    'loose.example.com',
    '[web]',
    'web[01:03].example.com ansible_user="deploy" # trailing comment',
    'web-extra ansible_host=10.0.0.9 ansible_port=2200',
    '',
    '[db]',
    'db-[a:c] ansible_host=\'10.0.1.1\'',
    '',
    '[prod:children]',
    'web',
    'db',
    '',
    '[web:vars]',
    'ansible_user = webuser',
    'ansible_port=2222',
    '[prod:vars]',
    'ansible_user=produser',
    '[all:vars]',
    'ansible_user=root',
    'ansible_port=22',
  ].join('\n');

  test('groups, children and vars: ancestors listed, host vars over child group over parent over all', () => {
    const { hosts, problems } = parseAnsibleInventory(INI);
    assert.deepEqual(problems, []);
    assert.deepEqual(names(hosts), ['loose.example.com', 'web01.example.com', 'web02.example.com', 'web03.example.com', 'web-extra', 'db-a', 'db-b', 'db-c']);
    assert.deepEqual(host(hosts, 'loose.example.com'), { name: 'loose.example.com', groups: ['ungrouped'], line: 2, user: 'root', port: 22 });
    assert.deepEqual(host(hosts, 'web02.example.com'), { name: 'web02.example.com', groups: ['web', 'prod'], line: 4, user: 'deploy', port: 2222 });
    assert.deepEqual(host(hosts, 'web-extra'), { name: 'web-extra', groups: ['web', 'prod'], line: 5, hostName: '10.0.0.9', user: 'webuser', port: 2200 });
    assert.deepEqual(host(hosts, 'db-b'), { name: 'db-b', groups: ['db', 'prod'], line: 8, hostName: '10.0.1.1', user: 'produser', port: 22 });
  });

  test('a host in several groups appears once with all of them', () => {
    const { hosts } = parseAnsibleInventory('[a]\nh1\n[b]\nh1 ansible_user=u\n[c:children]\nb\n');
    assert.deepEqual(hosts, [{ name: 'h1', groups: ['a', 'b', 'c'], line: 1, user: 'u' }]);
  });

  test('ranges: leading zeros keep their width, steps, letters, several ranges multiply', () => {
    const r = (p: string): string[] => names(parseAnsibleInventory(p).hosts);
    assert.deepEqual(r('web[01:03].example.com'), ['web01.example.com', 'web02.example.com', 'web03.example.com']);
    assert.deepEqual(r('n[8:11]'), ['n8', 'n9', 'n10', 'n11']);
    assert.deepEqual(r('n[001:010:4]'), ['n001', 'n005', 'n009']);
    assert.deepEqual(r('db-[a:c]'), ['db-a', 'db-b', 'db-c']);
    assert.deepEqual(r('x[y:B]'), ['xy', 'xz', 'xA', 'xB']);
    assert.deepEqual(r('r[1:2]c[a:b]'), ['r1ca', 'r1cb', 'r2ca', 'r2cb']);
    assert.deepEqual(r('h[:2]'), ['h0', 'h1', 'h2']);
  });

  test('bad ranges are problems, not hosts', () => {
    for (const [pattern, message] of [
      ['w[01:3]', /equal-length/],
      ['w[1]', /begin:end/],
      ['w[1:]', /end value/],
      ['w[c:a]', /begin <= end/],
      ['w[a:3]', /numbers or single letters/],
      ['w[1:3:0]', /step/],
      ['w[1:3', /without "\]"/],
    ] as const) {
      const { hosts, problems } = parseAnsibleInventory(pattern);
      assert.deepEqual(hosts, [], pattern);
      assert.equal(problems.length, 1, pattern);
      assert.match(problems[0]!.message, message, pattern);
      assert.equal(problems[0]!.line, 0);
    }
  });

  test(`a range is capped at ${MAX_RANGE_HOSTS} hosts with a problem`, () => {
    const { hosts, problems } = parseAnsibleInventory('[big]\nnode[0000:9999]\n');
    assert.equal(hosts.length, MAX_RANGE_HOSTS);
    assert.equal(hosts.at(-1)!.name, 'node0999');
    assert.equal(problems.length, 1);
    assert.match(problems[0]!.message, /more than 1000 hosts/);
    assert.equal(problems[0]!.line, 1);
  });

  test('host:port, bracketed and bare IPv6', () => {
    const { hosts } = parseAnsibleInventory('a.example:2201\n[2001:db8::1]:2202\nfe80::1\n10.0.0.1:2203 ansible_port=2204\nweb[1:2]:2205\n');
    assert.deepEqual(
      hosts.map((h) => [h.name, h.port]),
      [
        ['a.example', 2201],
        ['2001:db8::1', 2202],
        ['fe80::1', undefined],
        ['10.0.0.1', 2204],
        ['web1', 2205],
        ['web2', 2205],
      ],
    );
  });

  test('quoted variables, shlex-style: escapes, # inside quotes, a value with a space is refused', () => {
    const { hosts, problems } = parseAnsibleInventory('h1 ansible_user="de\\"p" ansible_host="10.0.0.1#x"\nh2 ansible_user="two words"\nh3 "ansible_host=h3.example"\n');
    assert.deepEqual(host(hosts, 'h1'), { name: 'h1', groups: ['ungrouped'], line: 0, user: 'de"p', hostName: '10.0.0.1#x' });
    assert.deepEqual(host(hosts, 'h2'), { name: 'h2', groups: ['ungrouped'], line: 1 });
    assert.equal(host(hosts, 'h3').hostName, 'h3.example');
    assert.equal(problems.length, 1);
    assert.match(problems[0]!.message, /^ansible_user "two words" contains whitespace/);
    assert.equal(problems[0]!.line, 1);
  });

  test('legacy ansible_ssh_* names apply when the plain ones are absent', () => {
    const { hosts } = parseAnsibleInventory('a ansible_ssh_host=1.1.1.1 ansible_ssh_user=old ansible_ssh_port=2022\nb ansible_ssh_user=old ansible_user=new\n');
    assert.deepEqual(host(hosts, 'a'), { name: 'a', groups: ['ungrouped'], line: 0, hostName: '1.1.1.1', user: 'old', port: 2022 });
    assert.equal(host(hosts, 'b').user, 'new');
  });

  test('dashes and control characters: the host or the value is dropped with a problem', () => {
    const { hosts, problems } = parseAnsibleInventory('-oProxyCommand=evil\nok ansible_host=-oProxyCommand=evil ansible_user=-lroot\n[g]\nbad\u0007host\n');
    assert.deepEqual(hosts, [{ name: 'ok', groups: ['ungrouped'], line: 1 }]);
    assert.deepEqual(
      problems.map((p) => p.line),
      [0, 1, 1, 3],
    );
    assert.match(problems[0]!.message, /starts with "-"/);
    assert.match(problems[3]!.message, /control characters/);
    // A backslash is shlex's escape, not C's: `web\x01` is the name webx01.
    assert.equal(parseAnsibleInventory('web\\x01').hosts[0]!.name, 'webx01');
  });

  test('sections: unknown type, invalid header, children syntax, vars syntax, missing "="', () => {
    const { hosts, problems } = parseAnsibleInventory(['[g:nonsense]', 'skipped1', '[bad group]', 'skipped2', '[p:children]', 'two words', '[p:vars]', 'novalue', '[h]', 'h1 stray ansible_port=abc', 'ansible_user=root'].join('\n'));
    assert.deepEqual(names(hosts), ['h1']);
    assert.deepEqual(
      problems.map((p) => [p.line, p.message.split(/[:;(]/)[0]]),
      [
        [0, 'Section [g'],
        [2, 'Invalid section entry "[bad group]" '],
        [5, 'Expected a group name, got'],
        [7, 'Expected key=value, got'],
        [9, 'Expected key=value host variable assignment, got'],
        [9, 'ansible_port "abc" is not a port number '],
        [10, 'Host "ansible_user=root" looks like a variable assignment '],
      ],
    );
  });

  test('a child loop is reported and broken', () => {
    const { hosts, problems } = parseAnsibleInventory('[a:children]\nb\n[b:children]\na\n[a]\nh\n');
    assert.deepEqual(hosts, [{ name: 'h', groups: ['a', 'b'], line: 5 }]);
    assert.equal(problems.length, 1);
    assert.match(problems[0]!.message, /recursive dependency loop/);
  });

  test(`the inventory is capped at ${MAX_INVENTORY_HOSTS} hosts`, () => {
    const text = Array.from({ length: 11 }, (_, i) => `r${i}-[0000:0999]`).join('\n');
    const { hosts, problems } = parseAnsibleInventory(text);
    assert.equal(hosts.length, MAX_INVENTORY_HOSTS);
    assert.ok(problems.some((p) => /More than 10000 hosts/.test(p.message) && p.line === 10));
  });
});

describe('Ansible inventory, YAML', () => {
  const YAML = `---
all:
  hosts:
    bare:
    jump.example.com:
      ansible_port: 2222
  vars:
    ansible_user: admin
  children:
    web:
      hosts:
        web1:
        web2: {ansible_host: 10.0.0.2, ansible_user: webadmin}
      children:
        frontend:
          hosts:
            web1:
            edge[1:2]:
          vars:
            ansible_port: "8022"
    db:
      hosts: dbhost
prod:
  children:
    web:
    db:
`;

  test('nested children, null hosts, vars, a host once with all its groups', () => {
    const { hosts, problems } = parseAnsibleInventory(YAML);
    assert.deepEqual(problems, []);
    assert.deepEqual(names(hosts), ['bare', 'jump.example.com', 'web1', 'web2', 'edge1', 'edge2', 'dbhost']);
    assert.deepEqual(host(hosts, 'bare'), { name: 'bare', groups: ['ungrouped'], line: 3, user: 'admin' });
    assert.deepEqual(host(hosts, 'jump.example.com'), { name: 'jump.example.com', groups: ['ungrouped'], line: 4, user: 'admin', port: 2222 });
    assert.deepEqual(host(hosts, 'web1'), { name: 'web1', groups: ['web', 'prod', 'frontend'], line: 11, user: 'admin', port: 8022 });
    assert.deepEqual(host(hosts, 'web2'), { name: 'web2', groups: ['web', 'prod'], line: 12, hostName: '10.0.0.2', user: 'webadmin' });
    assert.deepEqual(host(hosts, 'edge2').groups, ['frontend', 'web', 'prod']);
    assert.deepEqual(host(hosts, 'dbhost'), { name: 'dbhost', groups: ['db', 'prod'], line: 21, user: 'admin' });
  });

  test('any top-level group name; anchors, aliases and merge keys resolve', () => {
    const text = ['defaults: &defaults', '  vars: {ansible_user: ops}', 'cluster:', '  <<: *defaults', '  hosts:', '    n1: &n {ansible_port: 2200}', '    n2: *n', 'other:', '  hosts:', '    n3:'].join('\n');
    const { hosts, problems } = parseAnsibleInventory(text);
    assert.deepEqual(problems, []);
    assert.deepEqual(hosts, [
      { name: 'n1', groups: ['cluster'], line: 5, user: 'ops', port: 2200 },
      { name: 'n2', groups: ['cluster'], line: 6, user: 'ops', port: 2200 },
      { name: 'n3', groups: ['other'], line: 9 },
    ]);
  });

  test('a host variable set to nothing overrides the group value', () => {
    const { hosts } = parseAnsibleInventory('all:\n  vars: {ansible_user: root, ansible_port: 2200}\n  hosts:\n    a: {ansible_user: }\n    b:\n');
    assert.deepEqual(hosts, [
      { name: 'a', groups: ['ungrouped'], line: 3, port: 2200 },
      { name: 'b', groups: ['ungrouped'], line: 4, user: 'root', port: 2200 },
    ]);
  });

  test('malformed YAML: problems with line numbers, no hosts', () => {
    const { hosts, problems } = parseAnsibleInventory('all:\n  hosts:\n    a:\n  - b\n', 'yaml');
    assert.deepEqual(hosts, []);
    assert.ok(problems.length > 0);
    assert.ok(problems.every((p) => p.message.startsWith('YAML: ') && p.line >= 2 && p.line <= 3), JSON.stringify(problems));
  });

  test('structure problems: not a mapping, plugin configuration, unexpected keys, lists, vault values', () => {
    assert.match(parseAnsibleInventory('- a\n- b\n', 'yaml').problems[0]!.message, /mapping of groups/);
    assert.match(parseAnsibleInventory('plugin: amazon.aws.aws_ec2\nregions: [eu-west-1]\n').problems[0]!.message, /plugin configuration/);
    const { hosts, problems } = parseAnsibleInventory(
      ['web:', '  hots:', '    typo:', '  hosts: [a, b]', 'db:', '  hosts:', '    d1: not-a-mapping', '    d2:', '      ansible_user: !vault |', '        $ANSIBLE_VAULT;1.1;AES256', '        6138', 'flat: just-a-string'].join('\n'),
    );
    assert.deepEqual(names(hosts), ['d1', 'd2']);
    assert.deepEqual(
      problems.map((p) => [p.line, p.message.split(/[:;,]/)[0]]),
      [
        [1, 'Skipping unexpected key "hots" in group "web"'],
        [3, 'Invalid "hosts" entry for "web" group'],
        [6, 'Host "d1"'],
        [8, 'ansible_user is vault-encrypted'],
        [11, 'Skipping "flat"'],
      ],
    );
  });

  test('a recursive alias stops at the depth limit instead of looping', () => {
    const { hosts, problems } = parseAnsibleInventory('a: &x\n  hosts: {h: }\n  children: {b: *x}\n');
    assert.deepEqual(hosts, [{ name: 'h', groups: ['a', 'b'], line: 1 }]);
    assert.ok(problems.some((p) => /own child|recursive/.test(p.message)), JSON.stringify(problems));
  });

  test('an alias bomb is read once per group name', () => {
    const levels = ['l0: &l0 {hosts: {x: }}'];
    for (let i = 1; i <= 6; i++) levels.push(`l${i}: &l${i} {children: {${Array.from({ length: 9 }, (_, k) => `l${i}_${k}: *l${i - 1}`).join(', ')}}}`);
    const { hosts } = parseAnsibleInventory(levels.join('\n'));
    assert.equal(hosts.length, 1);
    assert.equal(hosts[0]!.groups.length, 1 + 6 * 9 + 6);
  });
});

describe('format detection', () => {
  test('YAML when the first significant line is a mapping key or a document start', () => {
    for (const t of ['all:\n  hosts:', '# c\n\n---\nall:', 'web: {hosts: {a: }}', '"quoted": {}', '{all: {}}', '%YAML 1.1\n---\nall:']) assert.equal(detectInventoryFormat(t), 'yaml', t);
    for (const t of ['[web]\na', 'host1 ansible_host=x', 'host1:2222', '; c\n# c\nh1', '', '[all:vars]\nx: y']) assert.equal(detectInventoryFormat(t), 'ini', t);
  });

  test('an explicit format wins', () => {
    // Read as INI, `a: b` is the host `a:` with a stray word, as Ansible would read it.
    assert.deepEqual(names(parseAnsibleInventory('a: b', 'ini').hosts), ['a:']);
    assert.deepEqual(names(parseAnsibleInventory('all:\n  hosts:\n    h:\n', 'yaml').hosts), ['h']);
  });
});

describe('hostile input never throws and never yields an unsafe host', () => {
  const rand = (seed: number, n: number): string => {
    let a = seed >>> 0;
    let s = '';
    for (let i = 0; i < n; i++) {
      a = (Math.imul(a, 1103515245) + 12345) >>> 0;
      s += String.fromCharCode((a >>> 16) % 0x2500);
    }
    return s;
  };
  const HOSTILE: string[] = [
    '',
    '\0',
    '\0'.repeat(100_000),
    'x'.repeat(20_000),
    `Host ${'a '.repeat(9000)}\n`,
    `Host ${'!*a*a*a*a*a*a*a*a*b '.repeat(600)}${'a'.repeat(1000)}`,
    'Host "unterminated\n  User x',
    '[',
    '[[[[]]]]',
    ']]][[[:::',
    `h${'[0:9]'.repeat(200)}`,
    'h[0:99999999999999999999]',
    'h[1:3:99999999999]',
    ':\n:\n::::',
    '---\n- a\n- b',
    '*a',
    'a: *b',
    '{',
    '%YAML 9.9\n---\nall:',
    `${'a: {children: {'.repeat(2000)}`,
    `${'  '.repeat(3000)}x:`,
    'all:\n  hosts:\n    "-oProxyCommand=x":\n    "a b":\n    "\\0":\n',
    '[g:children]\ng\n[g]\n-x\n',
    '\ufeff\ufeff[web]\n\r\r\n\u2028h\u2029\n',
    rand(1, 50_000),
    rand(2, 5_000).replace(/[^\n]{40}/g, '$&\n'),
  ];

  test('every parser, every format', () => {
    for (const [i, text] of HOSTILE.entries()) {
      const lineCount = text.split(/\r\n|\r|\n/).length;
      const ssh = parseSshConfigHosts(text);
      for (const a of ssh.aliases) {
        assert.equal(hostTokenProblem(a.alias), undefined, `case ${i}: alias ${JSON.stringify(a.alias.slice(0, 40))}`);
        assert.ok(!/[*?]/.test(a.alias) && !a.alias.startsWith('!'), `case ${i}`);
        assert.ok(Number.isInteger(a.line) && a.line >= 0 && a.line < lineCount, `case ${i}: line ${a.line}`);
      }
      for (const format of [undefined, 'ini', 'yaml'] as const) {
        const inv = parseAnsibleInventory(text, format);
        assert.ok(inv.hosts.length <= MAX_INVENTORY_HOSTS, `case ${i}`);
        for (const h of inv.hosts) {
          assert.equal(hostTokenProblem(h.name), undefined, `case ${i} ${format}: host ${JSON.stringify(h.name.slice(0, 40))}`);
          if (h.hostName !== undefined) assert.equal(hostTokenProblem(h.hostName), undefined, `case ${i}`);
          if (h.user !== undefined) assert.equal(hostTokenProblem(h.user), undefined, `case ${i}`);
          if (h.port !== undefined) assert.ok(Number.isInteger(h.port) && h.port >= 1 && h.port <= 65535, `case ${i}`);
          assert.ok(h.groups.length > 0 && !h.groups.includes('all'), `case ${i}`);
        }
        for (const p of inv.problems) {
          assert.ok(Number.isInteger(p.line) && p.line >= 0 && p.line < lineCount, `case ${i} ${format}: problem line ${p.line} of ${lineCount}`);
          assert.ok(p.message.length > 0 && !/undefined|NaN|\[object Object\]/.test(p.message), `case ${i}: ${p.message}`);
        }
      }
    }
  });

  test('non-string input gives empty results', () => {
    const bad = [undefined, null, 42, {}] as unknown as string[];
    for (const b of bad) {
      assert.deepEqual(parseSshConfigHosts(b), { aliases: [], includes: [] });
      assert.deepEqual(parseAnsibleInventory(b), { hosts: [], problems: [] });
      assert.equal(detectInventoryFormat(b), 'ini');
    }
  });
});
