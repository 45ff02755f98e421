import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createClusterReader, KubernetesReadError } from '../../../src/cluster/readClusterSnapshot.js';
import { node, pod, startFakeKubernetesApi, type FakeKubernetesApi } from './fakeKubernetesApi.js';

describe('readClusterSnapshot against a fake Kubernetes API', () => {
  let api: FakeKubernetesApi;
  beforeEach(async () => {
    api = await startFakeKubernetesApi(2);
  });
  afterEach(async () => {
    await api.close();
  });

  it('pages through nodes and pods and keeps only pods that hold resources', async () => {
    api.nodes = [node('n1', '3920m', '15Gi'), node('n2', '4', '16Gi', { unschedulable: true }), node('n3', '2', '8Gi', { ready: false })];
    api.pods = [
      pod('running', 'n1', '500m', '1Gi'),
      pod('pending', undefined, '1', '2Gi'),
      pod('done', 'n1', '8', '64Gi', { phase: 'Succeeded' }),
      pod('crashed', 'n1', '8', '64Gi', { phase: 'Failed' }),
      pod('other-ns', 'n1', '250m', '512Mi', { namespace: 'kube-system' }),
    ];
    const snapshot = await createClusterReader(api.kubeConfig).readSnapshot();

    expect(snapshot.nodes.map((n) => [n.name, n.schedulable, n.allocatable.cpuMillis])).toEqual([
      ['n1', true, 3920],
      ['n2', false, 4000],
      ['n3', false, 2000],
    ]);
    expect(snapshot.pods.map((p) => [p.namespace, p.name, p.nodeName ?? null, p.requests.cpuMillis])).toEqual([
      ['default', 'running', 'n1', 500],
      ['default', 'pending', null, 1000],
      ['kube-system', 'other-ns', 'n1', 250],
    ]);
    // Three nodes and three live pods at two per page: two pages each, the second with continue.
    expect(api.requests.filter((r) => r.startsWith('/api/v1/nodes'))).toHaveLength(2);
    expect(api.requests.filter((r) => r.startsWith('/api/v1/pods'))).toHaveLength(2);
    expect(api.requests.some((r) => r.startsWith('/api/v1/pods') && r.includes('continue=2'))).toBe(true);
    expect(api.requests.every((r) => !r.startsWith('/api/v1/pods') || decodeURIComponent(r).includes('status.phase!=Succeeded'))).toBe(true);
  });

  it('turns a refused read into a retryable error naming the server and the RBAC fix', async () => {
    api.failWith = 403;
    const read = createClusterReader(api.kubeConfig).readSnapshot();
    await expect(read).rejects.toBeInstanceOf(KubernetesReadError);
    await expect(read).rejects.toThrow(new RegExp(`Listing (nodes|pods) from the Kubernetes API failed.*server=${api.url}.*status=403.*ledgerflow-capacity-reader`));
  });
});
