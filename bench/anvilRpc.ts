import path from 'node:path';

/** The anvil binary the project installs (@foundry-rs/anvil). */
export const ANVIL = path.resolve(import.meta.dirname, '../node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil');

/** One JSON-RPC request or batch, answered as parsed JSON. */
export async function postJson(url: string, body: unknown): Promise<unknown> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return response.json();
}

/** One JSON-RPC call; an error reply throws, named by its method. */
export async function call<T>(url: string, method: string, params: unknown[]): Promise<T> {
  const reply = (await postJson(url, { jsonrpc: '2.0', id: 1, method, params })) as { result?: T; error?: { message: string } };
  if (reply.error) throw new Error(`${method}: ${reply.error.message}`);
  return reply.result as T;
}

/** Waits until a node just started answers (up to ~10 s). */
export async function waitForRpc(url: string): Promise<void> {
  for (let i = 0; ; i++) {
    try {
      await call(url, 'eth_chainId', []);
      return;
    } catch (error) {
      if (i > 100) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
