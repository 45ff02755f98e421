import { writeWorkflowBundle } from '../../workers/bundleWorkflows.js';
import { runWorkerProcess } from '../../workers/main.js';

export interface WorkerCommandOptions {
  roles?: string;
  exportSlots?: string;
  loadSlots?: string;
  metricSlots?: string;
  workflowSlots?: string;
  shutdownGrace?: string;
  workflowBundle?: string;
}

export async function runWorker(options: WorkerCommandOptions): Promise<void> {
  const env = { ...process.env };
  if (options.roles) env.LEDGERFLOW_ROLES = options.roles;
  if (options.exportSlots) env.LEDGERFLOW_EXPORT_SLOTS = options.exportSlots;
  if (options.loadSlots) env.LEDGERFLOW_LOAD_SLOTS = options.loadSlots;
  if (options.metricSlots) env.LEDGERFLOW_METRIC_SLOTS = options.metricSlots;
  if (options.workflowSlots) env.LEDGERFLOW_WORKFLOW_SLOTS = options.workflowSlots;
  if (options.shutdownGrace) env.LEDGERFLOW_SHUTDOWN_GRACE = options.shutdownGrace;
  if (options.workflowBundle) env.LEDGERFLOW_WORKFLOW_BUNDLE = options.workflowBundle;
  Object.assign(process.env, env);
  await runWorkerProcess();
}

export async function runBundleWorkflows(options: { out: string }): Promise<void> {
  const { path, bytes } = await writeWorkflowBundle(options.out);
  process.stdout.write(`${path} (${bytes} bytes)\n`);
}
