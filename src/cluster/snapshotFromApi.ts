import type { V1Node, V1Pod } from '@kubernetes/client-node';
import { podRequests } from './podRequests.js';
import { parseCpuMillis, parseMemoryBytes } from './quantity.js';
import type { ClusterSnapshot, NodeCapacity, PodDemand } from './types.js';

function nodeCapacity(node: V1Node): NodeCapacity {
  const allocatable = node.status?.allocatable ?? {};
  const ready = (node.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
  // A taint we do not tolerate keeps export pods off the node; treating every hard taint as
  // blocking under-counts rather than over-counts room.
  const blocked = (node.spec?.taints ?? []).some((t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute');
  return {
    name: node.metadata?.name ?? '',
    allocatable: {
      cpuMillis: allocatable.cpu === undefined ? 0 : parseCpuMillis(String(allocatable.cpu)),
      memoryBytes: allocatable.memory === undefined ? 0 : parseMemoryBytes(String(allocatable.memory)),
    },
    maxPods: allocatable.pods === undefined ? Number.POSITIVE_INFINITY : Number(allocatable.pods),
    labels: node.metadata?.labels ?? {},
    schedulable: ready && !node.spec?.unschedulable && !blocked,
  };
}

function podDemand(pod: V1Pod): PodDemand {
  return {
    namespace: pod.metadata?.namespace ?? '',
    name: pod.metadata?.name ?? '',
    nodeName: pod.spec?.nodeName || undefined,
    requests: pod.spec ? podRequests(pod.spec) : { cpuMillis: 0, memoryBytes: 0 },
    labels: pod.metadata?.labels ?? {},
  };
}

/**
 * Turns API lists into a snapshot. Finished pods (Succeeded, Failed) hold nothing and are dropped;
 * an Unknown pod still holds its node's resources as far as the scheduler knows, so it stays.
 */
export function snapshotFromApi(nodes: V1Node[], pods: V1Pod[]): ClusterSnapshot {
  return {
    nodes: nodes.map(nodeCapacity),
    pods: pods.filter((p) => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed').map(podDemand),
  };
}
