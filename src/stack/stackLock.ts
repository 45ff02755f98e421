import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isRunning } from './processes.js';
import { StackError } from './StackError.js';

/**
 * Runs `fn` holding `<dir>/stack.lock`, so two `stack up`/`down` on one directory never start a
 * service twice. A lock whose owner process is gone is taken over.
 */
export async function withStackLock<T>(dir: string, fn: () => Promise<T>, timeoutMs = 600_000): Promise<T> {
  await mkdir(dir, { recursive: true });
  const lockFile = join(dir, 'stack.lock');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const handle = await open(lockFile, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(await readFile(lockFile, 'utf8').catch(() => ''));
      if (owner > 0 && !isRunning(owner)) {
        await rm(lockFile, { force: true });
        continue;
      }
      if (Date.now() > deadline) {
        throw new StackError('Another ledgerflow stack command holds the stack directory', {
          context: { dir, lock: lockFile, pid: owner || undefined },
          fix: `wait for it to finish, or delete ${lockFile} if no such process runs`,
        });
      }
      await sleep(200);
    }
  }
  try {
    return await fn();
  } finally {
    await rm(lockFile, { force: true });
  }
}
