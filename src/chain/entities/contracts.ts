import { nullable, required } from '../columnTypes.js';
import type { Row } from '../rows.js';
import { analyzeBytecode } from '../decode/analyzeBytecode.js';
import type { TableEntity } from './entity.js';
import type { BlockBundle } from './rpcShapes.js';
import { traceRowsOf } from './traces.js';

const columns = [
  required('address', 'address'),
  nullable('bytecode', 'bytes'),
  required('function_sighashes', 'bytes[]'),
  required('is_erc20', 'bool'),
  required('is_erc721', 'bool'),
  required('block_number', 'int64'),
];

export interface ContractRow {
  address: string;
  bytecode: string | null;
  function_sighashes: string[];
  is_erc20: boolean;
  is_erc721: boolean;
  block_number: bigint | string | null;
}

export function contractToRow(address: string, bytecode: string | null, blockNumber: bigint | string | null): ContractRow {
  const analysis = analyzeBytecode(bytecode);
  return {
    address,
    bytecode,
    function_sighashes: analysis.functionSighashes,
    is_erc20: analysis.isErc20,
    is_erc721: analysis.isErc721,
    block_number: blockNumber,
  };
}

/** ethereum-etl's extract_contracts: successful `create` traces with an address, in trace order. */
export function contractRowsOf(bundle: BlockBundle): ContractRow[] {
  const rows: ContractRow[] = [];
  for (const trace of traceRowsOf(bundle)) {
    if (trace.trace_type !== 'create' || !trace.to_address || trace.status !== 1n) continue;
    rows.push(contractToRow(trace.to_address, trace.output, trace.block_number));
  }
  return rows;
}

/** Contracts created in the block (from trace_block), with bytecode analysis. */
export const contracts: TableEntity<'contracts'> = {
  name: 'contracts',
  columns,
  sortKey: ['block_number', 'trace order'],
  rpcMethods: ['trace_block'],
  needs: ['traces'],
  daily: true,
  warehouse: { blockColumn: 'block_number', distKey: 'address', sortKey: ['block_number'] },
  toRows: (bundle) => contractRowsOf(bundle) as unknown as Row[],
};
