import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig, type V1Node, type V1Pod } from '@kubernetes/client-node';

export interface FakeKubernetesApi {
  url: string;
  kubeConfig: KubeConfig;
  /** Every request path with its query, in arrival order. */
  requests: string[];
  nodes: V1Node[];
  pods: V1Pod[];
  /** When set, every request answers with this HTTP status and a Kubernetes Status body. */
  failWith: number | undefined;
  close(): Promise<void>;
}

const TOKEN = 'fake-service-account-token';

/**
 * A fake Kubernetes API server over real HTTP on 127.0.0.1: it serves the two list endpoints the
 * capacity reader calls, honours `limit`/`continue` paging and the phase field selector, and
 * checks the bearer token, so @kubernetes/client-node runs its real request path against it.
 */
export async function startFakeKubernetesApi(pageSize = 2): Promise<FakeKubernetesApi> {
  const state = { nodes: [] as V1Node[], pods: [] as V1Pod[], failWith: undefined as number | undefined };
  const requests: string[] = [];

  function send(res: ServerResponse, status: number, body: unknown) {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  function list<T>(kind: string, items: T[], url: URL, res: ServerResponse) {
    const limit = Math.min(Number(url.searchParams.get('limit') ?? items.length) || items.length, pageSize);
    const start = Number(url.searchParams.get('continue') ?? '0');
    const page = items.slice(start, start + limit);
    const next = start + limit < items.length ? String(start + limit) : undefined;
    send(res, 200, { kind, apiVersion: 'v1', metadata: { resourceVersion: '1', ...(next ? { continue: next } : {}) }, items: page });
  }

  function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(url.pathname + url.search);
    if (state.failWith !== undefined) {
      send(res, state.failWith, { kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'nodes is forbidden', reason: 'Forbidden', code: state.failWith });
      return;
    }
    if (req.headers.authorization !== `Bearer ${TOKEN}`) {
      send(res, 401, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Unauthorized', code: 401 });
      return;
    }
    if (req.method === 'GET' && url.pathname === '/api/v1/nodes') return list('NodeList', state.nodes, url, res);
    if (req.method === 'GET' && url.pathname === '/api/v1/pods') {
      const selector = url.searchParams.get('fieldSelector') ?? '';
      const excluded = [...selector.matchAll(/status\.phase!=(\w+)/g)].map((m) => m[1]);
      return list('PodList', state.pods.filter((p) => !excluded.includes(p.status?.phase)), url, res);
    }
    send(res, 404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404 });
  }

  const server: Server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [{ name: 'fake', server: url, skipTLSVerify: true }],
    users: [{ name: 'worker', token: TOKEN }],
    contexts: [{ name: 'fake', cluster: 'fake', user: 'worker' }],
    currentContext: 'fake',
  });
  return {
    url,
    kubeConfig,
    requests,
    get nodes() { return state.nodes; },
    set nodes(v) { state.nodes = v; },
    get pods() { return state.pods; },
    set pods(v) { state.pods = v; },
    get failWith() { return state.failWith; },
    set failWith(v) { state.failWith = v; },
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}

export function node(name: string, cpu: string, memory: string, extra: { ready?: boolean; unschedulable?: boolean; taint?: string; labels?: Record<string, string>; pods?: string } = {}): V1Node {
  return {
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...extra.labels } },
    spec: {
      unschedulable: extra.unschedulable ?? false,
      ...(extra.taint ? { taints: [{ key: extra.taint, effect: 'NoSchedule' }] } : {}),
    },
    status: {
      allocatable: { cpu, memory, pods: extra.pods ?? '110' },
      conditions: [{ type: 'Ready', status: extra.ready === false ? 'False' : 'True' }],
    },
  };
}

export function pod(name: string, nodeName: string | undefined, cpu: string, memory: string, extra: { phase?: string; labels?: Record<string, string>; namespace?: string } = {}): V1Pod {
  return {
    metadata: { name, namespace: extra.namespace ?? 'default', labels: extra.labels ?? {} },
    spec: { ...(nodeName ? { nodeName } : {}), containers: [{ name: 'main', resources: { requests: { cpu, memory } } }] },
    status: { phase: extra.phase ?? (nodeName ? 'Running' : 'Pending') },
  };
}
