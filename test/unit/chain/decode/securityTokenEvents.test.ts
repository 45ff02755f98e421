import { AbiCoder, id, zeroPadValue } from 'ethers';
import { describe, expect, it } from 'vitest';
import { decodeSecurityTokenEvent } from '../../../../src/chain/decode/decodeSecurityTokenEvent.js';
import { SECURITY_TOKEN_EVENT_TYPES } from '../../../../src/chain/decode/securityTokenEventTypes.js';

// topic0 values as listed in peers.md section 3 (computed there independently).
const PEERS_TOPICS: Array<[string, string]> = [
  ['Issued(address,address,uint256,bytes)', '0x0e9905d62635f049c2f4e11678ebf9dc3d1f8c4a653e290759b772e47ba00d00'],
  ['Redeemed(address,address,uint256,bytes)', '0xb7d0d6b60740753e9f16692a2f479472a1385aec2420fa43225b02f2ffa1afe7'],
  ['TransferByPartition(bytes32,address,address,address,uint256,bytes,bytes)', '0xff4e9a26af4eb73b8bacfaa4abd4fea03d9448e7b912dc5ff4019048875aa2d4'],
  ['IssuedByPartition(bytes32,address,uint256,bytes)', '0x6032e2468b0f94dfa63c61d6c8a84842a99c049263eae408a52b945020b6578d'],
  ['RedeemedByPartition(bytes32,address,address,uint256,bytes,bytes)', '0xa4f62471c9bdf88115b97203943c74c59b655913ee5ee592706d84ef53fb6be2'],
  ['IssuedByPartition(bytes32,address,address,uint256,bytes,bytes)', '0xf0ded82afbb1bb3ff3fc48cb2a26584aa84e4af0bf309c804ecdb94d0f6a98bb'],
  ['RedeemedByPartition(bytes32,address,address,uint256,bytes)', '0xce306c3dbc4a497124b5a4f2be8388b41084c1d74663da27ecee1186c00239bf'],
  ['ChangedPartition(bytes32,bytes32,uint256)', '0x67c8ba31d2dd11f1384577b3405b04ed91eed1231e408432ad2458cab37b2fa1'],
  ['ControllerTransfer(address,address,address,uint256,bytes,bytes)', '0x6bf62b4b9c7b768275122bf70d429efc398a056d669b1efdf6c3976346246d7d'],
  ['ControllerRedemption(address,address,uint256,bytes,bytes)', '0x876b7cb47aa150b3a5516188b19ed308752ad4d0ae9a702543353b78163f7589'],
  ['DocumentUpdated(bytes32,string,bytes32)', '0xb4c22d60cd550a815744f04e3ff5278bf19684565ee00e2b084041b6024bd6f6'],
  ['DocumentRemoved(bytes32,string,bytes32)', '0x3d9bba27d3e360d8c80645beed7e991454a8271bf6f269a24f7782be0f0d0654'],
];
// Variants peers.md lists with abbreviated hashes: prefix and suffix must match.
const PEERS_SHORT: Array<[string, string, string]> = [
  ['IssuedByPartition(bytes32,address,uint256)', '0x1dbbe618', '78104'],
  ['RedeemedByPartition(bytes32,address,address,uint256)', '0x0b01e777', '3ee8e'],
  ['TransferByPartition(bytes32,address,address,uint256)', '0x0f527c5f', '47e56'],
];

const coder = AbiCoder.defaultAbiCoder();
const addr = (n: number) => `0x${n.toString(16).padStart(40, '0')}`;
const topicOf = (address: string) => zeroPadValue(address, 32);
const PARTITION = id('locked');

describe('security token event table', () => {
  it('matches every topic0 listed in peers.md', () => {
    const bySignature = new Map(SECURITY_TOKEN_EVENT_TYPES.map((t) => [t.signature, t.topic0]));
    for (const [signature, topic0] of PEERS_TOPICS) expect(bySignature.get(signature), signature).toBe(topic0);
    for (const [signature, prefix, suffix] of PEERS_SHORT) {
      const topic0 = bySignature.get(signature) ?? '';
      expect(topic0.startsWith(prefix) && topic0.endsWith(suffix), signature).toBe(true);
    }
    expect(new Set(SECURITY_TOKEN_EVENT_TYPES.map((t) => t.topic0)).size).toBe(PEERS_TOPICS.length + PEERS_SHORT.length);
  });
  it('writes out each topic0 as keccak256 of its signature', () => {
    for (const type of SECURITY_TOKEN_EVENT_TYPES) expect(type.topic0, type.signature).toBe(id(type.signature));
  });
});

describe('decodeSecurityTokenEvent', () => {
  it('decodes TransferByPartition (1410): partition, operator from data, from/to from topics, exact amount', () => {
    const amount = 2n ** 255n + 7n;
    const event = decodeSecurityTokenEvent({
      address: '0xAbC0000000000000000000000000000000000001',
      topics: [id('TransferByPartition(bytes32,address,address,address,uint256,bytes,bytes)'), PARTITION, topicOf(addr(1)), topicOf(addr(2))],
      data: coder.encode(['address', 'uint256', 'bytes', 'bytes'], [addr(3), amount, '0x1234', '0x']),
    });
    expect(event?.type.eventName).toBe('TransferByPartition');
    expect(event?.decoded).toBe(true);
    expect(event?.fields).toEqual({ partition: PARTITION, from_address: addr(1), to_address: addr(2), operator: addr(3), amount, data: '0x1234', operator_data: '0x' });
  });

  it('decodes ConsenSys IssuedByPartition (different layout, same event name)', () => {
    const event = decodeSecurityTokenEvent({
      address: addr(9),
      topics: [id('IssuedByPartition(bytes32,address,address,uint256,bytes,bytes)'), PARTITION, topicOf(addr(4)), topicOf(addr(5))],
      data: coder.encode(['uint256', 'bytes', 'bytes'], [10n, '0x', '0xff']),
    });
    expect(event?.type.standard).toBe('ERC-1400 ConsenSys');
    expect(event?.fields).toMatchObject({ partition: PARTITION, operator: addr(4), to_address: addr(5), amount: 10n, operator_data: '0xff' });
  });

  it('decodes Issued, Redeemed, ControllerTransfer, ControllerRedemption, ChangedPartition and documents', () => {
    const issued = decodeSecurityTokenEvent({ address: addr(9), topics: [id('Issued(address,address,uint256,bytes)'), topicOf(addr(1)), topicOf(addr(2))], data: coder.encode(['uint256', 'bytes'], [5n, '0x01']) });
    expect(issued?.fields).toEqual({ operator: addr(1), to_address: addr(2), amount: 5n, data: '0x01' });
    const redeemed = decodeSecurityTokenEvent({ address: addr(9), topics: [id('Redeemed(address,address,uint256,bytes)'), topicOf(addr(1)), topicOf(addr(2))], data: coder.encode(['uint256', 'bytes'], [6n, '0x']) });
    expect(redeemed?.fields).toMatchObject({ operator: addr(1), from_address: addr(2), amount: 6n });
    const ct = decodeSecurityTokenEvent({
      address: addr(9), topics: [id('ControllerTransfer(address,address,address,uint256,bytes,bytes)'), topicOf(addr(1)), topicOf(addr(2))],
      data: coder.encode(['address', 'uint256', 'bytes', 'bytes'], [addr(7), 8n, '0x', '0x']),
    });
    expect(ct?.fields).toMatchObject({ operator: addr(7), from_address: addr(1), to_address: addr(2), amount: 8n });
    const cr = decodeSecurityTokenEvent({
      address: addr(9), topics: [id('ControllerRedemption(address,address,uint256,bytes,bytes)'), topicOf(addr(1))],
      data: coder.encode(['address', 'uint256', 'bytes', 'bytes'], [addr(7), 9n, '0x', '0x']),
    });
    expect(cr?.fields).toMatchObject({ operator: addr(7), from_address: addr(1), amount: 9n });
    const to = id('unlocked');
    const cp = decodeSecurityTokenEvent({ address: addr(9), topics: [id('ChangedPartition(bytes32,bytes32,uint256)'), PARTITION, to], data: coder.encode(['uint256'], [3n]) });
    expect(cp?.fields).toEqual({ partition: PARTITION, to_partition: to, amount: 3n });
    const hash = id('doc');
    for (const name of ['DocumentUpdated', 'DocumentRemoved']) {
      const doc = decodeSecurityTokenEvent({ address: addr(9), topics: [id(`${name}(bytes32,string,bytes32)`), id('prospectus')], data: coder.encode(['string', 'bytes32'], ['ipfs://x', hash]) });
      expect(doc?.fields, name).toEqual({ document_name: id('prospectus'), document_uri: 'ipfs://x', document_hash: hash });
    }
  });

  it('reports a log that does not fit its layout as undecoded instead of dropping it', () => {
    const event = decodeSecurityTokenEvent({ address: addr(9), topics: [id('Issued(address,address,uint256,bytes)'), topicOf(addr(1)), topicOf(addr(2))], data: '0x1234' });
    expect(event?.decoded).toBe(false);
    expect(event?.fields).toEqual({});
  });

  it('ignores other events', () => {
    expect(decodeSecurityTokenEvent({ address: addr(1), topics: [id('Transfer(address,address,uint256)')], data: '0x' })).toBeNull();
    expect(decodeSecurityTokenEvent({ address: addr(1), topics: [], data: '0x' })).toBeNull();
  });
});
