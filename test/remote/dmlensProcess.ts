import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

/** The built CLI the remote suites run against the lab. */
export const CLI = resolve(__dirname, '../../server/out/dmlens.js');

export interface DmlensRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `dmlens args…` as a user would, without blocking the test's event loop (inspections take seconds). */
export function dmlens(args: string[]): Promise<DmlensRun> {
  return new Promise((res) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => res({ code, stdout, stderr }));
  });
}
