import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { capacityDepsFromEnv, createCapacityActivities, type CapacityDeps } from '../../../src/activities/capacity.js';
import { createClusterReader } from '../../../src/cluster/readClusterSnapshot.js';
import { node, pod, startFakeKubernetesApi, type FakeKubernetesApi } from '../cluster/fakeKubernetesApi.js';

const Gi = 2 ** 30;
const exportLabels = { 'app.kubernetes.io/name': 'ledgerflow', 'app.kubernetes.io/component': 'export' };

describe('clusterCapacity activity against a fake Kubernetes API', () => {
  let api: FakeKubernetesApi;
  let deps: CapacityDeps;
  const warnings: unknown[] = [];
  beforeEach(async () => {
    api = await startFakeKubernetesApi();
    warnings.length = 0;
    deps = {
      cluster: createClusterReader(api.kubeConfig),
      exportPod: { requests: { cpuMillis: 1000, memoryBytes: 2 * Gi } },
      exportPodLabels: exportLabels,
      log: { warn: (...args: unknown[]) => void warnings.push(args) },
    };
  });
  afterEach(async () => {
    await api.close();
  });

  it('sizes the window from export pods running plus those that still fit', async () => {
    api.nodes = [node('n1', '4', '16Gi'), node('n2', '4', '16Gi')];
    api.pods = [pod('export-1', 'n1', '1', '2Gi', { labels: exportLabels }), pod('export-2', 'n2', '1', '2Gi', { labels: exportLabels }), pod('web', 'n2', '2', '1Gi')];
    const { clusterCapacity } = createCapacityActivities(deps);
    // n1 has 3 CPUs free, n2 has 1: four more export pods, two already running.
    expect(await clusterCapacity({ maxWindow: 10 })).toEqual({ window: 6, fits: 4, reason: expect.stringContaining('2 export pods running') });
    expect(await clusterCapacity({ maxWindow: 5 })).toMatchObject({ window: 5, fits: 4 });
    expect(await createCapacityActivities({ ...deps, exportPodsPerDay: 4 }).clusterCapacity({ maxWindow: 10 })).toMatchObject({ window: 1 });
  });

  it('never answers below 1, even on a full cluster', async () => {
    api.nodes = [node('n1', '1', '2Gi')];
    api.pods = [pod('web', 'n1', '1', '1Gi')];
    expect(await createCapacityActivities(deps).clusterCapacity({ maxWindow: 8 })).toMatchObject({ window: 1, fits: 0 });
  });

  it('falls back to a window of 1 when the API refuses, and logs why', async () => {
    api.failWith = 403;
    const result = await createCapacityActivities(deps).clusterCapacity({ maxWindow: 8 });
    expect(result).toMatchObject({ window: 1, fits: 0 });
    expect(result.reason).toMatch(/cluster capacity unknown .*status=403.*window falls back to 1/);
    expect(warnings).toHaveLength(1);
  });

  it('answers maxWindow off Kubernetes, where no shared cluster is at stake', async () => {
    const offCluster = capacityDepsFromEnv({});
    expect(offCluster.cluster).toBeUndefined();
    expect(offCluster.exportPod.requests).toEqual({ cpuMillis: 1000, memoryBytes: 2 * Gi });
    expect(await createCapacityActivities(offCluster).clusterCapacity({ maxWindow: 7 })).toMatchObject({ window: 7 });
    expect(await createCapacityActivities(offCluster).clusterCapacity({ maxWindow: 0 })).toMatchObject({ window: 1 });
  });

  it('finds the cluster through the file KUBECONFIG names', async () => {
    api.nodes = [node('n1', '8', '32Gi')];
    const dir = mkdtempSync(path.join(tmpdir(), 'ledgerflow-kubeconfig-'));
    try {
      const file = path.join(dir, 'config');
      writeFileSync(file, api.kubeConfig.exportConfig());
      const fromFile = capacityDepsFromEnv({ KUBECONFIG: file });
      expect(fromFile.cluster?.server).toBe(api.url);
      expect(await createCapacityActivities(fromFile).clusterCapacity({ maxWindow: 20 })).toMatchObject({ window: 8, fits: 8 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('inside a pod uses the in-cluster address, and a pod without a token falls back to 1', async () => {
    // client-node reads the in-cluster address from process.env itself.
    vi.stubEnv('KUBERNETES_SERVICE_HOST', '127.0.0.1');
    vi.stubEnv('KUBERNETES_SERVICE_PORT', new URL(api.url).port);
    try {
      const inPod = capacityDepsFromEnv(process.env);
      expect(inPod.cluster?.server).toBe(`https://127.0.0.1:${new URL(api.url).port}`);
      // No service-account token or CA file outside a pod: the read fails and the window is 1.
      expect(await createCapacityActivities(inPod).clusterCapacity({ maxWindow: 9 })).toMatchObject({ window: 1, fits: 0 });
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('reads the export pod shape and selectors from the environment', () => {
    const fromEnv = capacityDepsFromEnv({
      LEDGERFLOW_EXPORT_POD_CPU: '1500m',
      LEDGERFLOW_EXPORT_POD_MEMORY: '3Gi',
      LEDGERFLOW_EXPORT_NODE_SELECTOR: 'pool=etl',
      LEDGERFLOW_EXPORT_POD_LABELS: 'role=export',
    });
    expect(fromEnv.exportPod).toEqual({ requests: { cpuMillis: 1500, memoryBytes: 3 * Gi }, nodeSelector: { pool: 'etl' } });
    expect(fromEnv.exportPodLabels).toEqual({ role: 'export' });
    expect(() => capacityDepsFromEnv({ LEDGERFLOW_EXPORT_POD_LABELS: 'role' })).toThrow(/key=value pairs/);
  });
});
