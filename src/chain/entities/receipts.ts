import { nullable, required } from '../columnTypes.js';
import { PythonFloat, type Row } from '../rows.js';
import { quantity, lower, verbatim } from '../decode/hexToInt.js';
import type { TableEntity } from './entity.js';
import { inIndexOrder } from './inIndexOrder.js';
import type { RpcReceipt } from './rpcShapes.js';

const columns = [
  required('transaction_hash', 'hash'),
  required('transaction_index', 'int64'),
  required('block_hash', 'hash'),
  required('block_number', 'int64'),
  required('cumulative_gas_used', 'int64'),
  required('gas_used', 'int64'),
  nullable('contract_address', 'address'),
  nullable('root', 'hash'),
  nullable('status', 'int64'),
  nullable('effective_gas_price', 'wei'),
  nullable('l1_fee', 'wei'),
  nullable('l1_gas_used', 'int64'),
  nullable('l1_gas_price', 'wei'),
  nullable('l1_fee_scalar', 'float64'),
  nullable('blob_gas_price', 'wei'),
  nullable('blob_gas_used', 'int64'),
];

export function receiptToRow(receipt: RpcReceipt): Row {
  return {
    transaction_hash: verbatim(receipt.transactionHash),
    transaction_index: quantity(receipt.transactionIndex),
    block_hash: verbatim(receipt.blockHash),
    block_number: quantity(receipt.blockNumber),
    cumulative_gas_used: quantity(receipt.cumulativeGasUsed),
    gas_used: quantity(receipt.gasUsed),
    contract_address: lower(receipt.contractAddress),
    root: verbatim(receipt.root),
    status: quantity(receipt.status),
    effective_gas_price: quantity(receipt.effectiveGasPrice),
    l1_fee: quantity(receipt.l1Fee),
    l1_gas_used: quantity(receipt.l1GasUsed),
    l1_gas_price: quantity(receipt.l1GasPrice),
    l1_fee_scalar: floatOrRaw(receipt.l1FeeScalar),
    blob_gas_price: quantity(receipt.blobGasPrice),
    blob_gas_used: quantity(receipt.blobGasUsed),
  };
}

// What Python's float() accepts from a decimal string: JS Number() also takes 0x/0b/0o forms,
// which Python rejects (and ethereum-etl then keeps the raw text).
const DIGITS = String.raw`\d(?:_?\d)*`;
const PYTHON_FLOAT_TEXT = new RegExp(String.raw`^\s*[+-]?(?:(?:${DIGITS}(?:\.(?:${DIGITS})?)?|\.${DIGITS})(?:[eE][+-]?${DIGITS})?|inf(?:inity)?|nan)\s*$`, 'i');

/** ethereum-etl's float-or-raw: a Python float when float() takes the text, else the text itself. */
function floatOrRaw(value: string | null | undefined): PythonFloat | string | null {
  if (value === null || value === undefined || value === '') return null;
  if (!PYTHON_FLOAT_TEXT.test(value)) return value;
  const text = value.trim().replaceAll('_', '').toLowerCase();
  if (text.endsWith('nan')) return new PythonFloat(Number.NaN);
  if (text.endsWith('inf') || text.endsWith('infinity')) return new PythonFloat(text.startsWith('-') ? -Infinity : Infinity);
  return new PythonFloat(Number(text));
}

/** Receipts in transaction order; the fetch layer already checked them against their block. */
export function sortedReceipts(receipts: readonly RpcReceipt[] | undefined): readonly RpcReceipt[] {
  return inIndexOrder(receipts ?? [], (r) => r.transactionIndex);
}

/** eth_getBlockReceipts (or eth_getTransactionReceipt per transaction on nodes without it). */
export const receipts: TableEntity<'receipts'> = {
  name: 'receipts',
  columns,
  sortKey: ['block_number', 'transaction_index'],
  rpcMethods: ['eth_getBlockReceipts', 'eth_getTransactionReceipt'],
  needs: ['receipts'],
  daily: true,
  warehouse: { blockColumn: 'block_number', distKey: 'block_number', sortKey: ['block_number'] },
  toRows: (bundle) => sortedReceipts(bundle.receipts).map(receiptToRow),
};
