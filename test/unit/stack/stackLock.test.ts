import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withStackLock } from '../../../src/stack/stackLock.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ledgerflow-lock-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('withStackLock', () => {
  it('runs holders one after the other', async () => {
    const events: string[] = [];
    const holder = (name: string) => withStackLock(dir, async () => {
      events.push(`${name} in`);
      await sleep(100);
      events.push(`${name} out`);
    });
    await Promise.all([holder('a'), holder('b')]);
    // Either may win the race; what matters is that they never overlap.
    const first = events[0]!.split(' ')[0];
    const second = first === 'a' ? 'b' : 'a';
    expect(events).toEqual([`${first} in`, `${first} out`, `${second} in`, `${second} out`]);
  });

  it('takes over a lock left by a process that no longer runs', async () => {
    await writeFile(join(dir, 'stack.lock'), '2147483646');
    await expect(withStackLock(dir, async () => 'ran')).resolves.toBe('ran');
  });

  it('names the holder when it waits too long', async () => {
    await writeFile(join(dir, 'stack.lock'), String(process.pid));
    await expect(withStackLock(dir, async () => 'ran', 300)).rejects.toThrow(new RegExp(`Another ledgerflow stack command holds the stack directory .*pid=${process.pid}`));
    await rm(join(dir, 'stack.lock'));
  });
});
