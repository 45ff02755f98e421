import { nullable, required } from '../columnTypes.js';
import type { Row } from '../rows.js';
import type { decodeSecurityTokenEvent } from '../decode/decodeSecurityTokenEvent.js';
import { SECURITY_TOKEN_EVENTS_BY_TOPIC } from '../decode/securityTokenEventTypes.js';
import { hexToInt, lower, verbatim } from '../decode/hexToInt.js';
import { prepared, type TableEntity } from './entity.js';
import { blockLogs } from './logs.js';

const columns = [
  required('event_name', 'string'),
  required('event_signature', 'string'),
  required('block_number', 'int64'),
  required('block_hash', 'hash'),
  required('transaction_hash', 'hash'),
  required('transaction_index', 'int64'),
  required('log_index', 'int64'),
  required('token_address', 'address'),
  nullable('partition', 'hash'),
  nullable('to_partition', 'hash'),
  nullable('operator', 'address'),
  nullable('from_address', 'address'),
  nullable('to_address', 'address'),
  nullable('amount', 'uint256'),
  nullable('data', 'bytes'),
  nullable('operator_data', 'bytes'),
  nullable('document_name', 'hash'),
  nullable('document_uri', 'string'),
  nullable('document_hash', 'hash'),
  required('decoded', 'bool'),
  required('topics', 'hash[]'),
  required('log_data', 'bytes'),
];

let decode: typeof decodeSecurityTokenEvent | undefined;

/**
 * ERC-1400-family events (1594 issue/redeem, 1410 partitions, 1644 controller, 1643 documents),
 * every known topic0 layout. The raw topics and data are kept so a row can be re-decoded.
 */
export const securityTokenEvents: TableEntity<'security_token_events'> = {
  name: 'security_token_events',
  columns,
  sortKey: ['block_number', 'log_index'],
  rpcMethods: ['eth_getBlockReceipts', 'eth_getTransactionReceipt', 'eth_getLogs'],
  needs: ['receipts'],
  daily: true,
  warehouse: { blockColumn: 'block_number', distKey: 'block_number', sortKey: ['block_number'] },
  logTopics: [...SECURITY_TOKEN_EVENTS_BY_TOPIC.keys()],
  async prepare() {
    decode ??= (await import('../decode/decodeSecurityTokenEvent.js')).decodeSecurityTokenEvent;
  },
  toRows(bundle) {
    const decodeEvent = prepared(decode, 'security_token_events');
    const rows: Row[] = [];
    for (const log of blockLogs(bundle)) {
      const topics = log.topics ?? [];
      const event = decodeEvent({ address: log.address ?? null, topics, data: log.data ?? null });
      if (!event) continue;
      const f = event.fields;
      rows.push({
        event_name: event.type.eventName,
        event_signature: event.type.signature,
        block_number: hexToInt(log.blockNumber),
        block_hash: verbatim(log.blockHash),
        transaction_hash: verbatim(log.transactionHash),
        transaction_index: hexToInt(log.transactionIndex),
        log_index: hexToInt(log.logIndex),
        token_address: lower(log.address),
        partition: f.partition ?? null,
        to_partition: f.to_partition ?? null,
        operator: f.operator ?? null,
        from_address: f.from_address ?? null,
        to_address: f.to_address ?? null,
        amount: f.amount ?? null,
        data: f.data ?? null,
        operator_data: f.operator_data ?? null,
        document_name: f.document_name ?? null,
        document_uri: f.document_uri ?? null,
        document_hash: f.document_hash ?? null,
        decoded: event.decoded,
        topics,
        log_data: verbatim(log.data),
      });
    }
    return rows;
  },
};
