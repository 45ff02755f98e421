import { describe, expect, it } from 'vitest';
import { podRequests } from '../../../src/cluster/podRequests.js';

const Mi = 2 ** 20;

describe('podRequests', () => {
  it('sums the containers and treats a missing request as zero', () => {
    expect(
      podRequests({
        containers: [
          { name: 'a', resources: { requests: { cpu: '250m', memory: '256Mi' } } },
          { name: 'b', resources: { requests: { cpu: '500m' } } },
          { name: 'c' },
        ],
      }),
    ).toEqual({ cpuMillis: 750, memoryBytes: 256 * Mi });
  });

  it('reserves the biggest init step when it exceeds the running containers', () => {
    expect(
      podRequests({
        initContainers: [{ name: 'migrate', resources: { requests: { cpu: '2', memory: '64Mi' } } }],
        containers: [{ name: 'main', resources: { requests: { cpu: '500m', memory: '1Gi' } } }],
      }),
    ).toEqual({ cpuMillis: 2000, memoryBytes: 1024 * Mi });
  });

  it('adds sidecars to the main phase and the pod overhead on top', () => {
    expect(
      podRequests({
        initContainers: [{ name: 'proxy', restartPolicy: 'Always', resources: { requests: { cpu: '100m', memory: '64Mi' } } }],
        containers: [{ name: 'main', resources: { requests: { cpu: '1', memory: '1Gi' } } }],
        overhead: { cpu: '50m', memory: '32Mi' },
      }),
    ).toEqual({ cpuMillis: 1150, memoryBytes: 1120 * Mi });
  });
});
