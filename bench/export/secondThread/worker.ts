/**
 * Worker thread of the second-thread experiment: exports the batches it is sent with its own RPC
 * pool and posts back one CSV text per entity.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createRpcPool } from '../../../src/chain/rpc/createRpcPool.js';
import type { EntityName } from '../../../src/chain/types.js';
import { batchText } from './batchText.js';

const { url, entities } = workerData as { url: string; entities: EntityName[] };
const rpc = createRpcPool({ urls: [url], batchSize: 100, maxRetries: 0 });
const port = parentPort;
if (!port) throw new Error('run as a worker thread');
port.on('message', (job: { id: number; first: number; last: number }) => {
  batchText(rpc, job.first, job.last, entities).then(
    (texts) => port.postMessage({ id: job.id, texts }),
    (error: unknown) => port.postMessage({ id: job.id, error: error instanceof Error ? error.message : String(error) }),
  );
});
