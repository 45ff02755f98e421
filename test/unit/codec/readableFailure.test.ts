import { randomBytes } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import { encodeErrorToFailure } from '@temporalio/common/lib/internal-non-workflow/codec-helpers.js';
import { loadDataConverter } from '@temporalio/common/lib/internal-non-workflow/data-converter-helpers.js';
import { describe, expect, it } from 'vitest';
import { classifyError } from '../../../src/activities/classifyError.js';
import { DayNotFinalError } from '../../../src/chain/blockRange/errors.js';
import { finalityWaitOf } from '../../../src/cli/temporal/finalityWait.js';
import { codecConverterFromEnv } from '../../../src/codec/dataConverter.js';
import { readableFailure } from '../../../src/codec/readableFailure.js';

const converter = loadDataConverter(codecConverterFromEnv({ LEDGERFLOW_CODEC_KEYS: `k1=${randomBytes(32).toString('base64')}` }).dataConverter);
const notFinal = new DayNotFinalError({ date: '2024-01-01', head: 7120, neededHead: 7214, retryAfter: '2024-01-02T00:12:48Z', finalityDepth: 64, nextDayFirstBlock: 7150 });

describe('failures read raw from the server with payload encryption on', () => {
  it('get their message and stack trace back through the codec', async () => {
    const failure = await encodeErrorToFailure(converter, classifyError(notFinal));
    expect(failure.message).toBe('Encoded failure');
    const readable = await readableFailure(failure, converter);
    expect(readable.message).toContain('is not final yet');
    expect(readable.stackTrace).toMatch(/^ApplicationFailure: day 2024-01-01 is not final yet/);
    const plain = { message: 'plain', stackTrace: 'at x' };
    expect(await readableFailure(plain, converter)).toBe(plain);
  });

  it('the CLI still tells a day waiting for finality from the pending resolveDay attempt', async () => {
    const lastFailure = await encodeErrorToFailure(converter, classifyError(notFinal));
    const handle = {
      client: { options: { loadedDataConverter: converter } },
      describe: async () => ({ raw: { pendingActivities: [{ activityType: { name: 'resolveDay' }, lastFailure }] } }),
    } as unknown as Pick<WorkflowHandle, 'describe' | 'client'>;
    expect(await finalityWaitOf(handle)).toBe('waiting for finality: head is block 7120, need block 7214 (retry after about 2024-01-02T00:12:48Z)');
  });
});
