import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { NativeConnection, Runtime, Worker, type WorkerOptions } from '@temporalio/worker';
import type { Registry } from 'prom-client';
import { bundleEncodesFailures, codecConverterFromEnv, type CodecConverter } from '../codec/dataConverter.js';
import { CODEC_ENV } from '../codec/codecSettings.js';
import { ConfigurationError } from '../errors/LedgerflowError.js';
import { capacityDepsFromEnv, createCapacityActivities } from '../activities/capacity.js';
import { createActivities } from '../activities/index.js';
import { configForRoles, type RoleConfig } from '../config.js';
import { createLogger, type Logger } from '../log.js';
import { createMetricsRegistry } from '../metrics/createMetricsRegistry.js';
import { TASK_QUEUES, type WorkerRole } from '../workflows/names.js';
import { createActivityDeps } from './activityDeps.js';
import { freeLoopbackPort, startMetricsServer } from './metricsServer.js';
import { sdkLogger } from './sdkLogger.js';
import { workerSettingsFromEnv, type WorkerSettings } from './workerSettings.js';
import { workflowsPath } from './workflowsPath.js';
import { temporalConnectionOptions } from '../temporalConnectionOptions.js';
import { HEARTBEAT_FLUSH_MS } from '../heartbeatTiming.js';

export interface StartWorkersOptions {
  /** The settings of the roles this process runs (configForRoles): a full Config also fits. */
  config: RoleConfig;
  settings: WorkerSettings;
  logger: Logger;
  registry: Registry;
  /** Serve /metrics (app + SDK) on config.metricsPort; off for in-process test workers. */
  serveMetrics?: boolean;
  /** Payload codec and failure converter; from LEDGERFLOW_CODEC_KEYS in process.env when absent. */
  codec?: CodecConverter;
}

export interface RunningWorkers {
  roles: WorkerRole[];
  metricsPort: number | undefined;
  /** Resolves when every worker has drained and the clients are closed. */
  done: Promise<void>;
  /** Stops polling, lets in-flight tasks finish within shutdownGraceTime, then resolves `done`. */
  shutdown(): Promise<void>;
}

let runtimeInstalled = false;

/**
 * Installs the SDK runtime once per process: logs into pino, Prometheus on a private loopback port
 * (served through our /metrics), and the SDK's own SIGINT/SIGTERM handling, which drains workers
 * instead of exiting.
 */
async function installRuntime(logger: Logger, withMetrics: boolean): Promise<string | undefined> {
  if (runtimeInstalled) return undefined;
  runtimeInstalled = true;
  const sdkPort = withMetrics ? await freeLoopbackPort() : undefined;
  Runtime.install({
    logger: sdkLogger(logger.child({ component: 'temporal-sdk' })),
    telemetryOptions: sdkPort ? { metrics: { prometheus: { bindAddress: `127.0.0.1:${sdkPort}` } } } : {},
  });
  return sdkPort ? `http://127.0.0.1:${sdkPort}/metrics` : undefined;
}

export async function startWorkers(options: StartWorkersOptions): Promise<RunningWorkers> {
  const { config, settings, logger, registry } = options;
  // Before anything starts: a malformed key must stop the worker with one line naming the variable.
  const codec = options.codec ?? codecConverterFromEnv();
  const workflowSource = resolveWorkflowSource(settings);
  if (settings.roles.includes('workflows')) checkBundleEncodesFailures(workflowSource, codec);
  const sdkMetricsUrl = await installRuntime(logger, options.serveMetrics ?? true);
  let workers: Worker[] = [];
  const isReady = () => workers.length > 0 && workers.every((w) => w.getState() === 'RUNNING');
  const metrics = options.serveMetrics === false ? undefined : await startMetricsServer({ registry, port: config.metricsPort, isReady, ...(sdkMetricsUrl ? { sdkMetricsUrl } : {}) });
  // With METRICS_PORT=0 the port is known only now, and a scrape config or a person needs it.
  if (metrics) logger.info({ metrics_port: metrics.port }, config.metricsPort === 0 ? `METRICS_PORT=0: metrics on free port ${metrics.port}` : `metrics on port ${metrics.port}`);

  let connection: NativeConnection | undefined;
  let bound: ReturnType<typeof createActivityDeps> | undefined;
  try {
    connection = await NativeConnection.connect(temporalConnectionOptions(config));
    const needsActivities = settings.roles.some((r) => r !== 'workflows');
    bound = needsActivities ? createActivityDeps(config, logger, registry) : undefined;
    const activities = bound ? { ...createActivities(bound.deps), ...createCapacityActivities(capacityDepsFromEnv(process.env, logger)) } : undefined;
    const conn = connection;
    workers = await Promise.all(
      settings.roles.map((role) => {
        const base: WorkerOptions = {
          connection: conn,
          namespace: config.temporalNamespace,
          taskQueue: TASK_QUEUES[role],
          // Codecs run here, outside the sandbox; the failure converter path also reaches the
          // bundler when the worker bundles at start (a prebuilt bundle carries its own).
          dataConverter: codec.dataConverter,
          shutdownGraceTime: settings.shutdownGraceTime as WorkerOptions['shutdownGraceTime'],
          shutdownForceTime: settings.shutdownForceTime as WorkerOptions['shutdownForceTime'],
        };
        if (role === 'workflows') return Worker.create({ ...base, ...workflowSource, maxConcurrentWorkflowTaskExecutions: settings.slots.workflows });
        return Worker.create({ ...base, activities, maxConcurrentActivityTaskExecutions: settings.slots[role], maxHeartbeatThrottleInterval: HEARTBEAT_FLUSH_MS });
      }),
    );
  } catch (error) {
    // A worker that cannot start must not leave a metrics port, pools or a connection behind.
    await bound?.close().catch(() => undefined);
    await connection?.close().catch(() => undefined);
    await metrics?.close();
    throw error;
  }
  const openConnection = connection;
  logger.info(
    { roles: settings.roles, slots: settings.slots, temporal: config.temporalAddress, namespace: config.temporalNamespace, metrics_port: metrics?.port, bundle: 'workflowBundle' in workflowSource, payload_encryption: codec.encryptKeyId ? `AES-256-GCM, key ${codec.encryptKeyId}` : 'off' },
    'workers started',
  );

  const done = Promise.all(workers.map((w) => w.run())).finally(async () => {
    await bound?.close().catch((error: unknown) => logger.warn({ err: error }, 'closing clients failed'));
    await openConnection.close();
    await metrics?.close();
    logger.info({ roles: settings.roles }, 'workers stopped');
  });
  return {
    roles: settings.roles,
    metricsPort: metrics?.port,
    done: done.then(() => undefined),
    async shutdown() {
      for (const worker of workers) if (worker.getState() === 'RUNNING') worker.shutdown();
      await done;
    },
  };
}

/** A prebuilt bundle when one is configured or shipped in dist/, else bundle the sources at start (dev). */
function resolveWorkflowSource(settings: WorkerSettings): Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'> {
  const shipped = fileURLToPath(new URL('../../dist/workflow-bundle.js', import.meta.url));
  const codePath = settings.workflowBundlePath ?? (process.env.NODE_ENV === 'production' && existsSync(shipped) ? shipped : undefined);
  return codePath ? { workflowBundle: { codePath } } : { workflowsPath: workflowsPath() };
}

/**
 * A prebuilt bundle fixes the sandbox's failure converter: with encryption on, one built without
 * the encoded failure converter would write workflow failure messages and stack traces to history
 * in plaintext, so the worker refuses it.
 */
function checkBundleEncodesFailures(source: Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'>, codec: CodecConverter): void {
  const bundle = source.workflowBundle;
  if (!codec.encryptKeyId || !bundle || !('codePath' in bundle) || !existsSync(bundle.codePath)) return;
  if (bundleEncodesFailures(readFileSync(bundle.codePath, 'utf8'))) return;
  throw new ConfigurationError(`The workflow bundle ${bundle.codePath} writes failure messages in plaintext, and ${CODEC_ENV.keys} asks for encryption`, {
    fix: 'rebuild it with `ledgerflow bundle-workflows --out <file>` (or `npm run build`), or unset LEDGERFLOW_WORKFLOW_BUNDLE to bundle at start',
  });
}

/** `ledgerflow worker`: runs until SIGTERM/SIGINT, then drains and exits 0. */
export async function runWorkerProcess(overrides: Partial<WorkerSettings> = {}): Promise<void> {
  const settings = workerSettingsFromEnv(process.env, overrides);
  // Each role reads only its own settings: a workflows pod mounts no RPC or database secret.
  const config = configForRoles(settings.roles);
  const logger = createLogger(config.logLevel, { component: 'worker' });
  const registry = createMetricsRegistry({ collectDefault: true });
  const running = await startWorkers({ config, settings, logger, registry });
  await running.done;
}
