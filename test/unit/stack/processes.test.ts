import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isRunning, spawnDetached, stopProcess, waitUntilHealthy } from '../../../src/stack/processes.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ledgerflow-proc-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('spawnDetached and stopProcess', () => {
  it('starts a process group with output in the log file and stops the whole group', async () => {
    const logFile = join(dir, 'sleeper.log');
    const marker = `marker-${process.pid}`;
    const pid = await spawnDetached({ command: 'bash', args: ['-c', `echo started; sleep 300 & wait # ${marker}`], logFile });
    await waitUntilHealthy('sleeper', async () => (await readFile(logFile, 'utf8')).includes('started'), { pid, logFile, timeoutMs: 10_000 });
    expect(isRunning(pid, marker)).toBe(true);
    expect(isRunning(pid, 'some-other-service')).toBe(false);
    await stopProcess(pid, marker);
    expect(isRunning(pid)).toBe(false);
  });

  it('reports a service that exits during start-up with its log file and last lines', async () => {
    const logFile = join(dir, 'broken.log');
    const pid = await spawnDetached({ command: 'bash', args: ['-c', 'echo "bind: address already in use"; exit 3'], logFile });
    await expect(waitUntilHealthy('broken service', async () => false, { pid, logFile, timeoutMs: 10_000 })).rejects.toThrow(
      `broken service exited during start-up (pid=${pid} log=${logFile} last_lines=bind: address already in use)`,
    );
  });

  it('gives up after the timeout, naming the log file', async () => {
    const logFile = join(dir, 'silent.log');
    await expect(waitUntilHealthy('silent service', async () => false, { logFile, timeoutMs: 300 })).rejects.toThrow(/silent service did not answer within 0 s .*silent\.log/);
  });

  it('fails to start a missing binary with a clear message', async () => {
    await expect(spawnDetached({ command: join(dir, 'no-such-binary'), args: [], logFile: join(dir, 'x.log') })).rejects.toThrow(/Cannot start .*no-such-binary/);
  });
});
