import type { VerifyDayReport } from '../../activities/types.js';
import { VERIFY_LAYERS, type VerifyLayer } from '../../workflows/verifyLayers.js';
import { InvalidInputError } from '../../errors/LedgerflowError.js';
import { isoDate } from './isoDateOption.js';
import { TASK_QUEUES, verifyWorkflowId } from '../../workflows/names.js';
import { verifyDay } from '../../workflows/verifyDay.js';
import { chainIdFor } from '../temporal/chainIdFor.js';
import { connectClient } from '../temporal/connectClient.js';
import { followDay } from '../temporal/followDay.js';
import { formatDaySummary } from '../temporal/formatSummary.js';
import { withNoWorkerWarning } from '../temporal/noWorkerWarning.js';
import { startDay } from '../temporal/startDay.js';

export interface RunDayOptions {
  date: string;
  chainId?: string;
  wait: boolean;
  json?: boolean;
  exportParallelism?: string;
  supersede?: string;
}

export async function runDay(options: RunDayOptions): Promise<void> {
  isoDate(options.date, '--date');
  const chainId = await chainIdFor(options.chainId);
  const exportParallelism = options.exportParallelism === undefined ? undefined : Number(options.exportParallelism);
  if (exportParallelism !== undefined && !(Number.isInteger(exportParallelism) && exportParallelism >= 1)) {
    throw new InvalidInputError(`--export-parallelism must be a positive integer, got ${options.exportParallelism}`, { fix: 'pass e.g. --export-parallelism 4' });
  }
  if (options.supersede !== undefined && options.supersede.trim() === '') {
    throw new InvalidInputError('--supersede needs a reason', { fix: 'say why the sealed day is replaced, e.g. --supersede "node served a pruned fork"' });
  }
  const { client, close } = await connectClient();
  try {
    const handle = await startDay(client, {
      date: options.date,
      chainId,
      ...(exportParallelism ? { exportParallelism } : {}),
      ...(options.supersede ? { supersede: { reason: options.supersede.trim() } } : {}),
    });
    if (!options.wait) {
      process.stdout.write(`${handle.workflowId}\n`);
      return;
    }
    process.stderr.write(`workflow ${handle.workflowId} (temporal workflow show -w '${handle.workflowId}')\n`);
    const summary = await followDay(client, handle, { taskQueue: TASK_QUEUES.workflows });
    process.stdout.write(options.json ? `${JSON.stringify(summary, null, 2)}\n` : formatDaySummary(summary));
  } finally {
    await close();
  }
}

export interface VerifyOptions {
  date: string;
  chainId?: string;
  layers: string;
  json?: boolean;
}

export async function runVerify(options: VerifyOptions): Promise<void> {
  isoDate(options.date, '--date');
  const layers = parseLayers(options.layers);
  const chainId = await chainIdFor(options.chainId);
  const { client, close } = await connectClient();
  try {
    const run = client.workflow.execute(verifyDay, {
      taskQueue: TASK_QUEUES.workflows,
      workflowId: verifyWorkflowId(chainId, options.date),
      args: [{ date: options.date, chainId, layers }],
    });
    const result = (await withNoWorkerWarning(client, TASK_QUEUES.workflows, run)) as VerifyDayReport;
    process.stdout.write(options.json ? `${JSON.stringify(result, null, 2)}\n` : formatVerifyReport(result));
    if (!result.ok) process.exitCode = 1;
  } finally {
    await close();
  }
}

export function parseLayers(list: string): VerifyLayer[] {
  const layers = list.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = layers.filter((layer) => !(VERIFY_LAYERS as readonly string[]).includes(layer));
  if (layers.length === 0 || unknown.length > 0) {
    throw new InvalidInputError(`--layers has unknown layer(s): ${unknown.join(', ') || '(none given)'}`, { fix: `pass a comma-separated subset of ${VERIFY_LAYERS.join(',')}` });
  }
  return layers as VerifyLayer[];
}

/** One line per layer, then one line per mismatch; the verdict last. */
export function formatVerifyReport(report: VerifyDayReport): string {
  const lines = [`day ${report.date} chain ${report.chainId}: manifest ${report.manifestKey || '(none)'} sha256 ${report.manifestSha256 || '-'}`];
  for (const layer of report.layers) {
    lines.push(`${layer.layer.padEnd(9)} ${layer.mismatches.length === 0 ? 'ok      ' : 'MISMATCH'} ${layer.note}`);
    for (const mismatch of layer.mismatches) lines.push(`  ${mismatch}`);
  }
  lines.push(report.ok ? `verified: ${report.layers.map((l) => l.layer).join(', ')} match the sealed manifest` : 'verification failed: see the mismatch lines above');
  return `${lines.join('\n')}\n`;
}
