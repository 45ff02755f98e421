// Plain shapes the capacity arithmetic works on, decoupled from the Kubernetes client's models
// so the pure functions can be tested with literals and reused by the CLI.

/** CPU in millicores and memory in bytes: integers, so sums never drift. */
export interface Resources {
  cpuMillis: number;
  memoryBytes: number;
}

export interface NodeCapacity {
  name: string;
  allocatable: Resources;
  /** Allocatable pod slots (`status.allocatable.pods`); Infinity when the node does not say. */
  maxPods: number;
  labels: Record<string, string>;
  /** Ready, not cordoned and without NoSchedule/NoExecute taints. */
  schedulable: boolean;
}

export interface PodDemand {
  namespace: string;
  name: string;
  /** Empty while the scheduler has not placed the pod yet. */
  nodeName: string | undefined;
  requests: Resources;
  labels: Record<string, string>;
}

export interface ClusterSnapshot {
  nodes: NodeCapacity[];
  /** Pods that hold or will hold resources: phase Pending or Running. */
  pods: PodDemand[];
}

/** What a new export pod asks of the scheduler. */
export interface ExportPodShape {
  requests: Resources;
  /** The Deployment's nodeSelector: only nodes carrying all these labels count. */
  nodeSelector?: Record<string, string>;
}
