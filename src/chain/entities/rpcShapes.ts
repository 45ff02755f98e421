import type { ParityTrace } from '../decode/parityTraceRows.js';
import type { GethCallFrame } from '../decode/gethTraceRows.js';

/** The JSON-RPC objects the entities read; fields stay as the node sent them (hex strings). */
export interface RpcTransaction {
  hash: string;
  nonce?: string;
  blockHash?: string | null;
  blockNumber?: string | null;
  transactionIndex?: string | null;
  from?: string;
  to?: string | null;
  value?: string;
  gas?: string;
  gasPrice?: string;
  input?: string;
  maxFeePerGas?: string;
  maxPriorityFeePerGas?: string;
  type?: string;
  maxFeePerBlobGas?: string;
  blobVersionedHashes?: unknown;
}

export interface RpcWithdrawal {
  index?: string;
  validatorIndex?: string;
  address?: string;
  amount?: string;
}

export interface RpcBlock {
  number: string;
  hash: string;
  parentHash: string;
  nonce?: string | null;
  sha3Uncles?: string;
  logsBloom?: string;
  transactionsRoot?: string;
  stateRoot?: string;
  receiptsRoot?: string;
  miner?: string;
  difficulty?: string;
  totalDifficulty?: string;
  size?: string;
  extraData?: string;
  gasLimit?: string;
  gasUsed?: string;
  timestamp: string;
  transactions?: Array<RpcTransaction | string>;
  baseFeePerGas?: string;
  withdrawalsRoot?: string;
  withdrawals?: RpcWithdrawal[];
  blobGasUsed?: string;
  excessBlobGas?: string;
}

export interface RpcLog {
  logIndex?: string | null;
  transactionHash?: string | null;
  transactionIndex?: string | null;
  blockHash?: string | null;
  blockNumber?: string | null;
  address?: string | null;
  data?: string | null;
  topics?: string[] | null;
  /** eth_getLogs only: true for a log of a block no longer canonical. */
  removed?: boolean | null;
}

export interface RpcReceipt {
  transactionHash: string;
  transactionIndex?: string;
  blockHash?: string;
  blockNumber?: string;
  cumulativeGasUsed?: string;
  gasUsed?: string;
  contractAddress?: string | null;
  root?: string | null;
  status?: string | null;
  effectiveGasPrice?: string;
  l1Fee?: string;
  l1GasUsed?: string;
  l1GasPrice?: string;
  l1FeeScalar?: string | null;
  blobGasPrice?: string;
  blobGasUsed?: string;
  logs?: RpcLog[];
}

export interface TokenMetadata {
  address: string;
  symbol: string | null;
  name: string | null;
  decimals: bigint | null;
  totalSupply: bigint | null;
}

/** Everything fetched for one block; only what the requested entities need is filled in. */
export interface BlockBundle {
  number: number;
  block: RpcBlock;
  receipts?: RpcReceipt[];
  /** The block's logs from eth_getLogs, when the export is limited to some contracts (instead of receipts). */
  logs?: RpcLog[];
  traces?: ParityTrace[];
  gethTraces?: GethCallFrame[];
  tokenMetadata?: ReadonlyMap<string, TokenMetadata>;
}
