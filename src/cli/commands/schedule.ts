import type { Command } from 'commander';
import { DEFAULT_SCHEDULE_ID } from '../../workflows/names.js';

/** The --overlap names, in the order help lists them; src/cli/actions/schedule.ts maps each to Temporal's policy. */
export const OVERLAP_NAMES = ['buffer-all', 'allow-all', 'skip', 'buffer-one'] as const;
export type OverlapName = (typeof OVERLAP_NAMES)[number];

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
    .action(async (o: { scheduleId: string; at: string; chainId?: string; paused?: boolean }) => (await import('../actions/schedule.js')).runScheduleCreate(o));

  schedule
    .command('describe')
    .description('Show the schedule: spec, state, recent and next runs')
    .option(...idOption)
    .action(async (o: { scheduleId: string }) => (await import('../actions/schedule.js')).runScheduleDescribe(o));

  for (const [name, verb] of [['pause', 'Pause'], ['unpause', 'Unpause']] as const) {
    schedule
      .command(name)
      .description(`${verb} the schedule`)
      .option(...idOption)
      .option('--note <text>', 'why (shown in Temporal Web)')
      .action(async (o: { scheduleId: string; note?: string }) => (await import('../actions/schedule.js')).runSchedulePause(name, o));
  }

  schedule
    .command('trigger')
    .description('Start the action now (exports yesterday, UTC)')
    .option(...idOption)
    .action(async (o: { scheduleId: string }) => (await import('../actions/schedule.js')).runScheduleTrigger(o));

  schedule
    .command('backfill')
    .description('Run the schedule for every day in [from, to] (nominal time = the following day at --at)')
    .option(...idOption)
    .requiredOption('--from <YYYY-MM-DD>', 'first day')
    .requiredOption('--to <YYYY-MM-DD>', 'last day (inclusive)')
    .option('--overlap <policy>', `${OVERLAP_NAMES.join(' | ')}; buffer-all runs days one at a time`, 'buffer-all')
    .action(async (o: { scheduleId: string; from: string; to: string; overlap: string }) => (await import('../actions/schedule.js')).runScheduleBackfill(o));

  schedule
    .command('delete')
    .description('Delete the schedule (runs already started are left alone)')
    .option(...idOption)
    .action(async (o: { scheduleId: string }) => (await import('../actions/schedule.js')).runScheduleDelete(o));
}
