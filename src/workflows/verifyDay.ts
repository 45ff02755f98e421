import { ApplicationFailure, patched, proxyActivities, upsertSearchAttributes } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import type { LayerReport, VerifyDayReport, VerifyDayResult } from '../activities/types.js';
import { VERIFY_LAYERS, type VerifyLayer } from './verifyLayers.js';
import { isIsoDate } from './dates.js';
import { TASK_QUEUES } from './names.js';
import { HEARTBEAT_TIMEOUT } from '../heartbeatTiming.js';
import { standardRetry } from './retryPolicies.js';
import { chainIdKey, dateKey } from './searchAttributes.js';

export interface VerifyDayInput {
  date: string;
  chainId?: number;
  /** Which layers to check; all three when absent. */
  layers?: VerifyLayer[];
}

const { detectChainId } = proxyActivities<Activities>({
  taskQueue: TASK_QUEUES.export,
  startToCloseTimeout: '2m',
  retry: standardRetry,
});

// Lake and chain need S3 and the node: the export workers have both.
const { verifyDayAgainstManifest, verifyLakeLayer, verifyChainLayer } = proxyActivities<Activities>({
  taskQueue: TASK_QUEUES.export,
  startToCloseTimeout: '2h',
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  retry: standardRetry,
});

const { dayStatus, verifyWarehouseLayer } = proxyActivities<Activities>({
  taskQueue: TASK_QUEUES.load,
  startToCloseTimeout: '1h',
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  retry: standardRetry,
});

/**
 * Proves a sealed day on three layers, all against the same manifest bytes: (a) the lake objects
 * and the manifest's signature, (b) the chain, re-exported from the node, (c) the warehouse rows
 * and the manifest they were loaded from. Each mismatch is one line naming the object or table.
 */
export async function verifyDay(input: VerifyDayInput): Promise<VerifyDayReport | VerifyDayResult> {
  if (!isIsoDate(input.date)) {
    throw ApplicationFailure.nonRetryable(`Not a calendar day: date=${input.date}. Fix: pass the day as YYYY-MM-DD (UTC)`, 'InvalidInputError');
  }
  const layers = input.layers ?? [...VERIFY_LAYERS];
  const unknown = layers.filter((layer) => !(VERIFY_LAYERS as readonly string[]).includes(layer));
  if (unknown.length > 0 || layers.length === 0) {
    throw ApplicationFailure.nonRetryable(`Unknown verify layer(s): ${unknown.join(', ') || '(none given)'}. Fix: pass --layers as a subset of ${VERIFY_LAYERS.join(',')}`, 'InvalidInputError');
  }
  const chainId = input.chainId ?? (await detectChainId());
  upsertSearchAttributes([
    { key: dateKey, value: input.date },
    { key: chainIdKey, value: chainId },
  ]);
  if (!patched('verify-three-layers')) return verifyDayAgainstManifest({ chainId, date: input.date });

  const status = await dayStatus({ chainId, date: input.date });
  if (!status.sealed || !status.manifestKey || !status.manifestSha256) {
    return {
      chainId,
      date: input.date,
      manifestKey: '',
      manifestSha256: '',
      layers: [{ layer: 'lake', checked: 0, mismatches: [`lake mismatch: no sealed manifest for ${input.date}`], note: 'the day was never sealed' }],
      ok: false,
    };
  }
  const pin = { chainId, date: input.date, manifestKey: status.manifestKey, manifestSha256: status.manifestSha256 };
  const run: Record<VerifyLayer, () => Promise<LayerReport>> = {
    lake: () => verifyLakeLayer(pin),
    chain: () => verifyChainLayer(pin),
    warehouse: () => verifyWarehouseLayer(pin),
  };
  const reports = await Promise.all(VERIFY_LAYERS.filter((layer) => layers.includes(layer)).map((layer) => run[layer]()));
  return { ...pin, layers: reports, ok: reports.every((report) => report.mismatches.length === 0) };
}
