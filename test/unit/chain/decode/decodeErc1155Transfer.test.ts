import { AbiCoder, zeroPadValue } from 'ethers';
import { describe, expect, it } from 'vitest';
import { decodeErc1155Transfer, TRANSFER_BATCH_TOPIC, TRANSFER_SINGLE_TOPIC } from '../../../../src/chain/decode/decodeErc1155Transfer.js';

const coder = AbiCoder.defaultAbiCoder();
const addr = (n: number) => `0x${n.toString(16).padStart(40, '0')}`;
const topics = (t0: string) => [t0, zeroPadValue(addr(1), 32), zeroPadValue(addr(2), 32), zeroPadValue(addr(3), 32)];

describe('decodeErc1155Transfer', () => {
  it('decodes TransferSingle with a uint256 value beyond 2^53', () => {
    const big = 2n ** 200n + 1n;
    expect(decodeErc1155Transfer({ address: addr(9), topics: topics(TRANSFER_SINGLE_TOPIC), data: coder.encode(['uint256', 'uint256'], [7n, big]) })).toEqual({
      eventType: 'single', operator: addr(1), from: addr(2), to: addr(3), items: [{ tokenId: 7n, value: big }],
    });
  });
  it('decodes TransferBatch into one item per token id, in order', () => {
    const decoded = decodeErc1155Transfer({ address: addr(9), topics: topics(TRANSFER_BATCH_TOPIC), data: coder.encode(['uint256[]', 'uint256[]'], [[1n, 2n, 3n], [10n, 20n, 30n]]) });
    expect(decoded?.items).toEqual([{ tokenId: 1n, value: 10n }, { tokenId: 2n, value: 20n }, { tokenId: 3n, value: 30n }]);
  });
  it('rejects mismatched layouts', () => {
    expect(decodeErc1155Transfer({ address: addr(9), topics: topics(TRANSFER_BATCH_TOPIC), data: coder.encode(['uint256[]', 'uint256[]'], [[1n], [1n, 2n]]) })).toBeNull();
    expect(decodeErc1155Transfer({ address: addr(9), topics: topics(TRANSFER_SINGLE_TOPIC).slice(0, 3), data: '0x' })).toBeNull();
    expect(decodeErc1155Transfer({ address: addr(9), topics: topics(TRANSFER_SINGLE_TOPIC), data: '0x12' })).toBeNull();
  });
});
