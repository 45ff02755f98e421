import { ScheduleOverlapPolicy, WorkflowNotFoundError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dailyEtl } from '../../../src/workflows/dailyEtl.js';
import { scheduledMetric } from '../../../src/workflows/metricDay.js';
import { dailyWorkflowId, metricWorkflowId, TASK_QUEUES } from '../../../src/workflows/names.js';
import { chainIdKey, dateKey } from '../../../src/workflows/searchAttributes.js';
import { FAKE_CHAIN_ID } from '../activities/fakeDeps.js';
import { startWorkflowTestEnv, type WorkflowTestEnv } from './workflowTestEnv.js';

let t: WorkflowTestEnv;
beforeAll(async () => {
  t = await startWorkflowTestEnv();
  t.world.metrics.registry = {
    metrics: [
      { name: 'base', depends: [], schedule: { kind: 'after-load' } },
      { name: 'broken', depends: [], schedule: { kind: 'after-load' } },
      { name: 'nightly', depends: [], schedule: { kind: 'calendar', cron: '0 3 * * *' } },
      { name: 'derived', depends: ['base', 'nightly'], schedule: { kind: 'after-load' } },
      { name: 'on_broken', depends: ['broken'], schedule: { kind: 'after-load' } },
    ],
    problems: [{ file: '/metrics/bad.sql', message: '/metrics/bad.sql:1: no -- model: line' }],
  };
  t.world.metrics.failing.add('broken');
}, 120_000);
afterAll(async () => {
  await t?.stop();
}, 60_000);

const runDay = (date: string) =>
  t.env.client.workflow.execute(dailyEtl, { taskQueue: TASK_QUEUES.workflows, workflowId: dailyWorkflowId(FAKE_CHAIN_ID, date), args: [{ date, chainId: FAKE_CHAIN_ID }] });

describe('per-metric child workflows (dev server, fake libraries)', () => {
  it('runs each after-load metric as its own child: a failed one fails alone, its dependant is skipped, the day completes', async () => {
    const date = '2024-01-15';
    const summary = await runDay(date);

    expect(summary.metrics).toEqual([
      { name: 'base', status: 'completed', rows: 1, ms: 1 },
      { name: 'broken', status: 'failed', error: expect.stringContaining('relation "nope" does not exist') },
      { name: 'derived', status: 'completed', rows: 1, ms: 1 },
      { name: 'on_broken', status: 'skipped', error: 'dependency broken failed' },
    ]);
    expect(summary.models).toEqual([
      { name: 'base', rows: 1 },
      { name: 'derived', rows: 1 },
    ]);
    // The calendar metric runs on its own schedule, never after a load.
    expect(t.world.calls.runMetric.filter((c) => c.endsWith(`/${date}`)).sort()).toEqual([`base/${date}`, `broken/${date}`, `derived/${date}`]);

    const base = await t.env.client.workflow.getHandle(metricWorkflowId(FAKE_CHAIN_ID, 'base', date)).describe();
    expect(base.status.name).toBe('COMPLETED');
    expect(base.parentExecution?.workflowId).toBe(dailyWorkflowId(FAKE_CHAIN_ID, date));
    expect(base.typedSearchAttributes.get(dateKey)).toBe(date);
    expect(base.typedSearchAttributes.get(chainIdKey)).toBe(FAKE_CHAIN_ID);
    const broken = await t.env.client.workflow.getHandle(metricWorkflowId(FAKE_CHAIN_ID, 'broken', date)).describe();
    expect(broken.status.name).toBe('FAILED');
    const skipped = await t.env.client.workflow
      .getHandle(metricWorkflowId(FAKE_CHAIN_ID, 'on_broken', date))
      .describe()
      .catch((e: unknown) => e);
    expect(skipped).toBeInstanceOf(WorkflowNotFoundError);

    // A re-run of the day runs its metrics again under the same ids.
    await runDay(date);
    expect(t.world.calls.runMetric.filter((c) => c === `base/${date}`)).toHaveLength(2);
  });

  it('a calendar metric\'s schedule runs the metric for the day before its nominal start, under the day\'s metric id', async () => {
    const scheduleId = 'test-metric-schedule';
    const schedule = await t.env.client.schedule.create({
      scheduleId,
      spec: { cronExpressions: ['0 3 * * *'] },
      action: { type: 'startWorkflow', workflowType: scheduledMetric, taskQueue: TASK_QUEUES.workflows, args: [{ chainId: FAKE_CHAIN_ID, metric: 'nightly' }], workflowId: scheduleId },
      policies: { overlap: ScheduleOverlapPolicy.ALLOW_ALL },
      state: { paused: true },
    });
    try {
      await schedule.backfill({ start: new Date('2024-01-21T02:59:00Z'), end: new Date('2024-01-21T03:01:00Z'), overlap: ScheduleOverlapPolicy.ALLOW_ALL });
      const metricId = metricWorkflowId(FAKE_CHAIN_ID, 'nightly', '2024-01-20');
      const result = await waitForResult(metricId);
      expect(result).toEqual({ model: 'nightly', rows: 1, ms: 1 });
      expect(t.world.calls.runMetric).toContain('nightly/2024-01-20');
    } finally {
      await schedule.delete();
    }
  });
});

async function waitForResult(workflowId: string, timeoutMs = 20_000): Promise<unknown> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await t.env.client.workflow.getHandle(workflowId).result();
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError) || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}
