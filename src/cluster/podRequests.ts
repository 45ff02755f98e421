import type { V1Container, V1PodSpec } from '@kubernetes/client-node';
import { parseCpuMillis, parseMemoryBytes } from './quantity.js';
import type { Resources } from './types.js';

function containerRequests(container: V1Container): Resources {
  const requests = container.resources?.requests ?? {};
  return {
    cpuMillis: requests.cpu === undefined ? 0 : parseCpuMillis(String(requests.cpu)),
    memoryBytes: requests.memory === undefined ? 0 : parseMemoryBytes(String(requests.memory)),
  };
}

const add = (a: Resources, b: Resources): Resources => ({
  cpuMillis: a.cpuMillis + b.cpuMillis,
  memoryBytes: a.memoryBytes + b.memoryBytes,
});

const max = (a: Resources, b: Resources): Resources => ({
  cpuMillis: Math.max(a.cpuMillis, b.cpuMillis),
  memoryBytes: Math.max(a.memoryBytes, b.memoryBytes),
});

export const ZERO: Resources = { cpuMillis: 0, memoryBytes: 0 };

/**
 * What the scheduler reserves for a pod: the larger of the running containers' sum and the
 * biggest init step, plus the runtime-class overhead. Sidecars (init containers with
 * restartPolicy Always) keep running, so they add to every later step and to the main phase.
 */
export function podRequests(spec: V1PodSpec): Resources {
  let sidecars = ZERO;
  let initPeak = ZERO;
  for (const init of spec.initContainers ?? []) {
    const requests = containerRequests(init);
    if (init.restartPolicy === 'Always') {
      sidecars = add(sidecars, requests);
      initPeak = max(initPeak, sidecars);
    } else {
      initPeak = max(initPeak, add(sidecars, requests));
    }
  }
  const main = (spec.containers ?? []).map(containerRequests).reduce(add, sidecars);
  const overhead = spec.overhead
    ? containerRequests({ name: 'overhead', resources: { requests: spec.overhead } })
    : ZERO;
  return add(max(main, initPeak), overhead);
}
