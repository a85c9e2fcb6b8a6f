/** The ssh flags `inspect` and `reclaim` share; returns false when `flag` is not one of them. */
import { checkSshOption, type SshSettings } from '../remote/ssh.js';
import { UsageError } from './usageError.js';

export function sshFlag(flag: string, value: () => string, ssh: SshSettings & { options: string[] }): boolean {
  switch (flag) {
    case '--sudo':
      ssh.useSudo = true;
      return true;
    case '--timeout': {
      const v = value();
      if (!/^\d{1,4}$/.test(v) || Number(v) < 1) throw new UsageError(`--timeout needs seconds (1–9999), not "${v}"`);
      ssh.timeoutMs = Number(v) * 1000;
      return true;
    }
    case '--ssh-config':
      ssh.configFile = value();
      return true;
    case '--ssh': // the ssh binary
      ssh.sshPath = value();
      return true;
    case '--ssh-option': {
      const v = value();
      const problem = checkSshOption(v);
      if (problem) throw new UsageError(`--ssh-option: ${problem}`);
      ssh.options.push(v);
      return true;
    }
    default:
      return false;
  }
}
