import { exportPodFit } from '../cluster/exportPodFit.js';
import { parseCpuMillis, parseMemoryBytes } from '../cluster/quantity.js';
import { createClusterReader, kubeConfigFromEnv, type ClusterReader } from '../cluster/readClusterSnapshot.js';
import type { ExportPodShape } from '../cluster/types.js';
import { ConfigurationError } from '../errors/LedgerflowError.js';
import { maskUrl } from '../errors/maskUrl.js';
import type { Logger } from '../log.js';

export interface CapacityDeps {
  /** Undefined off Kubernetes (local stack, tests): nothing but maxWindow limits the window. */
  cluster: ClusterReader | undefined;
  exportPod: ExportPodShape;
  /** Labels that pick the export worker pods, so the ones already running count as room. */
  exportPodLabels: Record<string, string>;
  /** Export pods one day in flight keeps busy; the window is room divided by this. */
  exportPodsPerDay?: number;
  log?: Pick<Logger, 'warn'>;
}

export interface ClusterCapacityInput {
  maxWindow: number;
}

export interface ClusterCapacityResult {
  /** Days the backfill may keep in flight: always within [1, maxWindow]. */
  window: number;
  /** More export pods that fit right now (0 when unknown). */
  fits: number;
  reason: string;
}

const matches = (labels: Record<string, string>, selector: Record<string, string>) =>
  Object.entries(selector).every(([key, value]) => labels[key] === value);

/**
 * The backfill workflow asks before widening its window of child days. Failures never fail the
 * activity: a backfill must keep moving, so a broken API read answers window 1 (the safe side:
 * one day at a time cannot overload the cluster or the warehouse, while maxWindow on a blind
 * read could flood a full cluster with pods that stay Pending). No cluster at all answers
 * maxWindow, since then nothing shared is at stake.
 */
export function createCapacityActivities(deps: CapacityDeps) {
  const wholeAtLeastOne = (n: number | undefined) => (n !== undefined && Number.isFinite(n) && n >= 1 ? Math.floor(n) : 1);
  const perDay = wholeAtLeastOne(deps.exportPodsPerDay);
  return {
    async clusterCapacity(input: ClusterCapacityInput): Promise<ClusterCapacityResult> {
      const maxWindow = wholeAtLeastOne(input.maxWindow);
      if (!deps.cluster) return { window: maxWindow, fits: 0, reason: 'not running on Kubernetes: window is maxWindow' };
      try {
        const snapshot = await deps.cluster.readSnapshot();
        const fit = exportPodFit(snapshot, deps.exportPod);
        const running = snapshot.pods.filter((p) => p.nodeName !== undefined && matches(p.labels, deps.exportPodLabels)).length;
        const window = Math.min(maxWindow, Math.max(1, Math.floor((running + fit.fits) / perDay)));
        return { window, fits: fit.fits, reason: `${fit.reason}; ${running} export pods running` };
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        deps.log?.warn({ err: message, server: maskUrl(deps.cluster.server) }, 'cluster capacity unknown; backfill window falls back to 1');
        return { window: 1, fits: 0, reason: `cluster capacity unknown (${message}): window falls back to 1` };
      }
    },
  };
}

export type CapacityActivities = ReturnType<typeof createCapacityActivities>;

function labelsFromEnv(raw: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const pair of raw.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [key, value] = pair.split('=');
    if (!key || value === undefined) {
      throw new ConfigurationError(`Cannot read the label selector "${raw}"`, {
        fix: 'write labels as key=value pairs separated by commas, e.g. app.kubernetes.io/component=export',
      });
    }
    labels[key.trim()] = value.trim();
  }
  return labels;
}

/**
 * Deps from the worker's environment. The k8s ConfigMap sets LEDGERFLOW_EXPORT_POD_CPU/MEMORY to
 * the export Deployment's requests (an infra test keeps the two equal).
 */
export function capacityDepsFromEnv(env: Record<string, string | undefined> = process.env, log?: Pick<Logger, 'warn'>): CapacityDeps {
  const kubeConfig = kubeConfigFromEnv(env);
  return {
    cluster: kubeConfig ? createClusterReader(kubeConfig) : undefined,
    exportPod: {
      requests: {
        cpuMillis: parseCpuMillis(env.LEDGERFLOW_EXPORT_POD_CPU ?? '1'),
        memoryBytes: parseMemoryBytes(env.LEDGERFLOW_EXPORT_POD_MEMORY ?? '2Gi'),
      },
      nodeSelector: labelsFromEnv(env.LEDGERFLOW_EXPORT_NODE_SELECTOR ?? ''),
    },
    exportPodLabels: labelsFromEnv(env.LEDGERFLOW_EXPORT_POD_LABELS ?? 'app.kubernetes.io/name=ledgerflow,app.kubernetes.io/component=export'),
    exportPodsPerDay: env.LEDGERFLOW_EXPORT_PODS_PER_DAY ? Number(env.LEDGERFLOW_EXPORT_PODS_PER_DAY) : 1,
    ...(log ? { log } : {}),
  };
}
