import { setTimeout as sleep } from 'node:timers/promises';
import { startPostgres, stopPostgres } from '../../src/stack/postgresCluster.js';
import { startS3, stopS3 } from '../../src/stack/s3Server.js';
import { withStackLock } from '../../src/stack/stackLock.js';
import { readStackState, writeStackState } from '../../src/stack/stackState.js';

export type RestartableService = 'postgres' | 's3';

export interface ServiceRestart {
  service: RestartableService;
  /** Wall-clock ms when the stop began and when the service answered again. */
  stoppedAt: number;
  upAt: number;
  oldPid: number;
  newPid: number;
}

/**
 * Stops one service of a running local stack and starts it again on the same port with the same
 * data (cluster directory, s3rver directory), as a crash-and-restart of a real database or object
 * store would look to clients: connections drop, requests fail for `downMs`, then the same
 * address answers with the same contents. The new pid goes into stack.json under the stack lock,
 * so `stack down` (and the harness's teardown) still stops the service afterwards.
 *
 * Postgres stops with `pg_ctl -m fast` (open sessions are terminated, as in a failover or an
 * operator restart); s3rver gets SIGTERM (in-flight requests are cut).
 */
export async function restartStackService(dir: string, service: RestartableService, options: { downMs?: number } = {}): Promise<ServiceRestart> {
  const downMs = options.downMs ?? 0;
  return withStackLock(dir, async () => {
    const state = await readStackState(dir);
    const stoppedAt = Date.now();
    if (service === 'postgres') {
      const record = state.postgres;
      if (!record) throw new Error(`restartStackService: no postgres recorded in ${dir}/stack.json`);
      await stopPostgres(record);
      await sleep(downMs);
      state.postgres = await startPostgres({ dir, port: record.port, binDir: record.binDir });
      await writeStackState(state);
      return { service, stoppedAt, upAt: Date.now(), oldPid: record.pid, newPid: state.postgres.pid };
    }
    const record = state.s3;
    if (!record) throw new Error(`restartStackService: no s3 recorded in ${dir}/stack.json`);
    await stopS3(record);
    await sleep(downMs);
    state.s3 = await startS3({ dir, port: record.port });
    await writeStackState(state);
    return { service, stoppedAt, upAt: Date.now(), oldPid: record.pid, newPid: state.s3.pid };
  });
}
