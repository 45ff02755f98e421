import { id } from 'ethers/hash';

/** Where a decoded event parameter lands in the security_token_events row. */
export type SecurityTokenField =
  | 'partition'
  | 'to_partition'
  | 'operator'
  | 'from_address'
  | 'to_address'
  | 'amount'
  | 'data'
  | 'operator_data'
  | 'document_name'
  | 'document_uri'
  | 'document_hash';

export interface EventParam {
  field: SecurityTokenField;
  type: 'address' | 'uint256' | 'bytes' | 'bytes32' | 'string';
  indexed: boolean;
}

export interface SecurityTokenEventType {
  eventName: string;
  /** Which interface the layout comes from: several families emit the same event name. */
  standard: string;
  signature: string;
  topic0: string;
  params: readonly EventParam[];
}

const p = (field: SecurityTokenField, type: EventParam['type'], indexed = false): EventParam => ({ field, type, indexed });

function variant(eventName: string, standard: string, params: EventParam[]): SecurityTokenEventType {
  const signature = `${eventName}(${params.map((x) => x.type).join(',')})`;
  return { eventName, standard, signature, topic0: id(signature), params };
}

/**
 * Every ERC-1400-family layout we match (peers.md section 3): the EIP spec and Polymath
 * interfaces, ConsenSys UniversalToken's differing signatures, and the short variants seen in
 * deployed ABIs. One logical event can have several topic0s; each is decoded by its own layout.
 * The controller of ERC-1644 events is reported as `operator`, the token holder as `from_address`.
 */
export const SECURITY_TOKEN_EVENT_TYPES: readonly SecurityTokenEventType[] = [
  variant('Issued', 'ERC-1594', [p('operator', 'address', true), p('to_address', 'address', true), p('amount', 'uint256'), p('data', 'bytes')]),
  variant('Redeemed', 'ERC-1594', [p('operator', 'address', true), p('from_address', 'address', true), p('amount', 'uint256'), p('data', 'bytes')]),
  variant('TransferByPartition', 'ERC-1410', [
    p('partition', 'bytes32', true), p('operator', 'address'), p('from_address', 'address', true), p('to_address', 'address', true),
    p('amount', 'uint256'), p('data', 'bytes'), p('operator_data', 'bytes'),
  ]),
  variant('TransferByPartition', 'ERC-1400 short', [p('partition', 'bytes32', true), p('from_address', 'address', true), p('to_address', 'address', true), p('amount', 'uint256')]),
  variant('IssuedByPartition', 'ERC-1410', [p('partition', 'bytes32', true), p('to_address', 'address', true), p('amount', 'uint256'), p('data', 'bytes')]),
  variant('IssuedByPartition', 'ERC-1400 ConsenSys', [
    p('partition', 'bytes32', true), p('operator', 'address', true), p('to_address', 'address', true),
    p('amount', 'uint256'), p('data', 'bytes'), p('operator_data', 'bytes'),
  ]),
  variant('IssuedByPartition', 'ERC-1400 short', [p('partition', 'bytes32', true), p('to_address', 'address', true), p('amount', 'uint256')]),
  variant('RedeemedByPartition', 'ERC-1410', [
    p('partition', 'bytes32', true), p('operator', 'address', true), p('from_address', 'address', true),
    p('amount', 'uint256'), p('data', 'bytes'), p('operator_data', 'bytes'),
  ]),
  variant('RedeemedByPartition', 'ERC-1400 ConsenSys', [
    p('partition', 'bytes32', true), p('operator', 'address', true), p('from_address', 'address', true), p('amount', 'uint256'), p('operator_data', 'bytes'),
  ]),
  variant('RedeemedByPartition', 'ERC-1400 short', [p('partition', 'bytes32', true), p('operator', 'address', true), p('from_address', 'address', true), p('amount', 'uint256')]),
  variant('ChangedPartition', 'ERC-1400 ConsenSys', [p('partition', 'bytes32', true), p('to_partition', 'bytes32', true), p('amount', 'uint256')]),
  variant('ControllerTransfer', 'ERC-1644', [
    p('operator', 'address'), p('from_address', 'address', true), p('to_address', 'address', true),
    p('amount', 'uint256'), p('data', 'bytes'), p('operator_data', 'bytes'),
  ]),
  variant('ControllerRedemption', 'ERC-1644', [p('operator', 'address'), p('from_address', 'address', true), p('amount', 'uint256'), p('data', 'bytes'), p('operator_data', 'bytes')]),
  variant('DocumentUpdated', 'ERC-1643', [p('document_name', 'bytes32', true), p('document_uri', 'string'), p('document_hash', 'bytes32')]),
  variant('DocumentRemoved', 'ERC-1643', [p('document_name', 'bytes32', true), p('document_uri', 'string'), p('document_hash', 'bytes32')]),
];

export const SECURITY_TOKEN_EVENTS_BY_TOPIC: ReadonlyMap<string, SecurityTokenEventType> = new Map(
  SECURITY_TOKEN_EVENT_TYPES.map((t) => [t.topic0, t]),
);
