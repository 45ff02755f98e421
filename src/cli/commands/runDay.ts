import type { Command } from 'commander';
import { InvalidInputError } from '../../errors/LedgerflowError.js';
import { isIsoDate } from '../../workflows/dates.js';
import { TASK_QUEUES, verifyWorkflowId } from '../../workflows/names.js';
import { verifyDay } from '../../workflows/verifyDay.js';
import { chainIdFor } from '../temporal/chainIdFor.js';
import { connectClient } from '../temporal/connectClient.js';
import { followDay } from '../temporal/followDay.js';
import { formatDaySummary } from '../temporal/formatSummary.js';
import { withNoWorkerWarning } from '../temporal/noWorkerWarning.js';
import { startDay } from '../temporal/startDay.js';

interface RunDayOptions {
  date: string;
  chainId?: string;
  wait: boolean;
  json?: boolean;
  exportParallelism?: string;
}

export function registerRunDay(program: Command): void {
  program
    .command('run-day')
    .description('Run one UTC day through Temporal (export, seal, load, models) and print its summary')
    .requiredOption('--date <YYYY-MM-DD>', 'UTC day to run')
    .option('--chain-id <n>', 'chain id (default: CHAIN_ID, else asked from RPC_URL)')
    .option('--export-parallelism <n>', 'chunk groups exported at once')
    .option('--no-wait', 'print the workflow id and return at once')
    .option('--json', 'print the summary as JSON')
    .action(async (options: RunDayOptions) => runDay(options));

  program
    .command('verify-day')
    .description('Re-export a sealed day and compare every file digest with its manifest')
    .requiredOption('--date <YYYY-MM-DD>', 'UTC day to verify')
    .option('--chain-id <n>', 'chain id (default: CHAIN_ID, else asked from RPC_URL)')
    .action(async (options: { date: string; chainId?: string }) => runVerify(options));
}

async function runDay(options: RunDayOptions): Promise<void> {
  if (!isIsoDate(options.date)) throw new InvalidInputError(`--date is not a calendar day: ${options.date}`, { fix: 'pass the day as YYYY-MM-DD (UTC)' });
  const chainId = await chainIdFor(options.chainId);
  const exportParallelism = options.exportParallelism === undefined ? undefined : Number(options.exportParallelism);
  if (exportParallelism !== undefined && !(Number.isInteger(exportParallelism) && exportParallelism >= 1)) {
    throw new InvalidInputError(`--export-parallelism must be a positive integer, got ${options.exportParallelism}`, { fix: 'pass e.g. --export-parallelism 4' });
  }
  const { client, close } = await connectClient();
  try {
    const handle = await startDay(client, { date: options.date, chainId, ...(exportParallelism ? { exportParallelism } : {}) });
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

async function runVerify(options: { date: string; chainId?: string }): Promise<void> {
  if (!isIsoDate(options.date)) throw new InvalidInputError(`--date is not a calendar day: ${options.date}`, { fix: 'pass the day as YYYY-MM-DD (UTC)' });
  const chainId = await chainIdFor(options.chainId);
  const { client, close } = await connectClient();
  try {
    const run = client.workflow.execute(verifyDay, {
      taskQueue: TASK_QUEUES.workflows,
      workflowId: verifyWorkflowId(chainId, options.date),
      args: [{ date: options.date, chainId }],
    });
    const result = await withNoWorkerWarning(client, TASK_QUEUES.workflows, run);
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    if (result.mismatches.length > 0) process.exitCode = 1;
  } finally {
    await close();
  }
}
