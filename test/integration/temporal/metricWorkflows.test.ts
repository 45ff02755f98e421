import { mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ScheduleNotFoundError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { runMetricsSyncSchedules } from '../../../src/cli/actions/metricSchedules.js';
import { startDay } from '../../../src/cli/temporal/startDay.js';
import { createLogger } from '../../../src/log.js';
import { sqlWarehouseFromConfig } from '../../../src/warehouse/warehouseFromConfig.js';
import type { RunningWorkers } from '../../../src/workers/main.js';
import { dailyWorkflowId, metricScheduleId, metricWorkflowId, TASK_QUEUES } from '../../../src/workflows/names.js';
import { openTemporalTestStack, startInProcessWorkers, type TemporalTestStack } from './temporalStack.js';

const stack = inject('stack');
let t: TemporalTestStack;
let workers: RunningWorkers;
let dir: string;

// A user's copy of the built-in active_addresses under another name, a metric whose SQL the
// database refuses, one that depends on it, and one on its own calendar.
const FILES: Record<string, string> = {
  'user_active_addresses.sql': `-- model: user_active_addresses
-- kind: gauge
-- grains: daily, weekly
-- depends: chain_activity

-- @insert
INSERT INTO {{schema}}.metrics_data (metric, grain, bucket_start, dimensions, value, value_json)
SELECT {{metric}}, grain, bucket_start, '{}', active_addresses, NULL
FROM {{schema}}.chain_activity
WHERE {{bucket_filter}};
`,
  'broken_metric.sql': `-- model: broken_metric
-- kind: gauge
-- grains: daily

-- @insert
INSERT INTO {{schema}}.metrics_data (metric, grain, bucket_start, dimensions, value, value_json)
SELECT {{metric}}, 'day', bucket_start, '{}', 1, NULL
FROM {{schema}}.no_such_table
WHERE {{bucket_filter}};
`,
  'after_broken.sql': `-- model: after_broken
-- kind: gauge
-- grains: daily
-- depends: broken_metric

-- @insert
INSERT INTO {{schema}}.metrics_data (metric, grain, bucket_start, dimensions, value, value_json)
SELECT {{metric}}, grain, bucket_start, '{}', 1, NULL
FROM {{schema}}.metrics_data
WHERE metric = 'broken_metric' AND {{bucket_filter}};
`,
  'nightly_addresses.sql': `-- model: nightly_addresses
-- kind: gauge
-- grains: daily
-- schedule: cron 15 3 * * *
-- depends: chain_activity

-- @insert
INSERT INTO {{schema}}.metrics_data (metric, grain, bucket_start, dimensions, value, value_json)
SELECT {{metric}}, grain, bucket_start, '{}', active_addresses, NULL
FROM {{schema}}.chain_activity
WHERE grain = 'day' AND {{bucket_filter}};
`,
};

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ledgerflow-user-metrics-'));
  for (const [file, text] of Object.entries(FILES)) await writeFile(path.join(dir, file), text);
  t = await openTemporalTestStack(stack, 'metricwf', { LEDGERFLOW_METRICS_DIR: dir });
  workers = await startInProcessWorkers(t);
});
afterAll(async () => {
  await workers?.shutdown();
  await t?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function metricRows(metric: string): Promise<number> {
  const sql = sqlWarehouseFromConfig(t.config, createLogger('warn'));
  try {
    const { rows } = await sql.pool.query<{ n: number }>(`SELECT COUNT(*)::int AS n FROM ${t.config.warehouseSchema}.metrics_data WHERE metric = $1`, [metric]);
    return rows[0]?.n ?? 0;
  } finally {
    await sql.close();
  }
}

/** Runs `ledgerflow metrics sync-schedules` in-process with this stack's settings, returning what it printed. */
async function syncSchedules(): Promise<string> {
  const saved = { ...process.env };
  Object.assign(process.env, t.env);
  let out = '';
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  const writeErr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    await runMetricsSyncSchedules({ chainId: String(t.chainId) });
    return out;
  } finally {
    write.mockRestore();
    writeErr.mockRestore();
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  }
}

describe('per-metric child workflows on the local stack', () => {
  it('runs each after-load metric of a day as a child under its own id; a failing metric fails alone and the day completes', async () => {
    const date = t.days[0]!;
    const summary = await (await startDay(t.client, { date, chainId: t.chainId })).result();

    const outcome = (name: string) => summary.metrics.find((m) => m.name === name);
    expect(outcome('chain_activity')?.status).toBe('completed');
    expect(outcome('active_addresses')?.status).toBe('completed');
    expect(outcome('user_active_addresses')).toMatchObject({ status: 'completed' });
    expect(outcome('user_active_addresses')?.rows).toBeGreaterThan(0);
    expect(outcome('broken_metric')?.status).toBe('failed');
    expect(outcome('broken_metric')?.error).toMatch(/broken_metric\.sql/);
    expect(outcome('after_broken')).toEqual({ name: 'after_broken', status: 'skipped', error: 'dependency broken_metric failed' });
    // The calendar metric runs on its schedule only.
    expect(outcome('nightly_addresses')).toBeUndefined();
    expect(summary.models.map((m) => m.name)).toContain('user_active_addresses');
    expect(summary.models.map((m) => m.name)).not.toContain('broken_metric');

    const describe = (metric: string) => t.client.workflow.getHandle(metricWorkflowId(t.chainId, metric, date)).describe();
    for (const metric of ['chain_activity', 'user_active_addresses']) {
      const child = await describe(metric);
      expect(child.status.name, metric).toBe('COMPLETED');
      expect(child.parentExecution?.workflowId).toBe(dailyWorkflowId(t.chainId, date));
      expect(child.taskQueue).toBe(TASK_QUEUES.workflows);
    }
    expect((await describe('broken_metric')).status.name).toBe('FAILED');
    await expect(describe('after_broken')).rejects.toThrow();

    // The copy computes what the built-in computes, under its own name.
    expect(await metricRows('user_active_addresses')).toBe(await metricRows('active_addresses'));
    expect(await metricRows('user_active_addresses')).toBeGreaterThan(0);
  });

  it('sync-schedules creates a schedule for the calendar metric that runs it, and deletes it once the file is gone', async () => {
    const scheduleId = metricScheduleId('nightly_addresses');
    try {
      const created = await syncSchedules();
      expect(created).toMatch(new RegExp(`^${scheduleId}\\tcreated\\tcron 15 3 \\* \\* \\* UTC`, 'm'));
      const handle = t.client.schedule.getHandle(scheduleId);
      const description = await handle.describe();
      expect(description.action).toMatchObject({ type: 'startWorkflow', workflowType: 'scheduledMetric', taskQueue: TASK_QUEUES.workflows });
      expect(await syncSchedules()).toMatch(new RegExp(`^${scheduleId}\\tunchanged`, 'm'));

      // A firing runs the metric for the day before it, under that day's metric id.
      await handle.trigger();
      let runId: string | undefined;
      for (let i = 0; i < 100 && !runId; i += 1) {
        runId = (await handle.describe()).info.recentActions[0]?.action.workflow.workflowId;
        if (!runId) await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(runId).toBeDefined();
      const result = (await t.client.workflow.getHandle(runId!).result()) as { model: string };
      expect(result.model).toBe('nightly_addresses');

      // Listing lags behind creation; the deletion finds the schedule by listing.
      for (let i = 0; i < 100; i += 1) {
        let listed = false;
        for await (const s of t.client.schedule.list()) if (s.scheduleId === scheduleId) listed = true;
        if (listed) break;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      await unlink(path.join(dir, 'nightly_addresses.sql'));
      expect(await syncSchedules()).toMatch(new RegExp(`^${scheduleId}\\tdeleted`, 'm'));
      await expect(handle.describe()).rejects.toBeInstanceOf(ScheduleNotFoundError);
    } finally {
      await t.client.schedule
        .getHandle(scheduleId)
        .delete()
        .catch(() => undefined);
    }
  });
});
