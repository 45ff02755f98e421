import { splitWords, wordToAddress, wordToUint } from './abiWords.js';

export const TRANSFER_TOPIC = '0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef';

export interface LogLike {
  address: string | null;
  topics: readonly string[];
  data: string | null;
}

export interface DecodedTransfer {
  tokenAddress: string | null;
  from: string;
  to: string;
  value: bigint | string;
}

/**
 * ethereum-etl's token transfer rule (spec 3.1): topic0 is ERC-20/721 `Transfer` and topics plus
 * data words make exactly four words; ERC-20 (3 topics + 1 word), ERC-721 (4 topics) and the old
 * CryptoKitties layout (1 topic + 3 words) all qualify and are not told apart.
 */
export function tokenTransferFromLog(log: LogLike): DecodedTransfer | null {
  const topic0 = log.topics[0];
  if (topic0 === undefined || topic0.toLowerCase() !== TRANSFER_TOPIC) return null;
  const words = [...log.topics, ...splitWords(log.data)];
  if (words.length !== 4) return null;
  const [, from, to, value] = words as [string, string, string, string];
  return {
    tokenAddress: log.address === null ? null : log.address.toLowerCase(),
    from: wordToAddress(from),
    to: wordToAddress(to),
    value: wordToUint(value),
  };
}
