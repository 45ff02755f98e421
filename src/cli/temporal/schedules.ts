import {
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  type Client,
  type ScheduleDescription,
  type ScheduleHandle,
} from '@temporalio/client';
import { InvalidInputError } from '../../errors/LedgerflowError.js';
import type { DailyEtlInput } from '../../workflows/dailyEtl.js';
import { addDays, isIsoDate } from '../../workflows/dates.js';
import { DEFAULT_SCHEDULE_ID, TASK_QUEUES } from '../../workflows/names.js';
import { chainIdKey } from '../../workflows/searchAttributes.js';

export interface CreateDailyScheduleInput {
  scheduleId?: string;
  chainId?: number;
  /** UTC time of day the run fires, HH:MM; it exports the day that just ended. */
  at?: string;
  paused?: boolean;
  note?: string;
  daily?: Pick<DailyEtlInput, 'exportParallelism' | 'exportHeartbeatTimeout'>;
}

/**
 * One schedule per chain: daily at `at` UTC. BUFFER_ONE keeps a slow day from being skipped
 * without piling up more than one waiting run; the catch-up window of a day replays a missed
 * firing after a Temporal outage; pauseOnFailure stops a broken node or warehouse from failing
 * day after day unseen.
 */
export async function createDailySchedule(client: Client, input: CreateDailyScheduleInput = {}): Promise<{ scheduleId: string; created: boolean }> {
  const scheduleId = input.scheduleId ?? DEFAULT_SCHEDULE_ID;
  const { hour, minute } = parseTimeOfDay(input.at ?? '00:30');
  try {
    await client.schedule.create({
      scheduleId,
      spec: { calendars: [{ hour, minute, comment: `daily ${input.at ?? '00:30'} UTC: export the previous UTC day` }], timezone: 'UTC' },
      action: {
        type: 'startWorkflow',
        workflowType: 'dailyEtl',
        taskQueue: TASK_QUEUES.workflows,
        workflowId: scheduleId,
        args: [{ ...input.daily, ...(input.chainId ? { chainId: input.chainId } : {}) } satisfies DailyEtlInput],
        ...(input.chainId ? { typedSearchAttributes: [{ key: chainIdKey, value: input.chainId }] } : {}),
      },
      policies: { overlap: ScheduleOverlapPolicy.BUFFER_ONE, catchupWindow: '1 day', pauseOnFailure: true },
      state: { paused: input.paused ?? false, note: input.note ?? 'created by ledgerflow schedule create' },
    });
    return { scheduleId, created: true };
  } catch (error) {
    if (error instanceof ScheduleAlreadyRunning) return { scheduleId, created: false };
    throw error;
  }
}

/**
 * Runs the schedule's action for every day in [from, to]: the nominal times are the firings at
 * `at` on the following days, so each run exports exactly its day (same rule as the daily run).
 */
export async function backfillSchedule(
  handle: ScheduleHandle,
  input: { from: string; to: string; overlap?: ScheduleOverlapPolicy },
): Promise<{ start: Date; end: Date }> {
  for (const [name, value] of [['--from', input.from], ['--to', input.to]] as const) {
    if (!isIsoDate(value)) throw new InvalidInputError(`${name} is not a calendar day: ${value}`, { fix: 'pass days as YYYY-MM-DD' });
  }
  if (input.to < input.from) throw new InvalidInputError(`--to ${input.to} is before --from ${input.from}`, { fix: 'swap the two days' });
  const start = new Date(`${addDays(input.from, 1)}T00:00:00Z`);
  const end = new Date(`${addDays(input.to, 1)}T23:59:59Z`);
  await handle.backfill({ start, end, overlap: input.overlap ?? ScheduleOverlapPolicy.BUFFER_ALL });
  return { start, end };
}

export async function describeSchedule(handle: ScheduleHandle): Promise<ScheduleDescription> {
  try {
    return await handle.describe();
  } catch (error) {
    if (error instanceof ScheduleNotFoundError) {
      throw new InvalidInputError(`No schedule with id ${handle.scheduleId}`, { fix: 'create it with `ledgerflow schedule create` or pass --schedule-id', cause: error });
    }
    throw error;
  }
}

export function parseTimeOfDay(at: string): { hour: number; minute: number } {
  const match = /^(\d{1,2}):(\d{2})$/.exec(at);
  const hour = Number(match?.[1]);
  const minute = Number(match?.[2]);
  if (!match || hour > 23 || minute > 59) throw new InvalidInputError(`Not a time of day: ${at}`, { fix: 'pass --at as HH:MM in UTC, e.g. 00:30' });
  return { hour, minute };
}
