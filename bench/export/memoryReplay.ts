import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tiledChain, type TiledChain } from './tiledChain.js';

interface Call {
  id: unknown;
  method: string;
  params: unknown[];
}

const keyOf = (method: string, params: readonly unknown[]) => `${method}:${JSON.stringify(params)}`;

/**
 * Records node answers once and serves them from memory over loopback HTTP, so both benchmark
 * sides pay the same HTTP and JSON costs without the node's own work. Results are kept as JSON
 * text and spliced into each reply, so serving costs almost nothing.
 */
export class MemoryReplay {
  private readonly answers = new Map<string, string>();
  // Whole replies by request body: both benchmark sides send byte-identical batches, so after the
  // warm-up round a request costs one lookup and the server stays off the measured cores.
  private readonly replies = new Map<string, Buffer>();
  private server: Server | undefined;
  private tiled: TiledChain | undefined;

  async record(url: string, requests: Array<{ method: string; params: unknown[] }>, batchSize = 100): Promise<void> {
    for (let i = 0; i < requests.length; i += batchSize) {
      const slice = requests.slice(i, i + batchSize);
      const body = JSON.stringify(slice.map((r, k) => ({ jsonrpc: '2.0', id: k, method: r.method, params: r.params })));
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      const replies = (await response.json()) as Array<{ id: number; result?: unknown; error?: unknown }>;
      for (const reply of replies) {
        const request = slice[reply.id];
        if (!request || reply.error) throw new Error(`recording failed for ${request?.method}: ${JSON.stringify(reply.error)}`);
        this.answers.set(keyOf(request.method, request.params), JSON.stringify(reply.result));
      }
    }
  }

  /** Serves blocks past the `seeded` recorded ones as copies of them (tiledChain.ts). */
  extendBeyond(seeded: number): void {
    this.tiled = tiledChain(seeded, (method, params) => this.answers.get(keyOf(method, params)));
  }

  private reply(requestBody: string): string {
    const parsed = JSON.parse(requestBody) as Call | Call[];
    const one = (call: Call) => {
      const result = this.answers.get(keyOf(call.method, call.params)) ?? this.tiled?.answer(call.method, call.params);
      return result === undefined
        ? JSON.stringify({ jsonrpc: '2.0', id: call.id, error: { code: -32601, message: `not recorded: ${call.method}` } })
        : `{"jsonrpc":"2.0","id":${JSON.stringify(call.id)},"result":${result}}`;
    };
    return Array.isArray(parsed) ? `[${parsed.map(one).join(',')}]` : one(parsed);
  }

  get size(): number {
    return this.answers.size;
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const request = Buffer.concat(chunks).toString('latin1');
        let body = this.replies.get(request);
        if (body === undefined) {
          body = Buffer.from(this.reply(request), 'utf8');
          this.replies.set(request, body);
        }
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
        res.end(body);
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
