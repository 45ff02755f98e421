import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../src/errors/LedgerflowError.js';
import { backfill, backfillProgressQuery } from '../../../src/workflows/backfill.js';
import { backfillWorkflowId, dailyWorkflowId, TASK_QUEUES } from '../../../src/workflows/names.js';
import { FAKE_CHAIN_ID } from '../activities/fakeDeps.js';
import { startWorkflowTestEnv, type WorkflowTestEnv } from './workflowTestEnv.js';

let t: WorkflowTestEnv;
beforeAll(async () => {
  t = await startWorkflowTestEnv();
}, 120_000);
afterAll(async () => {
  await t?.stop();
}, 60_000);

const pause = () => new Promise<void>((resolve) => setTimeout(resolve, 30));

describe('backfill on a dev server (fake libraries)', () => {
  it('runs every day through a bounded window, skips complete days, survives continue-as-new', async () => {
    t.world.loadedDays.add('2024-02-03');
    await t.world.deps.sealDay({ chainId: FAKE_CHAIN_ID, date: '2024-02-03', range: { start: 1, end: 1 }, entities: ['blocks'], nodeClientVersion: 'x', results: [] });
    // Slow each day down a little so the window really fills.
    t.world.hooks.beforeResolve = pause;
    const from = '2024-02-01';
    const to = '2024-02-07';
    const handle = await t.env.client.workflow.start(backfill, {
      taskQueue: TASK_QUEUES.workflows,
      workflowId: backfillWorkflowId(FAKE_CHAIN_ID, from, to),
      args: [{ from, to, window: 2, daysPerRun: 2 }],
    });
    const summary = await handle.result();

    expect(summary.completed).toBe(6);
    expect(summary.skipped).toEqual(['2024-02-03']);
    expect(summary.failed).toEqual([]);
    expect(summary.runs).toBeGreaterThanOrEqual(3);
    expect(summary.chainId).toBe(FAKE_CHAIN_ID);
    expect(t.world.maxDaysInFlight()).toBeLessThanOrEqual(2);
    expect(t.world.calls.resolveDay.filter((d) => d >= from && d <= to).sort()).toEqual(['2024-02-01', '2024-02-02', '2024-02-04', '2024-02-05', '2024-02-06', '2024-02-07']);

    const child = await t.env.client.workflow.getHandle(dailyWorkflowId(FAKE_CHAIN_ID, '2024-02-05')).describe();
    expect(child.status.name).toBe('COMPLETED');

    const progress = await t.env.client.workflow.getHandle(handle.workflowId).query(backfillProgressQuery);
    expect(progress).toMatchObject({ completed: 6, skipped: 1, failed: 0, running: [], next: null, daysTotal: 7 });
  });

  it('re-runs complete days with force and reports failed days without stopping', async () => {
    // The days are sealed by the test above, so their runs load without exporting: fail the resolve.
    t.world.hooks.beforeResolve = (date) => {
      if (date === '2024-02-02') throw new InvalidInputError('boom', { context: { date } });
    };
    const resolvedBefore = t.world.calls.resolveDay.length;
    const summary = await t.env.client.workflow.execute(backfill, {
      taskQueue: TASK_QUEUES.workflows,
      workflowId: backfillWorkflowId(FAKE_CHAIN_ID, '2024-02-01', '2024-02-03') + '/force',
      args: [{ from: '2024-02-01', to: '2024-02-03', window: 3, force: true, chainId: FAKE_CHAIN_ID, adaptiveWindow: true }],
    });
    t.world.hooks.beforeResolve = undefined;

    expect(summary.completed).toBe(2);
    expect(summary.skipped).toEqual([]);
    expect(summary.failed.map((f) => f.date)).toEqual(['2024-02-02']);
    expect(summary.failed[0]?.reason).toContain('boom');
    expect(t.world.calls.resolveDay.length - resolvedBefore).toBe(2);
  });

  it('seals days in date order though they export side by side', async () => {
    const from = '2024-03-01';
    const to = '2024-03-04';
    // The first day exports slowest, so later days would seal first if nothing ordered them.
    t.world.hooks.beforeExportChunk = async (chunk) => {
      if (chunk.date === from) await new Promise((resolve) => setTimeout(resolve, 1500));
    };
    try {
      const summary = await t.env.client.workflow.execute(backfill, {
        taskQueue: TASK_QUEUES.workflows,
        workflowId: backfillWorkflowId(FAKE_CHAIN_ID, from, to),
        args: [{ from, to, window: 4, chainId: FAKE_CHAIN_ID }],
      });
      expect(summary.completed).toBe(4);
    } finally {
      t.world.hooks.beforeExportChunk = undefined;
    }
    expect(t.world.calls.sealDay.filter((d) => d >= from && d <= to)).toEqual(['2024-03-01', '2024-03-02', '2024-03-03', '2024-03-04']);
  });

  it('re-loads a day whose warehouse rows came from an older manifest', async () => {
    const date = '2024-03-10';
    await t.world.deps.sealDay({ chainId: FAKE_CHAIN_ID, date, range: { start: 1, end: 1 }, entities: ['blocks'], nodeClientVersion: 'x', results: [] });
    t.world.loadedDays.add(date);
    t.world.loadedFrom.set(date, 'f'.repeat(64));
    const summary = await t.env.client.workflow.execute(backfill, {
      taskQueue: TASK_QUEUES.workflows,
      workflowId: backfillWorkflowId(FAKE_CHAIN_ID, date, date),
      args: [{ from: date, to: date, window: 1, chainId: FAKE_CHAIN_ID }],
    });
    expect(summary.skipped).toEqual([]);
    expect(summary.completed).toBe(1);
    expect(t.world.calls.loadDay.filter((d) => d === date)).toHaveLength(1);
    expect(t.world.loadedFrom.get(date)).not.toBe('f'.repeat(64));
  });

  it('rejects an inverted range as bad input', async () => {
    await expect(
      t.env.client.workflow.execute(backfill, { taskQueue: TASK_QUEUES.workflows, workflowId: 'inverted', args: [{ from: '2024-02-05', to: '2024-02-01', window: 1 }] }),
    ).rejects.toThrow(/Workflow execution failed/);
    const history = await t.env.client.workflow.getHandle('inverted').fetchHistory();
    const failed = history.events?.find((e) => e.workflowExecutionFailedEventAttributes);
    expect(failed?.workflowExecutionFailedEventAttributes?.failure?.applicationFailureInfo?.type).toBe('InvalidInputError');
  });
});
