import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { RunningWorkers } from '../../../src/workers/main.js';
import { backfill } from '../../../src/workflows/backfill.js';
import { backfillWorkflowId, TASK_QUEUES } from '../../../src/workflows/names.js';
import { openTemporalTestStack, startInProcessWorkers, type TemporalTestStack } from './temporalStack.js';

const stack = inject('stack');
let t: TemporalTestStack;
let workers: RunningWorkers;

beforeAll(async () => {
  t = await openTemporalTestStack(stack, 'backfill');
  workers = await startInProcessWorkers(t);
});
afterAll(async () => {
  await workers?.shutdown();
  await t?.close();
});

describe('backfill workflow on the local stack', () => {
  it('runs every seeded day once, then skips them all as sealed and loaded', async () => {
    const from = t.days[0]!;
    const to = t.days.at(-1)!;
    const run = (suffix: string) =>
      t.client.workflow.execute(backfill, {
        taskQueue: TASK_QUEUES.workflows,
        workflowId: `${backfillWorkflowId(t.chainId, from, to)}/${t.config.warehouseSchema}/${suffix}`,
        args: [{ from, to, window: 2, chainId: t.chainId }],
      });

    const first = await run('first');
    expect(first.failed).toEqual([]);
    expect(first.completed).toBe(t.days.length);
    expect(first.skipped).toEqual([]);

    const second = await run('second');
    expect(second.completed).toBe(0);
    expect(second.skipped).toEqual(t.days);
  });
});
