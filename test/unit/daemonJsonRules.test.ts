/**
 * daemon.json rules, table-driven: one case per rule per engine era, each with
 * the exact text its range covers (issue 4 §3, devicemapper.md §1–2).
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { validateDaemonJson, analyzeDaemonJson, isDaemonJson, DAEMON_JSON_CODES, DM_KEYS, DM_OPTIONS, type DaemonFinding } from '../../server/src/core/daemonJson/index.js';
import { parseEngineVersion } from '../../server/src/core/knowledge/engineVersions.js';

function lines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

/** The text a finding's range covers (single line), or `<multi-line>`. */
function covered(text: string, f: { range: DaemonFinding['range'] }): string {
  const r = f.range;
  if (r.start.line !== r.end.line) return '<multi-line>';
  return lines(text)[r.start.line]!.slice(r.start.character, r.end.character);
}

const AMBIENT = new Set(['driver-deprecated', 'dm-loopback-mode']);

function keys(text: string, fs: readonly DaemonFinding[], keep: (code: string) => boolean): string[] {
  return fs.filter((f) => keep(f.code)).map((f) => `${f.code} ${JSON.stringify(covered(text, f))}`).sort();
}

function dm(...opts: string[]): string {
  return JSON.stringify({ 'storage-driver': 'devicemapper', 'storage-opts': opts }, null, 2);
}

function withDriver(driver: string, ...opts: string[]): string {
  return JSON.stringify({ 'storage-driver': driver, 'storage-opts': opts }, null, 2);
}

interface Case {
  name: string;
  text: string;
  engine?: string;
  expect: string[];
  /** Checks on the findings (messages, severities, dockerd texts). */
  check?: (fs: DaemonFinding[], text: string) => void;
}

function only(fs: DaemonFinding[], code: string): DaemonFinding {
  const hits = fs.filter((f) => f.code === code);
  assert.equal(hits.length, 1, `one ${code}: ${JSON.stringify(fs.map((f) => f.code))}`);
  return hits[0]!;
}

const CASES: Case[] = [
  // json-syntax / jsonc-comment (§2.2: Go's encoding/json)
  { name: 'trailing comma in an object', text: '{\n  "debug": true,\n}', expect: ['json-syntax ","'], check: (fs) => assert.equal(only(fs, 'json-syntax').dockerd, "invalid character '}' looking for beginning of object key string") },
  { name: 'trailing comma in storage-opts', text: '{"storage-driver": "overlay2", "storage-opts": ["overlay2.size=10G",]}', expect: ['json-syntax ","'], check: (fs) => assert.equal(only(fs, 'json-syntax').dockerd, "invalid character ']' looking for beginning of value") },
  { name: 'missing comma', text: '{"debug": true "live-restore": true}', expect: ['json-syntax "\\"live-restore\\""'] },
  { name: 'non-breaking space pasted from a web page', text: '{"debug":\u00a0true}', expect: ['json-syntax "\u00a0"'], check: (fs) => assert.equal(only(fs, 'json-syntax').dockerd, "invalid character '\\u00a0' looking for beginning of value") },
  { name: 'control character inside a string', text: '{"data-root": "/a\tb"}', expect: ['json-syntax "\\t"'] },
  { name: 'top level is an array', text: '["dm.basesize=20G"]', expect: ['json-syntax "[\\"dm.basesize=20G\\"]"'], check: (fs) => assert.match(only(fs, 'json-syntax').message, /cannot unmarshal array into Go value of type map\[string\]interface \{\}/) },
  { name: 'top level null is an empty configuration', text: 'null', expect: [] },
  { name: 'empty file is an empty configuration', text: ' \n\t\n', expect: [] },
  { name: 'UTF-8 byte-order mark is not reported', text: '\ufeff{"debug": true}', expect: [] },
  { name: 'line comment', text: '{\n  // storage\n  "debug": true\n}', expect: ['jsonc-comment "// storage"'], check: (fs) => assert.equal(only(fs, 'jsonc-comment').dockerd, "invalid character '/' looking for beginning of object key string") },
  { name: 'block comment after a value', text: '{"debug": true /* on */}', expect: ['jsonc-comment "/* on */"'], check: (fs) => assert.equal(only(fs, 'jsonc-comment').dockerd, "invalid character '/' after object key:value pair") },

  // duplicate-key
  { name: 'duplicate top-level key', text: '{\n  "debug": true,\n  "debug": false\n}', expect: ['duplicate-key "debug"'], check: (fs) => assert.equal(only(fs, 'duplicate-key').range.start.line, 1) },
  { name: 'duplicate nested key', text: '{"log-opts": {"max-size": "10m", "max-size": "20m"}}', expect: ['duplicate-key "max-size"'] },

  // unknown-directive (§2.1–2.2)
  { name: 'misspelt key with suggestion', text: '{"storage-driverr": "overlay2"}', expect: ['unknown-directive "storage-driverr"'], check: (fs) => {
    const f = only(fs, 'unknown-directive');
    assert.equal(f.dockerd, "the following directives don't match any configuration option: storage-driverr");
    assert.equal(f.fix?.edits[0]?.newText, '"storage-driver"');
  } },
  { name: 'wrong case', text: '{"Storage-Driver": "overlay2"}', expect: ['unknown-directive "Storage-Driver"'], check: (fs) => assert.match(only(fs, 'unknown-directive').message, /Did you mean "storage-driver"/) },
  { name: 'data-root before 17.05', engine: '1.13.1', text: '{"data-root": "/srv/docker"}', expect: ['unknown-directive "data-root"'], check: (fs) => assert.equal(only(fs, 'unknown-directive').fix?.edits[0]?.newText, '"graph"') },
  { name: 'data-root in 17.05', engine: '17.05.0-ce', text: '{"data-root": "/srv/docker"}', expect: [] },
  { name: 'data-root with unknown engine', text: '{"data-root": "/srv/docker"}', expect: [] },
  { name: 'object flattened into top-level keys', text: '{"foo": {"bar": 1, "debug": true}}', expect: ['unknown-directive "bar"'] },
  { name: 'keys that only recent engines know are not flagged without a version', text: '{"default-network-opts": {"bridge": {"com.docker.network.driver.mtu": "1450"}}, "host-gateway-ips": ["10.0.0.1"], "firewall-backend": "nftables"}', expect: [] },

  // graph (§2.1)
  { name: 'graph before 17.05', engine: '1.13.1', text: '{"graph": "/srv/docker"}', expect: [] },
  { name: 'graph deprecated 17.05–22.06', engine: '20.10.24', text: '{"graph": "/srv/docker"}', expect: ['graph-deprecated "graph"'], check: (fs) => {
    const f = only(fs, 'graph-deprecated');
    assert.equal(f.severity, 'warning');
    assert.equal(f.dockerd, 'The "graph" config file option is deprecated. Please use "data-root" instead.');
    assert.equal(f.fix?.edits[0]?.newText, '"data-root"');
  } },
  { name: 'graph and data-root 17.05–22.06', engine: '17.06.0-ce', text: '{"graph": "/a", "data-root": "/b"}', expect: ['graph-deprecated "graph"'], check: (fs) => {
    assert.equal(only(fs, 'graph-deprecated').severity, 'error');
    assert.equal(only(fs, 'graph-deprecated').dockerd, 'cannot specify both "graph" and "data-root" config file options');
  } },
  { name: 'graph is an error in 23.0', engine: '23.0.6', text: '{"graph": "/srv/docker"}', expect: ['graph-deprecated "graph"'], check: (fs) => {
    assert.equal(only(fs, 'graph-deprecated').severity, 'error');
    assert.equal(only(fs, 'graph-deprecated').dockerd, 'the "graph" config file option is deprecated; use "data-root" instead');
  } },
  { name: 'graph is unknown from 24.0', engine: '24.0.7', text: '{"graph": "/srv/docker"}', expect: ['unknown-directive "graph"'], check: (fs) => assert.equal(only(fs, 'unknown-directive').dockerd, "the following directives don't match any configuration option: graph") },
  { name: 'graph with unknown engine names the eras', text: '{"graph": "/srv/docker"}', expect: ['graph-deprecated "graph"'], check: (fs) => {
    const f = only(fs, 'graph-deprecated');
    assert.equal(f.severity, 'warning');
    assert.equal(f.appliesTo, 'Engine 17.05–22.06, 23.0, ≥ 24.0');
    assert.match(f.message, /Engine ≤ 17\.04: no problem/);
  } },

  // flag-name-directive, directive-type, storage-driver-unknown
  { name: 'flag name instead of the file key', text: '{"storage-driver": "overlay2", "storage-opt": ["overlay2.size=10G"]}', expect: ['flag-name-directive "storage-opt"'], check: (fs) => assert.equal(only(fs, 'flag-name-directive').fix?.edits[0]?.newText, '"storage-opts"') },
  { name: 'storage-driver of the wrong type', text: '{"storage-driver": 5}', expect: ['directive-type "5"'] },
  { name: 'misspelt driver', text: '{"storage-driver": "devmapper"}', expect: ['storage-driver-unknown "devmapper"'], check: (fs) => assert.equal(only(fs, 'storage-driver-unknown').fix?.edits[0]?.newText, '"devicemapper"') },
  { name: 'driver in capitals', text: '{"storage-driver": "Overlay2"}', expect: ['storage-driver-unknown "Overlay2"'] },
  { name: 'containerd snapshotter names are not flagged', engine: '29.0.0', text: '{"storage-driver": "overlayfs"}', expect: [] },

  // storage-opts-not-array (§2.1)
  { name: 'storage-opts as a string', text: '{"storage-driver": "devicemapper", "storage-opts": "dm.thinpooldev=/dev/mapper/p"}', expect: ['storage-opts-not-array "dm.thinpooldev=/dev/mapper/p"'], check: (fs) => assert.equal(only(fs, 'storage-opts-not-array').fix?.edits[0]?.newText, '["dm.thinpooldev=/dev/mapper/p"]') },
  { name: 'storage-opts as an object', text: '{"storage-driver": "devicemapper", "storage-opts": {"dm.thinpooldev": "/dev/mapper/p", "dm.fs": "xfs"}}', expect: ['storage-opts-not-array "storage-opts"'], check: (fs) => {
    const f = only(fs, 'storage-opts-not-array');
    assert.equal(f.dockerd, "the following directives don't match any configuration option: dm.thinpooldev, dm.fs");
    assert.equal(f.fix?.edits[0]?.newText, '["dm.thinpooldev=/dev/mapper/p", "dm.fs=xfs"]');
  } },
  { name: 'object form is still checked option by option', text: '{"storage-driver": "devicemapper", "storage-opts": {"dm.thinpooldev": "/dev/mapper/p", "dm.fs": "XFS"}}', expect: ['dm-invalid-value "XFS"', 'storage-opts-not-array "storage-opts"'] },
  { name: 'storage-opts as a number', text: '{"storage-opts": 5}', expect: ['storage-opts-not-array "5"'] },
  { name: 'storage-opts null is nothing', text: '{"storage-opts": null}', expect: [] },

  // storage-opt-syntax (§1.1 step 2)
  { name: 'no = (v24 text)', engine: '24.0.7', text: dm('dm.thinpooldev=/dev/mapper/p', 'dm.basesize 20G'), expect: ['storage-opt-syntax "dm.basesize 20G"'], check: (fs) => {
    const f = only(fs, 'storage-opt-syntax');
    assert.equal(f.dockerd, 'unable to parse key/value option: dm.basesize 20G');
    assert.equal(f.fix?.edits[0]?.newText, '"dm.basesize=20G"');
  } },
  { name: 'no = (v23 and older text)', engine: '23.0.6', text: dm('dm.thinpooldev=/dev/mapper/p', 'dm.basesize'), expect: ['storage-opt-syntax "dm.basesize"'], check: (fs) => assert.equal(only(fs, 'storage-opt-syntax').dockerd, 'Unable to parse key/value option: dm.basesize') },
  { name: 'element that is not a string', text: '{"storage-driver": "devicemapper", "storage-opts": ["dm.thinpooldev=/dev/mapper/p", 20]}', expect: ['storage-opt-syntax "20"'] },

  // storage-opt-flag-prefix (§1.4)
  { name: 'flag written inside the string', engine: '20.10.24', text: dm('--storage-opt dm.thinpooldev=/dev/mapper/p'), expect: ['storage-opt-flag-prefix "--storage-opt "'], check: (fs) => {
    const f = only(fs, 'storage-opt-flag-prefix');
    assert.equal(f.dockerd, 'devmapper: Unknown option --storage-opt dm.thinpooldev');
    assert.equal(f.fix?.edits[0]?.newText, '');
  } },
  { name: 'flag with = inside the string', engine: '20.10.24', text: dm('--storage-opt=dm.thinpooldev=/dev/mapper/p'), expect: ['storage-opt-flag-prefix "--storage-opt="'] },

  // dm-unknown-option (§1.1 step 4, §1.4)
  { name: 'unknown option ≤ 1.9', engine: '1.9.1', text: dm('dm.thinpooldev=/dev/mapper/p', 'dm.thinpool_dev=x'), expect: ['dm-unknown-option "dm.thinpool_dev"'], check: (fs) => assert.equal(only(fs, 'dm-unknown-option').dockerd, 'Unknown option dm.thinpool_dev\n') },
  { name: 'unknown option 1.10–17.10', engine: '17.06.0-ce', text: dm('dm.thinpooldev=/dev/mapper/p', 'dm.thinpool_dev=x'), expect: ['dm-unknown-option "dm.thinpool_dev"'], check: (fs) => assert.equal(only(fs, 'dm-unknown-option').dockerd, 'devmapper: Unknown option dm.thinpool_dev\n') },
  { name: 'unknown option 17.12+ with suggestion', engine: '24.0.7', text: dm('dm.thinpooldev=/dev/mapper/p', 'DM.Use_Deferred-Removal=true'), expect: ['dm-unknown-option "DM.Use_Deferred-Removal"'], check: (fs) => {
    const f = only(fs, 'dm-unknown-option');
    assert.equal(f.dockerd, 'devmapper: Unknown option dm.use_deferred-removal');
    assert.equal(f.fix?.edits[0]?.newText, 'dm.use_deferred_removal');
  } },
  { name: 'key is matched case-insensitively', engine: '24.0.7', text: dm('DM.THINPOOLDEV=/dev/mapper/p', ' DM.BaseSize = 20G '), expect: [] },
  { name: 'missing dm. prefix', text: dm('dm.thinpooldev=/dev/mapper/p', 'basesize=20G'), expect: ['dm-unknown-option "basesize"'], check: (fs) => assert.match(only(fs, 'dm-unknown-option').message, /Did you mean dm\.basesize\?/) },
  { name: 'dm.no_warn_on_loop_devices (§1.4)', text: dm('dm.no_warn_on_loop_devices=true'), expect: ['dm-unknown-option "dm.no_warn_on_loop_devices"'], check: (fs) => assert.match(only(fs, 'dm-unknown-option').fix!.title, /Remove/) },
  { name: 'option newer than the engine', engine: '1.13.1', text: dm('dm.directlvm_device=/dev/xvdf'), expect: ['dm-unknown-option "dm.directlvm_device"'], check: (fs) => assert.match(only(fs, 'dm-unknown-option').message, /added in Engine 17\.06/) },
  { name: 'option newer than some engines, engine unknown', text: dm('dm.directlvm_device=/dev/xvdf'), expect: [] },
  { name: 'escaped key keeps an exact range', engine: '24.0.7', text: '{"storage-driver": "devicemapper", "storage-opts": ["dm.thinpooldev=/dev/mapper/p", "dm.th\\u0069npool=x"]}', expect: ['dm-unknown-option "dm.th\\\\u0069npool"'] },

  // dm-invalid-value: sizes per era (§1.2)
  { name: 'size 1.5G ≤ 1.12', engine: '1.12.6', text: dm('dm.thinpooldev=/dev/mapper/p', 'dm.basesize=1.5G'), expect: ['dm-invalid-value "1.5G"'], check: (fs) => {
    const f = only(fs, 'dm-invalid-value');
    assert.equal(f.dockerd, "Error starting daemon: error initializing graphdriver: invalid size: '1.5G'");
    assert.equal(f.fix?.edits[0]?.newText, '1536M');
  } },
  { name: 'size 1.5G 1.13–18.06', engine: '17.06.0-ce', text: dm('dm.thinpooldev=/dev/mapper/p', 'dm.basesize=1.5G'), expect: [] },
  { name: 'size 10GiB 1.13–18.06', engine: '18.06.3-ce', text: dm('dm.thinpooldev=/dev/mapper/p', 'dm.basesize=10GiB'), expect: ['dm-invalid-value "10GiB"'], check: (fs) => assert.equal(only(fs, 'dm-invalid-value').fix?.edits[0]?.newText, '10G') },
  { name: 'size 10GiB 18.09–22.06', engine: '18.09.0', text: dm('dm.thinpooldev=/dev/mapper/p', 'dm.basesize=10GiB'), expect: [] },
  { name: 'size 10Q 18.09–22.06', engine: '20.10.24', text: dm('dm.thinpooldev=/dev/mapper/p', 'dm.loopdatasize=10Q'), expect: ['dm-invalid-value "10Q"', 'dm-ignored-option "dm.loopdatasize"'], check: (fs) => assert.equal(only(fs, 'dm-invalid-value').dockerd, "failed to start daemon: error initializing graphdriver: invalid size: '10Q'") },
  { name: 'size 10Q 23.0+', engine: '24.0.7', text: dm('dm.thinpooldev=/dev/mapper/p', 'dm.basesize=10Q'), expect: ['dm-invalid-value "10Q"'], check: (fs) => assert.equal(only(fs, 'dm-invalid-value').dockerd, "failed to start daemon: error initializing graphdriver: invalid suffix: 'q': devicemapper") },
  { name: 'size 512Ki accepted by 18.09–22.06 only', engine: '23.0.0', text: dm('dm.thinpooldev=/dev/mapper/p', 'dm.basesize=512Ki'), expect: ['dm-invalid-value "512Ki"'] },
  { name: 'negative size 23.0+', engine: '23.0.0', text: dm('dm.thinpooldev=/dev/mapper/p', 'dm.basesize=-1G'), expect: ['dm-invalid-value "-1G"'] },
  { name: 'size with unknown engine: some eras reject', text: dm('dm.thinpooldev=/dev/mapper/p', 'dm.basesize=10GiB'), expect: ['dm-invalid-value "10GiB"'], check: (fs) => {
    const f = only(fs, 'dm-invalid-value');
    assert.equal(f.severity, 'warning');
    assert.equal(f.appliesTo, 'Engine ≤ 1.12, 1.13–18.06');
    assert.match(f.message, /Engine 18\.09–24\.0: no problem/);
  } },
  { name: 'size with unknown engine: every era rejects', text: dm('dm.thinpooldev=/dev/mapper/p', 'dm.basesize=big'), expect: ['dm-invalid-value "big"'], check: (fs) => {
    const f = only(fs, 'dm-invalid-value');
    assert.equal(f.severity, 'error');
    assert.equal(f.appliesTo, undefined);
  } },
  { name: 'value through JSON escapes and spaces', engine: '24.0.7', text: '{"storage-driver": "devicemapper", "storage-opts": ["dm.thinpooldev=/dev/mapper/p", "dm.fs= \\u0058FS\\t"]}', expect: ['dm-invalid-value "\\\\u0058FS"'] },
  { name: 'two options in one string', engine: '24.0.7', text: dm('dm.thinpooldev=/dev/mapper/p', 'dm.basesize=20G dm.fs=xfs'), expect: ['dm-invalid-value "20G dm.fs=xfs"'], check: (fs) => assert.match(only(fs, 'dm-invalid-value').message, /own array element/) },

  // dm-invalid-value: other parsers (§1.1, §1.3)
  { name: 'dm.fs case ≤ 1.9', engine: '1.9.1', text: dm('dm.thinpooldev=/dev/mapper/p', 'dm.fs=XFS'), expect: ['dm-invalid-value "XFS"'], check: (fs) => assert.equal(only(fs, 'dm-invalid-value').dockerd, 'Error starting daemon: error initializing graphdriver: Unsupported filesystem XFS') },
  { name: 'dm.fs case 24.0', engine: '24.0.7', text: dm('dm.thinpooldev=/dev/mapper/p', 'dm.fs=XFS'), expect: ['dm-invalid-value "XFS"'], check: (fs) => {
    const f = only(fs, 'dm-invalid-value');
    assert.equal(f.dockerd, 'failed to start daemon: error initializing graphdriver: devmapper: Unsupported filesystem XFS: devicemapper');
    assert.equal(f.fix?.edits[0]?.newText, 'xfs');
  } },
  { name: 'dm.fs unknown filesystem', text: dm('dm.thinpooldev=/dev/mapper/p', 'dm.fs=btrfs'), expect: ['dm-invalid-value "btrfs"'] },
  { name: 'bool yes', engine: '20.10.24', text: dm('dm.thinpooldev=/dev/mapper/p', 'dm.use_deferred_removal=yes'), expect: ['dm-invalid-value "yes"'], check: (fs) => {
    assert.match(only(fs, 'dm-invalid-value').message, /strconv\.ParseBool: parsing "yes": invalid syntax/);
    assert.equal(only(fs, 'dm-invalid-value').fix?.edits[0]?.newText, 'true');
  } },
  { name: 'min_free_space without %', engine: '20.10.24', text: dm('dm.thinpooldev=/dev/mapper/p', 'dm.min_free_space=10'), expect: ['dm-invalid-value "10"'], check: (fs) => assert.equal(only(fs, 'dm-invalid-value').fix?.edits[0]?.newText, '10%') },
  { name: 'min_free_space not a number', engine: '20.10.24', text: dm('dm.thinpooldev=/dev/mapper/p', 'dm.min_free_space=ten%'), expect: ['dm-invalid-value "ten%"'], check: (fs) => assert.match(only(fs, 'dm-invalid-value').message, /strconv\.ParseUint: parsing "ten": invalid syntax/) },
  { name: 'min_free_space 100%', engine: '20.10.24', text: dm('dm.thinpooldev=/dev/mapper/p', 'dm.min_free_space=100%'), expect: ['dm-invalid-value "100%"'], check: (fs) => assert.match(only(fs, 'dm-invalid-value').message, /devmapper: Invalid value 100% for option dm\.min_free_space/) },
  { name: 'min_free_space before 1.11', engine: '1.10.3', text: dm('dm.thinpooldev=/dev/mapper/p', 'dm.min_free_space=10%'), expect: ['dm-unknown-option "dm.min_free_space"'] },
  { name: 'xfs_nospace_max_retries -1', engine: '20.10.24', text: dm('dm.thinpooldev=/dev/mapper/p', 'dm.xfs_nospace_max_retries=-1'), expect: ['dm-invalid-value "-1"'] },
  { name: 'thinp_percent 100', engine: '20.10.24', text: dm('dm.directlvm_device=/dev/xvdf', 'dm.thinp_percent=100', 'dm.thinp_metapercent=1'), expect: ['dm-invalid-value "100"'], check: (fs) => assert.match(only(fs, 'dm-invalid-value').message, /dm\.thinp_percent must be greater than 0 and less than 100/) },
  { name: 'thinp_percent with % is fine', engine: '20.10.24', text: dm('dm.directlvm_device=/dev/xvdf', 'dm.thinp_percent=95%', 'dm.thinp_metapercent=1%'), expect: [] },
  { name: 'thinp_metapercent not a number', engine: '20.10.24', text: dm('dm.directlvm_device=/dev/xvdf', 'dm.thinp_percent=95', 'dm.thinp_metapercent=one'), expect: ['dm-invalid-value "one"'], check: (fs) => assert.match(only(fs, 'dm-invalid-value').message, /could not parse `dm\.thinp_metapercent=one`: strconv\.ParseUint: parsing "one": invalid syntax/) },
  { name: 'autoextend threshold 100 is accepted, 101 is not', engine: '20.10.24', text: dm('dm.directlvm_device=/dev/xvdf', 'dm.thinp_autoextend_threshold=100', 'dm.thinp_autoextend_percent=101'), expect: ['dm-invalid-value "101"'] },
  { name: 'libdm_log_level out of range', engine: '20.10.24', text: dm('dm.thinpooldev=/dev/mapper/p', 'dm.libdm_log_level=1'), expect: ['dm-invalid-value "1"'], check: (fs) => assert.match(only(fs, 'dm-invalid-value').message, /dm\.libdm_log_level must be in range \[2,7\]/) },
  { name: 'libdm_log_level not a number', engine: '20.10.24', text: dm('dm.thinpooldev=/dev/mapper/p', 'dm.libdm_log_level=debug'), expect: ['dm-invalid-value "debug"'], check: (fs) => assert.match(only(fs, 'dm-invalid-value').message, /could not parse `dm\.libdm_log_level=debug`: strconv\.ParseInt: parsing "debug": invalid syntax/) },
  { name: 'empty size value', engine: '24.0.7', text: dm('dm.thinpooldev=/dev/mapper/p', 'dm.basesize='), expect: ['dm-invalid-value "dm.basesize="'] },
  { name: 'blocksize not a multiple of 64 KiB (loop)', engine: '20.10.24', text: dm('dm.blocksize=100K'), expect: ['dm-invalid-value "100K"'], check: (fs) => {
    const f = only(fs, 'dm-invalid-value');
    assert.match(f.message, /200 sectors/);
    assert.equal(f.fix?.edits[0]?.newText, '128K');
  } },
  { name: 'blocksize 4G wraps to 0 sectors', engine: '20.10.24', text: dm('dm.blocksize=4G'), expect: ['dm-invalid-value "4G"'], check: (fs) => assert.match(only(fs, 'dm-invalid-value').message, / 0 sectors/) },
  { name: 'blocksize 512K is fine (loop)', engine: '20.10.24', text: dm('dm.blocksize=512K'), expect: [] },

  // dm-conflict (§1.3, §1.5, §1.6)
  { name: 'thinpooldev with directlvm_device', engine: '20.10.24', text: dm('dm.thinpooldev=/dev/mapper/p', 'dm.directlvm_device=/dev/xvdf'), expect: ['dm-conflict "dm.directlvm_device"'], check: (fs) => assert.equal(only(fs, 'dm-conflict').dockerd, 'cannot setup direct-lvm when `dm.thinpooldev` is also specified') },
  { name: 'thinp_* without a device', engine: '20.10.24', text: dm('dm.thinp_autoextend_threshold=80'), expect: ['dm-conflict "dm.thinp_autoextend_threshold"'] },
  { name: 'a zero thinp_* value leaves direct-lvm unconfigured', engine: '20.10.24', text: dm('dm.thinpooldev=/dev/mapper/p', 'dm.thinp_percent=0'), expect: [] },
  { name: 'only thinp_percent', engine: '20.10.24', text: dm('dm.directlvm_device=/dev/xvdf', 'dm.thinp_percent=90'), expect: ['dm-conflict "dm.thinp_percent"'], check: (fs) => assert.equal(only(fs, 'dm-conflict').fix?.edits[0]?.newText, ',\n    "dm.thinp_metapercent=1"') },
  { name: 'only thinp_metapercent', engine: '20.10.24', text: dm('dm.directlvm_device=/dev/xvdf', 'dm.thinp_metapercent=2'), expect: ['dm-conflict "dm.thinp_metapercent"'] },
  { name: 'percentages above 100', engine: '20.10.24', text: dm('dm.directlvm_device=/dev/xvdf', 'dm.thinp_percent=95', 'dm.thinp_metapercent=10'), expect: ['dm-conflict "95"'] },
  { name: 'deletion true, removal false (every era)', engine: '1.12.6', text: dm('dm.thinpooldev=/dev/mapper/p', 'dm.use_deferred_removal=false', 'dm.use_deferred_deletion=true'), expect: ['dm-conflict "true"'] },
  { name: 'deletion true, removal unset before 17.07', engine: '17.06.0-ce', text: dm('dm.thinpooldev=/dev/mapper/p', 'dm.use_deferred_deletion=true'), expect: ['dm-conflict "true"'], check: (fs) => assert.equal(only(fs, 'dm-conflict').fix?.edits[0]?.newText, '"dm.use_deferred_removal=true",\n    ') },
  { name: 'deletion true, removal unset from 17.07', engine: '17.07.0-ce', text: dm('dm.thinpooldev=/dev/mapper/p', 'dm.use_deferred_deletion=true'), expect: [] },
  { name: 'removal false alone before 17.07', engine: '17.06.0-ce', text: dm('dm.thinpooldev=/dev/mapper/p', 'dm.use_deferred_removal=false'), expect: [] },
  { name: 'removal false alone from 17.07 (the default trap)', engine: '17.07.0-ce', text: dm('dm.thinpooldev=/dev/mapper/p', 'dm.use_deferred_removal=false'), expect: ['dm-conflict "false"'], check: (fs) => {
    const f = only(fs, 'dm-conflict');
    assert.equal(f.severity, 'error');
    assert.equal(f.fix?.edits[0]?.newText, ',\n    "dm.use_deferred_deletion=false"');
  } },
  { name: 'removal false alone, engine unknown', text: dm('dm.thinpooldev=/dev/mapper/p', 'dm.use_deferred_removal=false'), expect: ['dm-conflict "false"'], check: (fs) => {
    const f = only(fs, 'dm-conflict');
    assert.equal(f.severity, 'warning');
    assert.equal(f.appliesTo, 'Engine 17.07–24.0');
  } },
  { name: 'both deferred flags false', engine: '20.10.24', text: dm('dm.thinpooldev=/dev/mapper/p', 'dm.use_deferred_removal=false', 'dm.use_deferred_deletion=false'), expect: [] },

  // dm-ignored-option (§1.3, §1.5)
  { name: 'loop sizes with thinpooldev', engine: '20.10.24', text: dm('dm.thinpooldev=/dev/mapper/p', 'dm.loopdatasize=200G', 'dm.loopmetadatasize=4G'), expect: ['dm-ignored-option "dm.loopdatasize"', 'dm-ignored-option "dm.loopmetadatasize"'] },
  { name: 'blocksize in direct-lvm', engine: '20.10.24', text: dm('dm.directlvm_device=/dev/xvdf', 'dm.blocksize=64K'), expect: ['dm-ignored-option "dm.blocksize"'] },
  { name: 'datadev with directlvm', engine: '20.10.24', text: dm('dm.directlvm_device=/dev/xvdf', 'dm.datadev=/dev/sdb'), expect: ['dm-ignored-option "dm.datadev"'] },
  { name: 'loopdatasize with datadev', engine: '1.12.6', text: dm('dm.datadev=/dev/sdb', 'dm.metadatadev=/dev/sdc', 'dm.loopdatasize=10G'), expect: ['dm-ignored-option "dm.loopdatasize"'] },
  { name: 'force without device', engine: '20.10.24', text: dm('dm.thinpooldev=/dev/mapper/p', 'dm.directlvm_device_force=true'), expect: ['dm-ignored-option "dm.directlvm_device_force"'] },
  { name: 'xfs retries with ext4', engine: '20.10.24', text: dm('dm.thinpooldev=/dev/mapper/p', 'dm.fs=ext4', 'dm.xfs_nospace_max_retries=0'), expect: ['dm-ignored-option "dm.xfs_nospace_max_retries"'] },
  { name: 'udev override in 1.7.1–1.10', engine: '1.8.3', text: dm('dm.thinpooldev=/dev/mapper/p', 'dm.override_udev_sync_check=true'), expect: ['dm-ignored-option "dm.override_udev_sync_check"'] },
  { name: 'udev override in 1.11+', engine: '1.11.0', text: dm('dm.thinpooldev=/dev/mapper/p', 'dm.override_udev_sync_check=true'), expect: [] },
  { name: 'option given twice', engine: '20.10.24', text: dm('dm.thinpooldev=/dev/mapper/p', 'dm.basesize=10G', 'dm.basesize=20G'), expect: ['dm-ignored-option "dm.basesize"'], check: (fs) => assert.equal(only(fs, 'dm-ignored-option').range.start.line, 4) },
  { name: 'repeatable options may repeat', engine: '20.10.24', text: dm('dm.thinpooldev=/dev/mapper/p', 'dm.mountopt=nodiscard', 'dm.mountopt=noatime', 'dm.mkfsarg=-K', 'dm.mkfsarg=-n size=64k'), expect: [] },
  { name: 'empty thinpooldev', engine: '20.10.24', text: dm('dm.thinpooldev='), expect: ['dm-ignored-option "dm.thinpooldev="', 'dm-loopback-mode "devicemapper"'] },

  // dm-loopback-mode (§1.5, §4.4)
  { name: 'loop-lvm 17.06', engine: '17.06.0-ce', text: dm('dm.basesize=20G'), expect: ['dm-loopback-mode "devicemapper"'], check: (fs) => assert.match(only(fs, 'dm-loopback-mode').message, /direct-lvm/) },
  { name: 'loop-lvm 1.12 (no direct-lvm yet)', engine: '1.12.6', text: '{"storage-driver": "devicemapper"}', expect: ['dm-loopback-mode "devicemapper"'], check: (fs) => assert.doesNotMatch(only(fs, 'dm-loopback-mode').message, /direct-lvm/) },
  { name: 'only datadev: metadata in a loop file', engine: '1.12.6', text: dm('dm.datadev=/dev/sdb'), expect: ['dm-loopback-mode "devicemapper"'], check: (fs) => assert.match(only(fs, 'dm-loopback-mode').message, /metadata/) },
  { name: 'no loop finding with a pool', engine: '20.10.24', text: dm('dm.thinpooldev=/dev/mapper/p'), expect: [] },

  // dm-blkdiscard-off (§1.3, §6.2)
  { name: 'blkdiscard off in loop mode', engine: '17.06.0-ce', text: dm('dm.blkdiscard=false'), expect: ['dm-blkdiscard-off "false"', 'dm-loopback-mode "devicemapper"'], check: (fs) => assert.equal(only(fs, 'dm-blkdiscard-off').severity, 'information') },
  { name: 'blkdiscard off in direct-lvm', engine: '17.06.0-ce', text: dm('dm.directlvm_device=/dev/xvdf', 'dm.blkdiscard=0'), expect: ['dm-blkdiscard-off "0"'] },
  { name: 'blkdiscard off with thinpooldev is the default', engine: '17.06.0-ce', text: dm('dm.thinpooldev=/dev/mapper/p', 'dm.blkdiscard=false'), expect: [] },

  // driver-deprecated / driver-removed (§2.3, §2.4)
  { name: 'not deprecated in 18.06', engine: '18.06.3-ce', text: dm('dm.thinpooldev=/dev/mapper/p'), expect: [] },
  { name: 'deprecated in 18.09 (docs only)', engine: '18.09.9', text: dm('dm.thinpooldev=/dev/mapper/p'), expect: ['driver-deprecated "devicemapper"'], check: (fs) => assert.equal(only(fs, 'driver-deprecated').dockerd, undefined) },
  { name: 'deprecation logged 19.03–22.06', engine: '19.03.15', text: dm('dm.thinpooldev=/dev/mapper/p'), expect: ['driver-deprecated "devicemapper"'], check: (fs) => assert.equal(only(fs, 'driver-deprecated').dockerd, '[graphdriver] WARNING: the devicemapper storage-driver is deprecated, and will be removed in a future release') },
  { name: 'deprecation 23.0–24.0', engine: '24.0.7', text: dm('dm.thinpooldev=/dev/mapper/p'), expect: ['driver-deprecated "devicemapper"'], check: (fs) => {
    const f = only(fs, 'driver-deprecated');
    assert.match(f.dockerd!, /deprecated and will be removed in a future release; visit https:\/\/docs\.docker\.com\/go\/storage-driver\//);
    assert.match(f.message, /no longer selected automatically/);
    assert.match(f.fix!.title, /Migrate to overlay2/);
  } },
  { name: 'removed in 25.0', engine: '25.0.3', text: dm('dm.thinpooldev=/dev/mapper/p', 'dm.fs=XFS'), expect: ['driver-removed "devicemapper"'], check: (fs) => {
    const f = only(fs, 'driver-removed');
    assert.equal(f.severity, 'error');
    assert.equal(f.dockerd, 'failed to start daemon: error initializing graphdriver: [graphdriver] ERROR: the devicemapper storage-driver has been deprecated and removed; visit https://docs.docker.com/go/storage-driver/ for more information: devicemapper');
  } },
  { name: 'removed: containerd image store in 29', engine: '29.0.0', text: '{"storage-driver": "devicemapper"}', expect: ['driver-removed "devicemapper"'], check: (fs) => assert.match(only(fs, 'driver-removed').message, /configured driver "devicemapper" not available/) },
  { name: 'deprecation with unknown engine', text: dm('dm.thinpooldev=/dev/mapper/p'), expect: ['driver-deprecated "devicemapper"'], check: (fs) => {
    const f = only(fs, 'driver-deprecated');
    assert.equal(f.appliesTo, 'Engine ≥ 18.09');
    assert.match(f.message, /25\.0/);
  } },

  // driver-option-mismatch (§1.1 step 4)
  { name: 'dm option with overlay2', engine: '24.0.7', text: withDriver('overlay2', 'dm.basesize=20G'), expect: ['driver-option-mismatch "dm.basesize"'], check: (fs) => assert.equal(only(fs, 'driver-option-mismatch').dockerd, 'overlay2: unknown option dm.basesize') },
  { name: 'overlay2 option with devicemapper', engine: '20.10.24', text: dm('dm.thinpooldev=/dev/mapper/p', 'overlay2.size=10G'), expect: ['driver-option-mismatch "overlay2.size"'], check: (fs) => assert.equal(only(fs, 'driver-option-mismatch').dockerd, 'devmapper: Unknown option overlay2.size') },
  { name: 'dm options with zfs', engine: '20.10.24', text: withDriver('zfs', 'dm.basesize=20G', 'zfs.fsname=tank/docker'), expect: ['driver-option-mismatch "dm.basesize"'] },
  { name: 'dm options without storage-driver, 23.0+', engine: '24.0.7', text: '{"storage-opts": ["dm.thinpooldev=/dev/mapper/p"]}', expect: ['driver-option-mismatch "storage-opts"'], check: (fs) => {
    const f = only(fs, 'driver-option-mismatch');
    assert.equal(f.severity, 'error');
    assert.equal(f.fix?.edits[0]?.newText, '"storage-driver": "devicemapper", ');
  } },
  { name: 'dm options without storage-driver, before 23.0', engine: '20.10.24', text: '{"storage-opts": ["dm.thinpooldev=/dev/mapper/p"]}', expect: ['driver-option-mismatch "storage-opts"'], check: (fs) => assert.equal(only(fs, 'driver-option-mismatch').severity, 'warning') },

  // overlay2's own options
  { name: 'overlay2 option misspelt', engine: '24.0.7', text: withDriver('overlay2', 'overlay2.sise=10G'), expect: ['overlay2-unknown-option "overlay2.sise"'], check: (fs) => assert.equal(only(fs, 'overlay2-unknown-option').fix?.edits[0]?.newText, 'overlay2.size') },
  { name: 'overlay2.size bad suffix 23.0+', engine: '24.0.7', text: withDriver('overlay2', 'overlay2.size=10Q'), expect: ['overlay2-invalid-value "10Q"'], check: (fs) => assert.equal(only(fs, 'overlay2-invalid-value').dockerd, "invalid suffix: 'q'") },
  { name: 'overlay2 options without driver are checked as overlay2', engine: '24.0.7', text: '{"storage-opts": ["overlay2.size=10GiB"]}', expect: [] },
];

describe('daemon.json rules (issue 4 §3)', () => {
  for (const c of CASES) {
    test(`${c.name}${c.engine ? ` [${c.engine}]` : ' [engine unknown]'}`, () => {
      const fs = validateDaemonJson(c.text, c.engine ? { engine: c.engine } : {});
      const named = new Set(c.expect.map((e) => e.split(' ')[0]!));
      const keep = (code: string): boolean => !AMBIENT.has(code) || named.has(code);
      assert.deepEqual(keys(c.text, fs, keep), [...c.expect].sort());
      for (const f of fs) {
        assert.ok(f.code in DAEMON_JSON_CODES, f.code);
        assert.ok(!/undefined|NaN|\[object Object\]/.test(f.message), f.message);
      }
      c.check?.(fs, c.text);
    });
  }
});

/** Applies a fix's edits (non-overlapping) to the text. */
function applyFix(text: string, edits: { range: DaemonFinding['range']; newText: string }[]): string {
  const offsets = (p: { line: number; character: number }): number => {
    const re = /\r\n|\r|\n/g;
    let start = 0;
    for (let l = 0; l < p.line; l++) {
      const m = re.exec(text);
      if (!m) return text.length;
      start = m.index + m[0].length;
    }
    return start + p.character;
  };
  const sorted = [...edits].sort((a, b) => offsets(b.range.start) - offsets(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, offsets(e.range.start)) + e.newText + out.slice(offsets(e.range.end));
  return out;
}

describe('quick fixes: applying the edit removes the finding', () => {
  const inputs: { text: string; engine?: string }[] = CASES.map((c) => ({ text: c.text, ...(c.engine ? { engine: c.engine } : {}) }));
  let applied = 0;
  test('every fix of every case', () => {
    for (const input of inputs) {
      const before = validateDaemonJson(input.text, input);
      for (const f of before) {
        for (const fix of [f.fix, ...(f.moreFixes ?? [])]) {
          if (!fix) continue;
          const after = applyFix(input.text, fix.edits);
          const again = validateDaemonJson(after, input);
          applied++;
          const count = (fs: DaemonFinding[]): number => fs.filter((x) => x.code === f.code).length;
          assert.ok(count(again) < count(before), `${f.code} "${fix.title}" on ${JSON.stringify(input.text)} → ${JSON.stringify(after)}: ${JSON.stringify(again.map((x) => x.code))}`);
          const syntaxBefore = before.filter((x) => x.code === 'json-syntax' || x.code === 'jsonc-comment').length;
          assert.ok(again.filter((x) => x.code === 'json-syntax' || x.code === 'jsonc-comment').length <= syntaxBefore, `fix broke the JSON: ${after}`);
        }
      }
    }
    assert.ok(applied > 40, `${applied} fixes applied`);
  });

  test('migrate to overlay2 leaves a clean overlay2 configuration', () => {
    const text = dm('dm.thinpooldev=/dev/mapper/p', 'dm.use_deferred_removal=true', 'overlay2.size=10G');
    const f = validateDaemonJson(text, { engine: '24.0.7' }).find((x) => x.code === 'driver-deprecated')!;
    const after = applyFix(text, f.fix!.edits);
    assert.deepEqual(JSON.parse(after), { 'storage-driver': 'overlay2', 'storage-opts': ['overlay2.size=10G'] });
    assert.deepEqual(validateDaemonJson(after, { engine: '24.0.7' }), []);
    assert.match(f.fix!.title, /not visible under overlay2/);
    const all = dm('dm.thinpooldev=/dev/mapper/p');
    const g = validateDaemonJson(all, { engine: '25.0' }).find((x) => x.code === 'driver-removed')!;
    assert.deepEqual(JSON.parse(applyFix(all, g.fix!.edits)), { 'storage-driver': 'overlay2' });
  });
});

describe('ranges and line endings', () => {
  test('CRLF and CR documents give the same positions', () => {
    const lf = dm('dm.thinpooldev=/dev/mapper/p', 'dm.fs=XFS');
    for (const eol of ['\r\n', '\r']) {
      const text = lf.replace(/\n/g, eol);
      const a = validateDaemonJson(lf, { engine: '24.0.7' }).map((f) => [f.code, f.range]);
      const b = validateDaemonJson(text, { engine: '24.0.7' }).map((f) => [f.code, f.range]);
      assert.deepEqual(b, a);
    }
  });

  test('characters are UTF-16 code units', () => {
    const text = '{"storage-driver": "devicemapper", "storage-opts": ["dm.thinpooldev=/dev/mapper/😀", "dm.fs=XFS"]}';
    const f = only(validateDaemonJson(text, { engine: '24.0.7' }), 'dm-invalid-value');
    assert.equal(text.slice(f.range.start.character, f.range.end.character), 'XFS');
  });
});

describe('analysis model', () => {
  test('entries, driver and mode', () => {
    const text = dm('dm.directlvm_device=/dev/xvdf', ' DM.Thinp_Percent = 95 ', 'dm.thinp_metapercent=1');
    const a = analyzeDaemonJson(text, { engine: '17.06.0-ce' });
    assert.equal(a.mode, 'dlvm');
    assert.equal(a.driver?.name, 'devicemapper');
    assert.equal(a.engine?.major, 17);
    assert.deepEqual(a.storageOpts.map((e) => [e.lowerKey, e.value, covered(text, { range: e.keyRange }), covered(text, { range: e.valueRange! })]), [
      ['dm.directlvm_device', '/dev/xvdf', 'dm.directlvm_device', '/dev/xvdf'],
      ['dm.thinp_percent', '95', 'DM.Thinp_Percent', '95'],
      ['dm.thinp_metapercent', '1', 'dm.thinp_metapercent', '1'],
    ]);
    assert.equal(analyzeDaemonJson(dm('dm.thinpooldev=/dev/mapper/p')).mode, 'pool');
    assert.equal(analyzeDaemonJson(dm('dm.datadev=/dev/sdb', 'dm.metadatadev=/dev/sdc')).mode, 'raw');
    assert.equal(analyzeDaemonJson(dm()).mode, 'loop');
  });

  test('isDaemonJson', () => {
    assert.equal(isDaemonJson('/etc/docker/daemon.json', ''), true);
    assert.equal(isDaemonJson('C:\\ProgramData\\docker\\config\\daemon.json', 'x'), true);
    assert.equal(isDaemonJson('/tmp/docker-config.json', '{"storage-driver": "overlay2"}'), true);
    assert.equal(isDaemonJson('/tmp/x.json', '{\n  // c\n  "storage-opts": ["dm.basesize=20G"],\n}'), true);
    assert.equal(isDaemonJson('/tmp/x.json', '{"nested": {"storage-driver": "overlay2"}}'), false);
    assert.equal(isDaemonJson('/tmp/package.json', '{"name": "x"}'), false);
    assert.equal(isDaemonJson('/tmp/x.json', '"storage-driver": 1'), false);
  });
});

describe('knowledge tables', () => {
  test('the 23 dm.* keys of NewDeviceSet (devicemapper.md §1.3)', () => {
    assert.deepEqual([...DM_KEYS].sort(), [
      'dm.basesize', 'dm.blkdiscard', 'dm.blocksize', 'dm.datadev', 'dm.directlvm_device', 'dm.directlvm_device_force', 'dm.fs', 'dm.libdm_log_level',
      'dm.loopdatasize', 'dm.loopmetadatasize', 'dm.metadatadev', 'dm.min_free_space', 'dm.mkfsarg', 'dm.mountopt', 'dm.override_udev_sync_check',
      'dm.thinp_autoextend_percent', 'dm.thinp_autoextend_threshold', 'dm.thinp_metapercent', 'dm.thinp_percent', 'dm.thinpooldev',
      'dm.use_deferred_deletion', 'dm.use_deferred_removal', 'dm.xfs_nospace_max_retries',
    ]);
    for (const k of DM_KEYS) {
      const d = DM_OPTIONS[k];
      assert.equal(d.key, k);
      assert.ok(parseEngineVersion(d.since), `${k} since`);
      assert.ok(d.source && d.meaning && d.docs.startsWith('https://'), k);
      assert.ok(d.defaults.length > 0, k);
      for (const def of d.defaults) for (const v of [def.since, def.until]) if (v) assert.ok(parseEngineVersion(v), `${k} default ${v}`);
    }
  });

  test('the codes of issue 4 §3', () => {
    for (const code of ['json-syntax', 'jsonc-comment', 'duplicate-key', 'unknown-directive', 'storage-opts-not-array', 'storage-opt-syntax', 'storage-opt-flag-prefix', 'dm-unknown-option', 'dm-invalid-value', 'dm-conflict', 'dm-ignored-option', 'dm-loopback-mode', 'dm-blkdiscard-off', 'driver-deprecated', 'driver-removed', 'driver-option-mismatch']) {
      assert.ok(code in DAEMON_JSON_CODES, code);
    }
    for (const [code, doc] of Object.entries(DAEMON_JSON_CODES)) {
      assert.match(code, /^[a-z0-9]+(?:-[a-z0-9]+)*$/);
      assert.ok(doc.source.length > 0 && doc.title.length > 0, code);
    }
  });
});
