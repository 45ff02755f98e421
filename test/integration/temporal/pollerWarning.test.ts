import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { WorkflowFailedError, type Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectClient, temporalTargetFromEnv } from '../../../src/cli/temporal/connectClient.js';
import { followDay } from '../../../src/cli/temporal/followDay.js';
import { noWorkerLine, warnIfNoWorker } from '../../../src/cli/temporal/noWorkerWarning.js';
import { dailyEtl } from '../../../src/workflows/dailyEtl.js';

// Fresh task queues: other test files' workers poll ledgerflow-workflows on this shared server, and
// the server lists a stopped worker as a poller for minutes.
const stack = inject('stack');
const suffix = randomBytes(3).toString('hex');
let client: Client;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ client, close } = await connectClient(temporalTargetFromEnv(stack as unknown as Record<string, string>)));
});
afterAll(async () => {
  await close?.();
});

function captured() {
  const out = new PassThrough();
  let text = '';
  out.on('data', (d: Buffer) => (text += d.toString()));
  return { out, text: () => text };
}

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('a run on a task queue no worker polls', () => {
  it('prints one warning line after the grace time and keeps waiting for the run', async () => {
    const taskQueue = `it-no-worker-${suffix}`;
    const handle = await client.workflow.start(dailyEtl, { taskQueue, workflowId: `it-poller-warning-${suffix}`, args: [{ date: '2024-01-01', chainId: 1 }] });
    const { out, text } = captured();
    const started = Date.now();
    const following = followDay(client, handle, { taskQueue, out, noWorkerGraceMs: 2_000 });
    const settled = following.then(
      () => 'returned',
      (error: unknown) => error,
    );
    try {
      await until(() => text().includes('\n'), 8_000);
      const waited = Date.now() - started;
      expect(waited).toBeGreaterThanOrEqual(2_000);
      expect(waited).toBeLessThan(6_000);
      expect(text()).toBe(`${noWorkerLine(taskQueue)}\n`);
      expect(text()).toContain('no worker polls it-no-worker-');

      // The command does not give up: the run is still open and followDay still waits for it.
      const race = await Promise.race([settled, new Promise((resolve) => setTimeout(() => resolve('waiting'), 1_500))]);
      expect(race).toBe('waiting');
      expect((await handle.describe()).status.name).toBe('RUNNING');
    } finally {
      await handle.terminate('pollerWarning test done');
    }
    expect(await settled).toBeInstanceOf(WorkflowFailedError);
    expect(text()).toBe(`${noWorkerLine(taskQueue)}\n`);
  });

  it('stays quiet when something polls the queue', async () => {
    const taskQueue = `it-polled-${suffix}`;
    const poll = new AbortController();
    // A real long poll, as a worker's poller sends it: the server lists it among the queue's pollers.
    const polling = client
      .withAbortSignal(poll.signal, () =>
        client.withDeadline(Date.now() + 30_000, () => client.workflowService.pollWorkflowTaskQueue({ namespace: client.options.namespace, taskQueue: { name: taskQueue }, identity: `it-${suffix}` })),
      )
      .catch(() => undefined);
    try {
      const { out, text } = captured();
      const started = Date.now();
      expect(await warnIfNoWorker(client, taskQueue, { out, graceMs: 3_000 })).toBe(false);
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(text()).toBe('');
    } finally {
      poll.abort();
      await polling;
    }
  });
});
