import { CoreV1Api, KubeConfig, type V1Node, type V1Pod } from '@kubernetes/client-node';
import { LedgerflowError } from '../errors/LedgerflowError.js';
import { snapshotFromApi } from './snapshotFromApi.js';
import type { ClusterSnapshot } from './types.js';

/** The Kubernetes API refused or failed a read; the next attempt may succeed. */
export class KubernetesReadError extends LedgerflowError {
  override readonly name = 'KubernetesReadError';
  readonly retryable = true;
}

interface ListPage<T> {
  items: T[];
  metadata?: { _continue?: string };
}

// Pages keep one response small on a large cluster; 500 matches kubectl's chunk size.
const PAGE_SIZE = 500;

async function listAll<T>(what: string, server: string, fetchPage: (cont: string | undefined) => Promise<ListPage<T>>): Promise<T[]> {
  const items: T[] = [];
  let cont: string | undefined;
  do {
    let page: ListPage<T>;
    try {
      page = await fetchPage(cont);
    } catch (cause) {
      const status = (cause as { code?: unknown }).code;
      throw new KubernetesReadError(`Listing ${what} from the Kubernetes API failed`, {
        context: { server, status: typeof status === 'number' ? status : undefined },
        fix: 'check that the worker service account is bound to the ledgerflow-capacity-reader ClusterRole (list nodes and pods)',
        cause,
      });
    }
    items.push(...page.items);
    cont = page.metadata?._continue || undefined;
  } while (cont);
  return items;
}

export interface ClusterReader {
  /** The API server address (no credentials), for messages. */
  server: string;
  readSnapshot(): Promise<ClusterSnapshot>;
}

/** Reads nodes and the pods that are not finished, across all namespaces. */
export function createClusterReader(kubeConfig: KubeConfig): ClusterReader {
  const api = kubeConfig.makeApiClient(CoreV1Api);
  const server = kubeConfig.getCurrentCluster()?.server ?? 'unknown';
  return {
    server,
    async readSnapshot() {
      const [nodes, pods] = await Promise.all([
        listAll<V1Node>('nodes', server, (cont) => api.listNode({ limit: PAGE_SIZE, _continue: cont })),
        listAll<V1Pod>('pods', server, (cont) =>
          api.listPodForAllNamespaces({
            limit: PAGE_SIZE,
            _continue: cont,
            fieldSelector: 'status.phase!=Succeeded,status.phase!=Failed',
          }),
        ),
      ]);
      return snapshotFromApi(nodes, pods);
    },
  };
}

/**
 * In a pod, the service account's in-cluster config (client-node takes its address from
 * process.env); elsewhere the file KUBECONFIG names.
 * Undefined when neither is there (local stack, CI): a home-directory kubeconfig is ignored on
 * purpose, so a developer's laptop never sizes a backfill by whatever cluster it last touched.
 */
export function kubeConfigFromEnv(env: Record<string, string | undefined> = process.env): KubeConfig | undefined {
  const kubeConfig = new KubeConfig();
  if (env.KUBERNETES_SERVICE_HOST) {
    kubeConfig.loadFromCluster();
    return kubeConfig;
  }
  if (!env.KUBECONFIG) return undefined;
  kubeConfig.loadFromFile(env.KUBECONFIG);
  return kubeConfig.getCurrentCluster() ? kubeConfig : undefined;
}
