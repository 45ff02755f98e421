import type { Command } from 'commander';
import { writeWorkflowBundle } from '../../workers/bundleWorkflows.js';
import { runWorkerProcess } from '../../workers/main.js';

interface WorkerCommandOptions {
  roles?: string;
  exportSlots?: string;
  loadSlots?: string;
  workflowSlots?: string;
  shutdownGrace?: string;
  workflowBundle?: string;
}

export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description('Run a Temporal worker; LEDGERFLOW_ROLES (workflows,export,load) picks the task queues it polls')
    .option('--roles <list>', 'comma list of workflows, export, load (default: LEDGERFLOW_ROLES or all)')
    .option('--export-slots <n>', 'concurrent export activities (LEDGERFLOW_EXPORT_SLOTS, default 4)')
    .option('--load-slots <n>', 'concurrent load and model activities (LEDGERFLOW_LOAD_SLOTS, default 2)')
    .option('--workflow-slots <n>', 'concurrent workflow tasks (LEDGERFLOW_WORKFLOW_SLOTS, default 40)')
    .option('--shutdown-grace <duration>', 'drain time after SIGTERM, e.g. 60s (LEDGERFLOW_SHUTDOWN_GRACE)')
    .option('--workflow-bundle <file>', 'prebuilt bundle from `ledgerflow bundle-workflows` (LEDGERFLOW_WORKFLOW_BUNDLE)')
    .action(async (options: WorkerCommandOptions) => {
      const env = { ...process.env };
      if (options.roles) env.LEDGERFLOW_ROLES = options.roles;
      if (options.exportSlots) env.LEDGERFLOW_EXPORT_SLOTS = options.exportSlots;
      if (options.loadSlots) env.LEDGERFLOW_LOAD_SLOTS = options.loadSlots;
      if (options.workflowSlots) env.LEDGERFLOW_WORKFLOW_SLOTS = options.workflowSlots;
      if (options.shutdownGrace) env.LEDGERFLOW_SHUTDOWN_GRACE = options.shutdownGrace;
      if (options.workflowBundle) env.LEDGERFLOW_WORKFLOW_BUNDLE = options.workflowBundle;
      Object.assign(process.env, env);
      await runWorkerProcess();
    });

  program
    .command('bundle-workflows')
    .description('Bundle src/workflows into one file that production workers load instead of bundling at start')
    .option('--out <file>', 'output file', 'dist/workflow-bundle.js')
    .action(async (options: { out: string }) => {
      const { path, bytes } = await writeWorkflowBundle(options.out);
      process.stdout.write(`${path} (${bytes} bytes)\n`);
    });
}

