import { ScheduleOverlapPolicy, type ScheduleDescription } from '@temporalio/client';
import type { Command } from 'commander';
import { InvalidInputError } from '../../errors/LedgerflowError.js';
import { DEFAULT_SCHEDULE_ID, TASK_QUEUES } from '../../workflows/names.js';
import { connectClient } from '../temporal/connectClient.js';
import { warnIfNoWorker } from '../temporal/noWorkerWarning.js';
import { backfillSchedule, createDailySchedule, describeSchedule } from '../temporal/schedules.js';

const OVERLAPS: Record<string, ScheduleOverlapPolicy> = {
  'buffer-all': ScheduleOverlapPolicy.BUFFER_ALL,
  'allow-all': ScheduleOverlapPolicy.ALLOW_ALL,
  skip: ScheduleOverlapPolicy.SKIP,
  'buffer-one': ScheduleOverlapPolicy.BUFFER_ONE,
};

export function registerSchedule(program: Command): void {
  const schedule = program.command('schedule').description('Manage the daily Temporal schedule (one run per UTC day)');
  const idOption = ['--schedule-id <id>', 'schedule id', DEFAULT_SCHEDULE_ID] as const;

  schedule
    .command('create')
    .description('Create the daily schedule: fires at --at UTC and exports the day that just ended')
    .option(...idOption)
    .option('--at <HH:MM>', 'UTC time of day', '00:30')
    .option('--chain-id <n>', 'chain the runs must find on the node')
    .option('--paused', 'create it paused')
    .action(async (o: { scheduleId: string; at: string; chainId?: string; paused?: boolean }) =>
      withClient(async (client) => {
        const chainId = o.chainId === undefined ? undefined : Number(o.chainId);
        const result = await createDailySchedule(client, { scheduleId: o.scheduleId, at: o.at, paused: o.paused ?? false, ...(chainId ? { chainId } : {}) });
        process.stdout.write(`${result.scheduleId} ${result.created ? 'created' : 'already exists (unchanged)'}\n`);
      }),
    );

  schedule
    .command('describe')
    .description('Show the schedule: spec, state, recent and next runs')
    .option(...idOption)
    .action(async (o: { scheduleId: string }) =>
      withClient(async (client) => {
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
      }),
    );

  for (const [name, verb] of [['pause', 'Pause'], ['unpause', 'Unpause']] as const) {
    schedule
      .command(name)
      .description(`${verb} the schedule`)
      .option(...idOption)
      .option('--note <text>', 'why (shown in Temporal Web)')
      .action(async (o: { scheduleId: string; note?: string }) =>
        withClient(async (client) => {
          const handle = client.schedule.getHandle(o.scheduleId);
          await describeSchedule(handle);
          await (name === 'pause' ? handle.pause(o.note) : handle.unpause(o.note));
          process.stdout.write(`${o.scheduleId} ${name}d\n`);
        }),
      );
  }

  schedule
    .command('trigger')
    .description('Start the action now (exports yesterday, UTC)')
    .option(...idOption)
    .action(async (o: { scheduleId: string }) =>
      withClient(async (client) => {
        const handle = client.schedule.getHandle(o.scheduleId);
        const schedule = await describeSchedule(handle);
        await handle.trigger(ScheduleOverlapPolicy.ALLOW_ALL);
        process.stdout.write(`${o.scheduleId} triggered\n`);
        await warnIfNoWorker(client, actionTaskQueue(schedule));
      }),
    );

  schedule
    .command('backfill')
    .description('Run the schedule for every day in [from, to] (nominal time = the following day at --at)')
    .option(...idOption)
    .requiredOption('--from <YYYY-MM-DD>', 'first day')
    .requiredOption('--to <YYYY-MM-DD>', 'last day (inclusive)')
    .option('--overlap <policy>', `${Object.keys(OVERLAPS).join(' | ')}; buffer-all runs days one at a time`, 'buffer-all')
    .action(async (o: { scheduleId: string; from: string; to: string; overlap: string }) =>
      withClient(async (client) => {
        const overlap = OVERLAPS[o.overlap];
        if (!overlap) throw new InvalidInputError(`Unknown overlap policy ${o.overlap}`, { fix: `use one of ${Object.keys(OVERLAPS).join(', ')}` });
        const handle = client.schedule.getHandle(o.scheduleId);
        const schedule = await describeSchedule(handle);
        const { start, end } = await backfillSchedule(handle, { from: o.from, to: o.to, overlap });
        process.stdout.write(`${o.scheduleId} backfilling ${o.from}..${o.to} (nominal ${start.toISOString()} .. ${end.toISOString()})\n`);
        await warnIfNoWorker(client, actionTaskQueue(schedule));
      }),
    );

  schedule
    .command('delete')
    .description('Delete the schedule (runs already started are left alone)')
    .option(...idOption)
    .action(async (o: { scheduleId: string }) =>
      withClient(async (client) => {
        const handle = client.schedule.getHandle(o.scheduleId);
        await describeSchedule(handle);
        await handle.delete();
        process.stdout.write(`${o.scheduleId} deleted\n`);
      }),
    );
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
