import { existsSync } from 'node:fs';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { createCapacityActivities } from '../../../src/activities/capacity.js';
import { createActivities } from '../../../src/activities/index.js';
import { bundleWorkflows } from '../../../src/workers/bundleWorkflows.js';
import { TASK_QUEUES } from '../../../src/workflows/names.js';
import { chainIdKey, dateKey } from '../../../src/workflows/searchAttributes.js';
import { createFakeWorld, type FakeWorld } from '../activities/fakeDeps.js';

export function temporalBinary(): string {
  const candidates = [process.env.TEMPORAL_CLI, '/root/go/bin/temporal', '/usr/local/bin/temporal'].filter((p): p is string => !!p);
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`No temporal CLI binary; set TEMPORAL_CLI (looked in ${candidates.join(', ')})`);
  return found;
}

export interface WorkflowTestEnv {
  env: TestWorkflowEnvironment;
  world: FakeWorld;
  bundle: WorkflowBundleWithSourceMap;
  stop(): Promise<void>;
}

/**
 * A real Temporal dev server on a random loopback port with the real workflow bundle, and one
 * worker per task queue running the real activity adapters over in-memory fakes of the libraries.
 */
export async function startWorkflowTestEnv(): Promise<WorkflowTestEnv> {
  quietRuntime();
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: temporalBinary() },
      ip: '127.0.0.1',
      ui: false,
      searchAttributes: [chainIdKey, dateKey],
      log: { format: 'pretty', level: 'error' },
    },
  });
  const bundle = await bundleWorkflows();
  const world = createFakeWorld();
  const activities = { ...createActivities(world.deps), ...createCapacityActivities({ cluster: undefined, exportPod: { requests: { cpuMillis: 1000, memoryBytes: 1 }, nodeSelector: {} }, exportPodLabels: {} }) };
  const workers = await Promise.all([
    Worker.create({ connection: env.nativeConnection, taskQueue: TASK_QUEUES.workflows, workflowBundle: bundle }),
    Worker.create({ connection: env.nativeConnection, taskQueue: TASK_QUEUES.export, activities }),
    Worker.create({ connection: env.nativeConnection, taskQueue: TASK_QUEUES.load, activities }),
    Worker.create({ connection: env.nativeConnection, taskQueue: TASK_QUEUES.metrics, activities }),
  ]);
  const running = Promise.all(workers.map((w) => w.run()));
  return {
    env,
    world,
    bundle,
    async stop() {
      for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
      await running;
      await env.teardown();
    },
  };
}

let runtimeInstalled = false;
function quietRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  // Worker state changes are logged at INFO; tests only want warnings.
  Runtime.install({ logger: new DefaultLogger('WARN') });
}
