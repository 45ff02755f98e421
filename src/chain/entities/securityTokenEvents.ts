import type { Row } from '../rows.js';
import { decodeSecurityTokenEvent } from '../decode/decodeSecurityTokenEvent.js';
import { SECURITY_TOKEN_EVENTS_BY_TOPIC } from '../decode/securityTokenEventTypes.js';
import { hexToInt, lower, verbatim } from '../decode/hexToInt.js';
import type { Entity } from './entity.js';
import { blockLogs } from './logs.js';

const columns = [
  'event_name', 'event_signature', 'block_number', 'block_hash', 'transaction_hash', 'transaction_index', 'log_index',
  'token_address', 'partition', 'to_partition', 'operator', 'from_address', 'to_address', 'amount', 'data', 'operator_data',
  'document_name', 'document_uri', 'document_hash', 'decoded', 'topics', 'log_data',
] as const;

/**
 * ERC-1400-family events (1594 issue/redeem, 1410 partitions, 1644 controller, 1643 documents),
 * every known topic0 layout. The raw topics and data are kept so a row can be re-decoded.
 */
export const securityTokenEvents: Entity = {
  name: 'security_token_events',
  columns,
  sortKey: ['block_number', 'log_index'],
  rpcMethods: ['eth_getBlockReceipts', 'eth_getTransactionReceipt', 'eth_getLogs'],
  needs: ['receipts'],
  logTopics: [...SECURITY_TOKEN_EVENTS_BY_TOPIC.keys()],
  toRows(bundle) {
    const rows: Row[] = [];
    for (const log of blockLogs(bundle)) {
      const topics = log.topics ?? [];
      const event = decodeSecurityTokenEvent({ address: log.address ?? null, topics, data: log.data ?? null });
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
