import { describe, expect, it } from 'vitest';
import { exportPodFit } from '../../../src/cluster/exportPodFit.js';
import type { NodeCapacity, PodDemand } from '../../../src/cluster/types.js';

const Gi = 2 ** 30;
const exportPod = { requests: { cpuMillis: 1000, memoryBytes: 2 * Gi } };

const node = (name: string, cpuMillis: number, memoryGi: number, extra: Partial<NodeCapacity> = {}): NodeCapacity => ({
  name,
  allocatable: { cpuMillis, memoryBytes: memoryGi * Gi },
  maxPods: 110,
  labels: {},
  schedulable: true,
  ...extra,
});

const pod = (name: string, nodeName: string | undefined, cpuMillis: number, memoryGi: number): PodDemand => ({
  namespace: 'default',
  name,
  nodeName,
  requests: { cpuMillis, memoryBytes: memoryGi * Gi },
  labels: {},
});

describe('exportPodFit', () => {
  it('counts per node, so leftovers on different nodes do not add up to a pod', () => {
    // 600m free on each of two nodes: 1200m in total, yet no 1000m pod fits anywhere.
    const fit = exportPodFit(
      { nodes: [node('a', 4000, 16), node('b', 4000, 16)], pods: [pod('x', 'a', 3400, 1), pod('y', 'b', 3400, 1)] },
      exportPod,
    );
    expect(fit.fits).toBe(0);
    expect(fit.nodes).toBe(2);
  });

  it('takes the tighter of CPU, memory and pod slots on each node', () => {
    const fit = exportPodFit(
      {
        nodes: [node('cpu-bound', 3000, 64), node('memory-bound', 16000, 5), node('slot-bound', 16000, 64, { maxPods: 3 })],
        pods: [pod('p1', 'slot-bound', 100, 0.1), pod('p2', 'slot-bound', 100, 0.1)],
      },
      exportPod,
    );
    expect(fit.fits).toBe(3 + 2 + 1);
  });

  it('skips cordoned, not-ready or tainted nodes and nodes outside the nodeSelector', () => {
    const fit = exportPodFit(
      {
        nodes: [
          node('ok', 2000, 8, { labels: { pool: 'etl' } }),
          node('other-pool', 8000, 32, { labels: { pool: 'web' } }),
          node('cordoned', 8000, 32, { labels: { pool: 'etl' }, schedulable: false }),
        ],
        pods: [],
      },
      { ...exportPod, nodeSelector: { pool: 'etl' } },
    );
    expect(fit).toMatchObject({ fits: 2, nodes: 1 });
  });

  it('places pending pods before new export pods and charges the ones that fit nowhere', () => {
    const nodes = [node('a', 4000, 16)];
    expect(exportPodFit({ nodes, pods: [] }, exportPod).fits).toBe(4);
    expect(exportPodFit({ nodes, pods: [pod('pending', undefined, 2000, 1)] }, exportPod).fits).toBe(2);
    const crowded = exportPodFit({ nodes, pods: [pod('huge', undefined, 8000, 1), pod('small', undefined, 1000, 1)] }, exportPod);
    expect(crowded).toMatchObject({ fits: 2, waitingPods: 1 });
    expect(crowded.reason).toContain('1 pending pods are waiting for room');
  });

  it('ignores pods bound to nodes that are no longer listed', () => {
    expect(exportPodFit({ nodes: [node('a', 2000, 8)], pods: [pod('gone', 'deleted-node', 4000, 8)] }, exportPod).fits).toBe(2);
  });

  it('says so when no node can take an export pod', () => {
    const fit = exportPodFit({ nodes: [node('a', 2000, 8, { schedulable: false })], pods: [] }, exportPod);
    expect(fit).toEqual({ fits: 0, nodes: 0, waitingPods: 0, reason: 'no ready, schedulable node matches the export pod' });
  });

  it('refuses an export pod without requests instead of answering infinity', () => {
    expect(() => exportPodFit({ nodes: [node('a', 2000, 8)], pods: [] }, { requests: { cpuMillis: 0, memoryBytes: Gi } })).toThrow(
      /must request some CPU and memory/,
    );
  });
});
