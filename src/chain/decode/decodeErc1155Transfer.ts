import { AbiCoder } from 'ethers/abi';
import { wordToAddress } from './abiWords.js';
import type { LogLike } from './tokenTransferFromLog.js';

import { TRANSFER_BATCH_TOPIC, TRANSFER_SINGLE_TOPIC } from './erc1155Topics.js';

export { TRANSFER_BATCH_TOPIC, TRANSFER_SINGLE_TOPIC } from './erc1155Topics.js';

export interface Erc1155Transfer {
  eventType: 'single' | 'batch';
  operator: string;
  from: string;
  to: string;
  /** One entry per token id, in event order. */
  items: Array<{ tokenId: bigint; value: bigint }>;
}

const coder = AbiCoder.defaultAbiCoder();

/**
 * ERC-1155 TransferSingle / TransferBatch (operator, from and to indexed). A log that shares
 * the topic0 but not the layout is not an ERC-1155 transfer and yields null.
 */
export function decodeErc1155Transfer(log: LogLike): Erc1155Transfer | null {
  const topic0 = log.topics[0]?.toLowerCase();
  if (topic0 !== TRANSFER_SINGLE_TOPIC && topic0 !== TRANSFER_BATCH_TOPIC) return null;
  if (log.topics.length !== 4) return null;
  const [, operator, from, to] = log.topics as [string, string, string, string];
  try {
    if (topic0 === TRANSFER_SINGLE_TOPIC) {
      const [tokenId, value] = coder.decode(['uint256', 'uint256'], log.data ?? '0x') as unknown as [bigint, bigint];
      return { eventType: 'single', operator: wordToAddress(operator), from: wordToAddress(from), to: wordToAddress(to), items: [{ tokenId, value }] };
    }
    const [ids, values] = coder.decode(['uint256[]', 'uint256[]'], log.data ?? '0x') as unknown as [bigint[], bigint[]];
    if (ids.length !== values.length) return null;
    return {
      eventType: 'batch',
      operator: wordToAddress(operator),
      from: wordToAddress(from),
      to: wordToAddress(to),
      items: ids.map((tokenId, i) => ({ tokenId, value: values[i] as bigint })),
    };
  } catch {
    return null;
  }
}
