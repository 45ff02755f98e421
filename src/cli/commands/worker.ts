import type { Command } from 'commander';
import type { WorkerCommandOptions } from '../actions/worker.js';
import { TASK_QUEUES } from '../../workflows/names.js';

const ROLE_LIST = Object.keys(TASK_QUEUES).join(', ');

export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description(`Run a Temporal worker; LEDGERFLOW_ROLES (${ROLE_LIST}) picks the task queues it polls`)
    .option('--roles <list>', `comma list of ${ROLE_LIST} (default: LEDGERFLOW_ROLES or all)`)
    .option('--export-slots <n>', 'concurrent export activities (LEDGERFLOW_EXPORT_SLOTS, default 4)')
    .option('--load-slots <n>', 'concurrent load activities (LEDGERFLOW_LOAD_SLOTS, default 2)')
    .option('--metric-slots <n>', 'concurrent metric activities (LEDGERFLOW_METRIC_SLOTS, default 2)')
    .option('--workflow-slots <n>', 'concurrent workflow tasks (LEDGERFLOW_WORKFLOW_SLOTS, default 40)')
    .option('--shutdown-grace <duration>', 'drain time after SIGTERM, e.g. 60s (LEDGERFLOW_SHUTDOWN_GRACE)')
    .option('--workflow-bundle <file>', 'prebuilt bundle from `ledgerflow bundle-workflows` (LEDGERFLOW_WORKFLOW_BUNDLE)')
    .action(async (options: WorkerCommandOptions) => (await import('../actions/worker.js')).runWorker(options));

  program
    .command('bundle-workflows')
    .description('Bundle src/workflows into one file that production workers load instead of bundling at start')
    .option('--out <file>', 'output file', 'dist/workflow-bundle.js')
    .action(async (options: { out: string }) => (await import('../actions/worker.js')).runBundleWorkflows(options));
}
