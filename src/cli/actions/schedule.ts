import { ScheduleOverlapPolicy, type ScheduleDescription } from '@temporalio/client';
import { InvalidInputError } from '../../errors/LedgerflowError.js';
import { TASK_QUEUES } from '../../workflows/names.js';
import type { OverlapName } from '../commands/schedule.js';
import { connectClient } from '../temporal/connectClient.js';
import { warnIfNoWorker } from '../temporal/noWorkerWarning.js';
import { backfillSchedule, createDailySchedule, describeSchedule } from '../temporal/schedules.js';

const OVERLAPS: Record<string, ScheduleOverlapPolicy> = {
  'buffer-all': ScheduleOverlapPolicy.BUFFER_ALL,
  'allow-all': ScheduleOverlapPolicy.ALLOW_ALL,
  skip: ScheduleOverlapPolicy.SKIP,
  'buffer-one': ScheduleOverlapPolicy.BUFFER_ONE,
} satisfies Record<OverlapName, ScheduleOverlapPolicy>;

export async function runScheduleCreate(o: { scheduleId: string; at: string; chainId?: string; paused?: boolean }): Promise<void> {
  return withClient(async (client) => {
    const chainId = o.chainId === undefined ? undefined : Number(o.chainId);
    const result = await createDailySchedule(client, { scheduleId: o.scheduleId, at: o.at, paused: o.paused ?? false, ...(chainId ? { chainId } : {}) });
    process.stdout.write(`${result.scheduleId} ${result.created ? 'created' : 'already exists (unchanged)'}\n`);
  });
}

export async function runScheduleDescribe(o: { scheduleId: string }): Promise<void> {
  return withClient(async (client) => {
    const d = await describeSchedule(client.schedule.getHandle(o.scheduleId));
    const out = {
      scheduleId: d.scheduleId,
      paused: d.state.paused,
      note: d.state.note,
      calendars: (d.spec.calendars ?? []).map((c) => c.comment ?? JSON.stringify(c)),
      overlap: d.policies.overlap,
      catchupWindowMs: d.policies.catchupWindow,
      pauseOnFailure: d.policies.pauseOnFailure,
      runningWorkflows: d.info.runningActions.map((a) => a.workflow.workflowId),
      recent: d.info.recentActions.map((a) => ({ nominal: a.scheduledAt.toISOString(), workflowId: a.action.workflow.workflowId })),
      next: d.info.nextActionTimes.slice(0, 3).map((t) => t.toISOString()),
    };
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  });
}

export async function runSchedulePause(name: 'pause' | 'unpause', o: { scheduleId: string; note?: string }): Promise<void> {
  return withClient(async (client) => {
    const handle = client.schedule.getHandle(o.scheduleId);
    await describeSchedule(handle);
    await (name === 'pause' ? handle.pause(o.note) : handle.unpause(o.note));
    process.stdout.write(`${o.scheduleId} ${name}d\n`);
  });
}

export async function runScheduleTrigger(o: { scheduleId: string }): Promise<void> {
  return withClient(async (client) => {
    const handle = client.schedule.getHandle(o.scheduleId);
    const schedule = await describeSchedule(handle);
    await handle.trigger(ScheduleOverlapPolicy.ALLOW_ALL);
    process.stdout.write(`${o.scheduleId} triggered\n`);
    await warnIfNoWorker(client, actionTaskQueue(schedule));
  });
}

export async function runScheduleBackfill(o: { scheduleId: string; from: string; to: string; overlap: string }): Promise<void> {
  return withClient(async (client) => {
    const overlap = OVERLAPS[o.overlap];
    if (!overlap) throw new InvalidInputError(`Unknown overlap policy ${o.overlap}`, { fix: `use one of ${Object.keys(OVERLAPS).join(', ')}` });
    const handle = client.schedule.getHandle(o.scheduleId);
    const schedule = await describeSchedule(handle);
    const { start, end } = await backfillSchedule(handle, { from: o.from, to: o.to, overlap });
    process.stdout.write(`${o.scheduleId} backfilling ${o.from}..${o.to} (nominal ${start.toISOString()} .. ${end.toISOString()})\n`);
    await warnIfNoWorker(client, actionTaskQueue(schedule));
  });
}

export async function runScheduleDelete(o: { scheduleId: string }): Promise<void> {
  return withClient(async (client) => {
    const handle = client.schedule.getHandle(o.scheduleId);
    await describeSchedule(handle);
    await handle.delete();
    process.stdout.write(`${o.scheduleId} deleted\n`);
  });
}

/** The queue the schedule starts its runs on: a schedule made by hand may name another one. */
function actionTaskQueue(schedule: ScheduleDescription): string {
  return schedule.action.type === 'startWorkflow' ? schedule.action.taskQueue : TASK_QUEUES.workflows;
}

async function withClient(body: (client: Awaited<ReturnType<typeof connectClient>>['client']) => Promise<void>): Promise<void> {
  const { client, close } = await connectClient();
  try {
    await body(client);
  } finally {
    await close();
  }
}
