import { describe, expect, it } from 'vitest';
import { scheduledRunId } from '../../../../src/cli/temporal/awaitScheduledDay.js';
import { parseTimeOfDay } from '../../../../src/cli/temporal/schedules.js';
import { bar } from '../../../../src/cli/temporal/watchProgress.js';
import { InvalidInputError } from '../../../../src/errors/LedgerflowError.js';

describe('schedule helpers', () => {
  it('names the run of a day by the next day nominal time', () => {
    expect(scheduledRunId('ledgerflow-daily', '2024-02-28')).toBe('ledgerflow-daily-2024-02-29T00:30:00Z');
    expect(scheduledRunId('ledgerflow-daily', '2023-12-31', '02:15')).toBe('ledgerflow-daily-2024-01-01T02:15:00Z');
  });

  it('parses HH:MM and refuses anything else', () => {
    expect(parseTimeOfDay('0:30')).toEqual({ hour: 0, minute: 30 });
    expect(parseTimeOfDay('23:59')).toEqual({ hour: 23, minute: 59 });
    expect(() => parseTimeOfDay('24:00')).toThrow(InvalidInputError);
    expect(() => parseTimeOfDay('00:30Z')).toThrow(/HH:MM/);
  });

  it('draws a bounded progress bar', () => {
    expect(bar(0, 0, 4)).toBe('[----]   0%');
    expect(bar(1, 2, 4)).toBe('[##--]  50%');
    expect(bar(5, 2, 4)).toBe('[####] 100%');
  });
});
