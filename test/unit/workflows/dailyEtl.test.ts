import { ScheduleOverlapPolicy, WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dailyEtl, dailyProgressQuery } from '../../../src/workflows/dailyEtl.js';
import { dailyWorkflowId, TASK_QUEUES } from '../../../src/workflows/names.js';
import { chainIdKey, dateKey } from '../../../src/workflows/searchAttributes.js';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivities } from '../../../src/activities/index.js';
import { FAKE_CHAIN_ID, fakeRangeForDate, runIn } from '../activities/fakeDeps.js';
import { startWorkflowTestEnv, type WorkflowTestEnv } from './workflowTestEnv.js';

let t: WorkflowTestEnv;
beforeAll(async () => {
  t = await startWorkflowTestEnv();
}, 120_000);
afterAll(async () => {
  await t?.stop();
}, 60_000);

describe('dailyEtl on a dev server (fake libraries)', () => {
  it('exports every chunk, seals, loads each table and returns a summary of keys and counts', async () => {
    const date = '2024-01-02';
    const handle = await t.env.client.workflow.start(dailyEtl, {
      taskQueue: TASK_QUEUES.workflows,
      workflowId: dailyWorkflowId(FAKE_CHAIN_ID, date),
      args: [{ date, exportParallelism: 3 }],
    });
    const summary = await handle.result();

    expect(summary.range).toEqual({ start: 1010, end: 1019 });
    expect(summary.blocks).toBe(10);
    expect(summary.chunks).toBe(4);
    expect(summary.rows).toEqual({ blocks: 10, transactions: 10, logs: 10 });
    expect(summary.loaded).toEqual({ blocks: 10, transactions: 10, logs: 10 });
    expect(summary.manifestKey).toBe(`ledgerflow/chain=${FAKE_CHAIN_ID}/date=${date}/manifest.json`);
    expect(summary.manifestSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(t.world.calls.exportChunk.filter((b) => b >= 1010 && b <= 1019).sort()).toEqual([1010, 1013, 1016, 1019]);

    const progress = await handle.query(dailyProgressQuery);
    expect(progress).toMatchObject({ stage: 'done', chunksDone: 4, chunksTotal: 4, tablesDone: 3, tablesTotal: 3, rows: 30 });

    const description = await handle.describe();
    expect(description.typedSearchAttributes.get(dateKey)).toBe(date);
    expect(description.typedSearchAttributes.get(chainIdKey)).toBe(FAKE_CHAIN_ID);
  });

  it('fails at once, without retries, on a day that does not exist', async () => {
    const error = await t.env.client.workflow
      .execute(dailyEtl, { taskQueue: TASK_QUEUES.workflows, workflowId: 'bad-date', args: [{ date: '2024-02-30' }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkflowFailedError);
    const cause = (error as WorkflowFailedError).cause;
    expect(cause).toBeInstanceOf(ApplicationFailure);
    expect((cause as ApplicationFailure).type).toBe('InvalidInputError');
  });

  it('fails without a date when no schedule started it', async () => {
    const error = await t.env.client.workflow.execute(dailyEtl, { taskQueue: TASK_QUEUES.workflows, workflowId: 'no-date', args: [{}] }).catch((e: unknown) => e);
    expect(((error as WorkflowFailedError).cause as ApplicationFailure).message).toContain('TemporalScheduledStartTime');
  });

  it('a scheduled run exports the day before its nominal time', async () => {
    const scheduleId = 'test-nominal';
    const schedule = await t.env.client.schedule.create({
      scheduleId,
      spec: { calendars: [{ hour: 0, minute: 30 }] },
      action: { type: 'startWorkflow', workflowType: dailyEtl, taskQueue: TASK_QUEUES.workflows, args: [{}], workflowId: 'test-nominal' },
      policies: { overlap: ScheduleOverlapPolicy.ALLOW_ALL },
      state: { paused: true },
    });
    await schedule.backfill({ start: new Date('2024-01-06T00:00:00Z'), end: new Date('2024-01-06T01:00:00Z'), overlap: ScheduleOverlapPolicy.ALLOW_ALL });
    let runId: string | undefined;
    while (!runId) {
      const description = await schedule.describe();
      runId = description.info.recentActions[0]?.action.workflow.workflowId;
      if (!runId) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const summary = (await t.env.client.workflow.getHandle(runId).result()) as Awaited<ReturnType<typeof dailyEtl>>;
    expect(runId).toBe('test-nominal-2024-01-06T00:30:00Z');
    expect(summary.date).toBe('2024-01-05');
    // The work itself ran under the day's own id.
    const day = await t.env.client.workflow.getHandle(dailyWorkflowId(FAKE_CHAIN_ID, '2024-01-05')).describe();
    expect(day.status.name).toBe('COMPLETED');
    expect(day.parentExecution?.workflowId).toBe(runId);
    await schedule.delete();
  });

  it('a scheduled run of a day already running waits for that run instead of doing the work again', async () => {
    const date = '2024-01-09';
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    t.world.hooks.beforeResolve = async (d) => {
      if (d === date) await held;
    };
    try {
      const manual = await t.env.client.workflow.start(dailyEtl, {
        taskQueue: TASK_QUEUES.workflows,
        workflowId: dailyWorkflowId(FAKE_CHAIN_ID, date),
        args: [{ date, chainId: FAKE_CHAIN_ID }],
      });
      // Another id for the same day, as the schedule starts it.
      const scheduled = await t.env.client.workflow.start(dailyEtl, {
        taskQueue: TASK_QUEUES.workflows,
        workflowId: `ledgerflow-daily-${date}-test`,
        args: [{ date }],
      });
      await waitFor(async () => (await scheduled.fetchHistory()).events?.some((e) => e.signalExternalWorkflowExecutionInitiatedEventAttributes) ?? false);
      release();
      const [mine, theirs] = await Promise.all([manual.result(), scheduled.result()]);
      expect(theirs).toEqual(mine);
      const range = fakeRangeForDate(date);
      expect(t.world.calls.resolveDay.filter((d) => d === date)).toHaveLength(1);
      expect(t.world.calls.exportChunk.filter((b) => b >= range.start && b <= range.end)).toHaveLength(4);
      expect(t.world.calls.loadDay.filter((d) => d === date)).toHaveLength(1);
    } finally {
      release();
      t.world.hooks.beforeResolve = undefined;
    }
  });

  it('loads the day in one activity pinned to the sealed manifest, and refuses a manifest changed since', async () => {
    const date = '2024-01-11';
    const summary = await t.env.client.workflow.execute(dailyEtl, {
      taskQueue: TASK_QUEUES.workflows,
      workflowId: dailyWorkflowId(FAKE_CHAIN_ID, date),
      args: [{ date, chainId: FAKE_CHAIN_ID }],
    });
    expect(summary.sealOutcome).toBe('written');
    expect(t.world.loadedFrom.get(date)).toBe(summary.manifestSha256);
    const history = await t.env.client.workflow.getHandle(dailyWorkflowId(FAKE_CHAIN_ID, date)).fetchHistory();
    const activities = history.events?.flatMap((e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? []) ?? [];
    expect(activities.filter((name) => name === 'loadDay')).toHaveLength(1);
    expect(activities).not.toContain('loadTable');

    // A second run of the sealed day loads it as sealed: nothing is exported or sealed again.
    const range = fakeRangeForDate(date);
    const exportsBefore = t.world.calls.exportChunk.filter((b) => b >= range.start && b <= range.end).length;
    const again = await t.env.client.workflow.execute(dailyEtl, {
      taskQueue: TASK_QUEUES.workflows,
      workflowId: dailyWorkflowId(FAKE_CHAIN_ID, date),
      args: [{ date, chainId: FAKE_CHAIN_ID }],
    });
    expect(again.sealOutcome).toBe('unchanged');
    expect(again.manifestSha256).toBe(summary.manifestSha256);
    expect(again.loaded).toEqual(summary.loaded);
    expect(t.world.calls.exportChunk.filter((b) => b >= range.start && b <= range.end)).toHaveLength(exportsBefore);
    expect(t.world.calls.sealDay.filter((d) => d === date)).toHaveLength(1);
    expect(t.world.calls.loadDay.filter((d) => d === date)).toHaveLength(2);

    const { loadDay } = createActivities(t.world.deps);
    const key = summary.manifestKey;
    const manifest = t.world.manifests.get(key)!;
    t.world.manifests.set(key, { ...manifest, nodeClientVersion: 'replaced' });
    try {
      await expect(
        runIn(new MockActivityEnvironment(), loadDay, { chainId: FAKE_CHAIN_ID, date, manifestKey: key, manifestSha256: summary.manifestSha256 }),
      ).rejects.toThrow(/sha256 check.*expected [0-9a-f]{64}/);
    } finally {
      t.world.manifests.set(key, manifest);
    }
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
