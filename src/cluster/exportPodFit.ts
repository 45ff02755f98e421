import { InvalidInputError } from '../errors/LedgerflowError.js';
import type { ClusterSnapshot, ExportPodShape, NodeCapacity, PodDemand, Resources } from './types.js';

export interface ExportPodFit {
  /** How many more export pods the schedulable nodes can take right now. */
  fits: number;
  /** Schedulable nodes that match the export pod's nodeSelector. */
  nodes: number;
  /** Pending pods that no matching node has room for: they are first in line for freed room. */
  waitingPods: number;
  /** One line for logs and the activity result. */
  reason: string;
}

interface Free {
  node: NodeCapacity;
  cpuMillis: number;
  memoryBytes: number;
  pods: number;
}

const matches = (labels: Record<string, string>, selector: Record<string, string> = {}) =>
  Object.entries(selector).every(([key, value]) => labels[key] === value);

function fitsOn(free: Free, requests: Resources): boolean {
  return free.pods >= 1 && free.cpuMillis >= requests.cpuMillis && free.memoryBytes >= requests.memoryBytes;
}

function take(free: Free, requests: Resources): void {
  free.cpuMillis -= requests.cpuMillis;
  free.memoryBytes -= requests.memoryBytes;
  free.pods -= 1;
}

function copiesThatFit(free: Free, requests: Resources): number {
  if (free.pods < 1 || free.cpuMillis < 0 || free.memoryBytes < 0) return 0;
  const byCpu = requests.cpuMillis > 0 ? Math.floor(free.cpuMillis / requests.cpuMillis) : Number.POSITIVE_INFINITY;
  const byMemory = requests.memoryBytes > 0 ? Math.floor(free.memoryBytes / requests.memoryBytes) : Number.POSITIVE_INFINITY;
  return Math.max(0, Math.min(byCpu, byMemory, free.pods));
}

/**
 * Counts how many more export pods fit, node by node (a pod cannot straddle nodes, so summing
 * free CPU over the cluster would over-count). Bound pods are charged to their node. Pending pods
 * are placed first-fit, largest first, as the scheduler would place them before any new export
 * pod; each pending pod that fits nowhere is waiting for room and takes one export pod's place.
 * Pods on nodes that are gone from the list (deleted mid-read) are ignored.
 */
export function exportPodFit(snapshot: ClusterSnapshot, exportPod: ExportPodShape): ExportPodFit {
  if (!(exportPod.requests.cpuMillis > 0) || !(exportPod.requests.memoryBytes > 0)) {
    throw new InvalidInputError('The export pod must request some CPU and memory to count how many fit', {
      context: { cpuMillis: exportPod.requests.cpuMillis, memoryBytes: exportPod.requests.memoryBytes },
      fix: 'set LEDGERFLOW_EXPORT_POD_CPU and LEDGERFLOW_EXPORT_POD_MEMORY to the export Deployment requests',
    });
  }
  const free = new Map<string, Free>();
  for (const node of snapshot.nodes) {
    if (!node.schedulable || !matches(node.labels, exportPod.nodeSelector)) continue;
    free.set(node.name, { node, ...node.allocatable, pods: node.maxPods });
  }
  const pending: PodDemand[] = [];
  for (const pod of snapshot.pods) {
    if (pod.nodeName === undefined) pending.push(pod);
    else {
      const slot = free.get(pod.nodeName);
      if (slot) take(slot, pod.requests);
    }
  }
  pending.sort((a, b) => b.requests.cpuMillis - a.requests.cpuMillis || b.requests.memoryBytes - a.requests.memoryBytes);
  let waitingPods = 0;
  for (const pod of pending) {
    const slot = [...free.values()].find((f) => fitsOn(f, pod.requests));
    if (slot) take(slot, pod.requests);
    else waitingPods += 1;
  }
  const room = [...free.values()].reduce((sum, f) => sum + copiesThatFit(f, exportPod.requests), 0);
  const fits = Math.max(0, room - waitingPods);
  const asked = `${exportPod.requests.cpuMillis}m CPU, ${Math.round(exportPod.requests.memoryBytes / 2 ** 20)}Mi memory`;
  const reason =
    free.size === 0
      ? 'no ready, schedulable node matches the export pod'
      : `${fits} more export pods (${asked}) fit on ${free.size} schedulable nodes` +
        (waitingPods > 0 ? `; ${waitingPods} pending pods are waiting for room` : '');
  return { fits, nodes: free.size, waitingPods, reason };
}
