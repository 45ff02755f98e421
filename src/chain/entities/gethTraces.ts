import type { Entity } from './entity.js';

/** debug_traceBlockByNumber with callTracer: one row per block, the frames passed through unchanged. */
export const gethTraces: Entity = {
  name: 'geth_traces',
  columns: ['block_number', 'transaction_traces'],
  sortKey: ['block_number'],
  rpcMethods: ['debug_traceBlockByNumber'],
  needs: ['gethTraces'],
  toRows: (bundle) => [{ block_number: BigInt(bundle.number), transaction_traces: bundle.gethTraces ?? [] }],
};
