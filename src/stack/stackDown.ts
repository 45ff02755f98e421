import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { stopAnvil } from './anvilNode.js';
import { stopCodecServer } from './codecServerProcess.js';
import { stopPostgres } from './postgresCluster.js';
import { stopS3 } from './s3Server.js';
import { withStackLock } from './stackLock.js';
import { readStackState, resolveStackDir, writeStackState, type ServiceName } from './stackState.js';
import { stopTemporal } from './temporalServer.js';

export interface StackDownOptions {
  dir?: string;
  /** Also delete the state directory (databases, lake objects, logs). */
  purge?: boolean;
}

/** Stops the services `stack up` recorded, by pid; returns the names of those it stopped. */
export async function stackDown(options: StackDownOptions = {}): Promise<ServiceName[]> {
  const dir = resolveStackDir(options.dir);
  if (!existsSync(dir)) return [];
  const stopped = await withStackLock(dir, () => stopAll(dir));
  if (options.purge) await rm(dir, { recursive: true, force: true });
  return stopped;
}

async function stopAll(dir: string): Promise<ServiceName[]> {
  const state = await readStackState(dir);
  const stops: [ServiceName, Promise<void> | undefined][] = [
    ['codec', state.codec && stopCodecServer(state.codec)],
    ['anvil', state.anvil && stopAnvil(state.anvil)],
    ['s3', state.s3 && stopS3(state.s3)],
    ['temporal', state.temporal && stopTemporal(state.temporal)],
    ['postgres', state.postgres && stopPostgres(state.postgres)],
  ];
  const stopped: ServiceName[] = [];
  for (const [name, stop] of stops) {
    if (!stop) continue;
    await stop;
    delete state[name];
    stopped.push(name);
  }
  await writeStackState(state);
  return stopped;
}
