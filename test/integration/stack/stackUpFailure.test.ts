import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stackDown, stackStatus, stackUp } from '../../../src/stack/index.js';
import { isRunning } from '../../../src/stack/processes.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await stackDown({ dir, purge: true });
});

describe('stack up when a service cannot start', () => {
  it('names the service and its log file, keeps the others up, and down stops them', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ledgerflow-stack-fail-'));
    dirs.push(dir);
    const fake = join(dir, 'fake-temporal');
    await writeFile(fake, '#!/bin/sh\necho "fake temporal: cannot bind" >&2\nexit 3\n');
    await chmod(fake, 0o755);
    const saved = process.env.TEMPORAL_CLI;
    process.env.TEMPORAL_CLI = fake;
    try {
      await expect(stackUp({ dir, seed: { days: 1, finalityDepth: 4 } })).rejects.toThrow(
        new RegExp(`temporal did not start: Temporal dev server exited during start-up .*log=${dir}/logs/temporal\\.log last_lines=fake temporal: cannot bind`),
      );
    } finally {
      if (saved === undefined) delete process.env.TEMPORAL_CLI;
      else process.env.TEMPORAL_CLI = saved;
    }
    const statuses = await stackStatus({ dir });
    expect(statuses.map((s) => [s.name, s.healthy])).toEqual([
      ['temporal', false],
      ['postgres', true],
      ['s3', true],
      ['anvil', true],
      ['codec', true],
    ]);
    const pids = statuses.flatMap((s) => (s.pid === null ? [] : [s.pid]));
    expect(await stackDown({ dir })).toEqual(['codec', 'anvil', 's3', 'postgres']);
    expect((await stackStatus({ dir })).every((s) => !s.running)).toBe(true);
    // isRunning counts a zombie as gone: children of this worker are reaped by Node a moment later.
    for (const pid of pids) expect(isRunning(pid)).toBe(false);
  });
});
