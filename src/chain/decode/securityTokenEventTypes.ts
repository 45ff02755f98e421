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

/**
 * One layout. topic0 is keccak256 of the signature, written out so that reading the entity
 * registry (CLI help) loads no hashing library; securityTokenEvents.test.ts recomputes each.
 */
function variant(eventName: string, standard: string, topic0: string, params: EventParam[]): SecurityTokenEventType {
  const signature = `${eventName}(${params.map((x) => x.type).join(',')})`;
  return { eventName, standard, signature, topic0, params };
}

/**
 * Every ERC-1400-family layout we match (peers.md section 3): the EIP spec and Polymath
 * interfaces, ConsenSys UniversalToken's differing signatures, and the short variants seen in
 * deployed ABIs. One logical event can have several topic0s; each is decoded by its own layout.
 * The controller of ERC-1644 events is reported as `operator`, the token holder as `from_address`.
 */
export const SECURITY_TOKEN_EVENT_TYPES: readonly SecurityTokenEventType[] = [
  variant('Issued', 'ERC-1594', '0x0e9905d62635f049c2f4e11678ebf9dc3d1f8c4a653e290759b772e47ba00d00', [p('operator', 'address', true), p('to_address', 'address', true), p('amount', 'uint256'), p('data', 'bytes')]),
  variant('Redeemed', 'ERC-1594', '0xb7d0d6b60740753e9f16692a2f479472a1385aec2420fa43225b02f2ffa1afe7', [p('operator', 'address', true), p('from_address', 'address', true), p('amount', 'uint256'), p('data', 'bytes')]),
  variant('TransferByPartition', 'ERC-1410', '0xff4e9a26af4eb73b8bacfaa4abd4fea03d9448e7b912dc5ff4019048875aa2d4', [
    p('partition', 'bytes32', true), p('operator', 'address'), p('from_address', 'address', true), p('to_address', 'address', true),
    p('amount', 'uint256'), p('data', 'bytes'), p('operator_data', 'bytes'),
  ]),
  variant('TransferByPartition', 'ERC-1400 short', '0x0f527c5f31fde91835354ad82e863e96d8637df7a0254bfb42879978fc047e56', [p('partition', 'bytes32', true), p('from_address', 'address', true), p('to_address', 'address', true), p('amount', 'uint256')]),
  variant('IssuedByPartition', 'ERC-1410', '0x6032e2468b0f94dfa63c61d6c8a84842a99c049263eae408a52b945020b6578d', [p('partition', 'bytes32', true), p('to_address', 'address', true), p('amount', 'uint256'), p('data', 'bytes')]),
  variant('IssuedByPartition', 'ERC-1400 ConsenSys', '0xf0ded82afbb1bb3ff3fc48cb2a26584aa84e4af0bf309c804ecdb94d0f6a98bb', [
    p('partition', 'bytes32', true), p('operator', 'address', true), p('to_address', 'address', true),
    p('amount', 'uint256'), p('data', 'bytes'), p('operator_data', 'bytes'),
  ]),
  variant('IssuedByPartition', 'ERC-1400 short', '0x1dbbe618f2c7a9f1debd8e797e1577d775be2ca6a03382b04be5648e68c78104', [p('partition', 'bytes32', true), p('to_address', 'address', true), p('amount', 'uint256')]),
  variant('RedeemedByPartition', 'ERC-1410', '0xa4f62471c9bdf88115b97203943c74c59b655913ee5ee592706d84ef53fb6be2', [
    p('partition', 'bytes32', true), p('operator', 'address', true), p('from_address', 'address', true),
    p('amount', 'uint256'), p('data', 'bytes'), p('operator_data', 'bytes'),
  ]),
  variant('RedeemedByPartition', 'ERC-1400 ConsenSys', '0xce306c3dbc4a497124b5a4f2be8388b41084c1d74663da27ecee1186c00239bf', [
    p('partition', 'bytes32', true), p('operator', 'address', true), p('from_address', 'address', true), p('amount', 'uint256'), p('operator_data', 'bytes'),
  ]),
  variant('RedeemedByPartition', 'ERC-1400 short', '0x0b01e7770fcd6cf1eef5f220fee6fb1ed951bc67f9701b9542dd1763e7e3ee8e', [p('partition', 'bytes32', true), p('operator', 'address', true), p('from_address', 'address', true), p('amount', 'uint256')]),
  variant('ChangedPartition', 'ERC-1400 ConsenSys', '0x67c8ba31d2dd11f1384577b3405b04ed91eed1231e408432ad2458cab37b2fa1', [p('partition', 'bytes32', true), p('to_partition', 'bytes32', true), p('amount', 'uint256')]),
  variant('ControllerTransfer', 'ERC-1644', '0x6bf62b4b9c7b768275122bf70d429efc398a056d669b1efdf6c3976346246d7d', [
    p('operator', 'address'), p('from_address', 'address', true), p('to_address', 'address', true),
    p('amount', 'uint256'), p('data', 'bytes'), p('operator_data', 'bytes'),
  ]),
  variant('ControllerRedemption', 'ERC-1644', '0x876b7cb47aa150b3a5516188b19ed308752ad4d0ae9a702543353b78163f7589', [p('operator', 'address'), p('from_address', 'address', true), p('amount', 'uint256'), p('data', 'bytes'), p('operator_data', 'bytes')]),
  variant('DocumentUpdated', 'ERC-1643', '0xb4c22d60cd550a815744f04e3ff5278bf19684565ee00e2b084041b6024bd6f6', [p('document_name', 'bytes32', true), p('document_uri', 'string'), p('document_hash', 'bytes32')]),
  variant('DocumentRemoved', 'ERC-1643', '0x3d9bba27d3e360d8c80645beed7e991454a8271bf6f269a24f7782be0f0d0654', [p('document_name', 'bytes32', true), p('document_uri', 'string'), p('document_hash', 'bytes32')]),
];

export const SECURITY_TOKEN_EVENTS_BY_TOPIC: ReadonlyMap<string, SecurityTokenEventType> = new Map(
  SECURITY_TOKEN_EVENT_TYPES.map((t) => [t.topic0, t]),
);
