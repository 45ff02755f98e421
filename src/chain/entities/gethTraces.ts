import { required } from '../columnTypes.js';
import type { LakeOnlyEntity } from './entity.js';

/**
 * debug_traceBlockByNumber with callTracer: one row per block, the frames passed through unchanged.
 * Opt-in (geth-only RPC) and lake-only: nested call frames have no warehouse table.
 */
export const gethTraces: LakeOnlyEntity<'geth_traces'> = {
  name: 'geth_traces',
  columns: [required('block_number', 'int64'), required('transaction_traces', 'json')],
  sortKey: ['block_number'],
  rpcMethods: ['debug_traceBlockByNumber'],
  needs: ['gethTraces'],
  daily: false,
  warehouse: null,
  toRows: (bundle) => [{ block_number: BigInt(bundle.number), transaction_traces: bundle.gethTraces ?? [] }],
};
