import { describe, expect, it } from 'vitest';
import { planScheduleSync } from '../../../src/cli/temporal/metricSchedules.js';

const memo = (metric: string, cron: string, chainId = 1) => ({ metric, cron, chainId });

describe('planScheduleSync', () => {
  it('creates missing schedules, makes changed ones anew, keeps equal ones and deletes those whose metric left the calendar', () => {
    const changes = planScheduleSync({
      chainId: 1,
      wanted: [
        { name: 'nightly', cron: '0 3 * * *' },
        { name: 'hourly_top', cron: '5 * * * *' },
        { name: 'weekly', cron: '0 4 * * 1' },
        { name: 'moved_chain', cron: '0 5 * * *' },
      ],
      existing: [
        { scheduleId: 'ledgerflow-metric-nightly', memo: memo('nightly', '0 3 * * *') },
        { scheduleId: 'ledgerflow-metric-weekly', memo: memo('weekly', '0 2 * * 1') },
        { scheduleId: 'ledgerflow-metric-moved_chain', memo: memo('moved_chain', '0 5 * * *', 5) },
        { scheduleId: 'ledgerflow-metric-gone', memo: memo('gone', '0 1 * * *') },
        { scheduleId: 'ledgerflow-metric-by_hand', memo: null },
      ],
    });
    expect(changes.map((c) => [c.scheduleId, c.action, c.cron])).toEqual([
      ['ledgerflow-metric-hourly_top', 'created', '5 * * * *'],
      ['ledgerflow-metric-moved_chain', 'updated', '0 5 * * *'],
      ['ledgerflow-metric-nightly', 'unchanged', '0 3 * * *'],
      ['ledgerflow-metric-weekly', 'updated', '0 4 * * 1'],
      ['ledgerflow-metric-by_hand', 'deleted', undefined],
      ['ledgerflow-metric-gone', 'deleted', undefined],
    ]);
  });

  it('keeps the schedule of a metric whose file is only left out for a problem, and never touches other schedules', () => {
    const changes = planScheduleSync({
      chainId: 1,
      wanted: [],
      existing: [
        { scheduleId: 'ledgerflow-metric-typo', memo: memo('typo', '0 3 * * *') },
        { scheduleId: 'ledgerflow-daily', memo: null },
      ],
      leftOut: new Map([['typo', '/metrics/typo.sql:2: unknown header -- kinds']]),
    });
    expect(changes).toEqual([
      { scheduleId: 'ledgerflow-metric-typo', metric: 'typo', action: 'unchanged', cron: '0 3 * * *', note: 'kept: its file is left out of the registry (/metrics/typo.sql:2: unknown header -- kinds)' },
    ]);
  });
});
