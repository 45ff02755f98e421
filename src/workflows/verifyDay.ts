import { ApplicationFailure, proxyActivities, upsertSearchAttributes } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import type { VerifyDayResult } from '../activities/types.js';
import { isIsoDate } from './dates.js';
import { TASK_QUEUES } from './names.js';
import { HEARTBEAT_TIMEOUT } from '../heartbeatTiming.js';
import { standardRetry } from './retryPolicies.js';
import { chainIdKey, dateKey } from './searchAttributes.js';

export interface VerifyDayInput {
  date: string;
  chainId?: number;
}

const { detectChainId } = proxyActivities<Activities>({
  taskQueue: TASK_QUEUES.export,
  startToCloseTimeout: '2m',
  retry: standardRetry,
});

const { verifyDayAgainstManifest } = proxyActivities<Activities>({
  taskQueue: TASK_QUEUES.export,
  startToCloseTimeout: '2h',
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  retry: standardRetry,
});

/** Re-exports a sealed day and reports every file whose digest differs from the manifest. */
export async function verifyDay(input: VerifyDayInput): Promise<VerifyDayResult> {
  if (!isIsoDate(input.date)) {
    throw ApplicationFailure.nonRetryable(`Not a calendar day: date=${input.date}. Fix: pass the day as YYYY-MM-DD (UTC)`, 'InvalidInputError');
  }
  const chainId = input.chainId ?? (await detectChainId());
  upsertSearchAttributes([
    { key: dateKey, value: input.date },
    { key: chainIdKey, value: chainId },
  ]);
  return verifyDayAgainstManifest({ chainId, date: input.date });
}
