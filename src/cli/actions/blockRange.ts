import { blockRangeForDate } from '../../chain/blockRange/blockRangeForDate.js';
import { createRpcPool } from '../../chain/rpc/createRpcPool.js';
import { InvalidInputError } from '../../errors/LedgerflowError.js';
import { rpcUrlsFrom } from './rpcUrls.js';

export interface BlockRangeOptions {
  rpc?: string;
  date: string;
  finalityDepth: string;
  retries: string;
}

export async function runBlockRange(options: BlockRangeOptions): Promise<void> {
  const urls = rpcUrlsFrom(options.rpc);
  const finalityDepth = wholeNumber(options.finalityDepth, '--finality-depth');
  const rpc = createRpcPool({ urls, maxRetries: wholeNumber(options.retries, '--retries') });
  try {
    const range = await blockRangeForDate(rpc, options.date, { finalityDepth });
    process.stdout.write(`${range.start},${range.end}\n`);
  } finally {
    await rpc.close();
  }
}

function wholeNumber(text: string, flag: string): number {
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(Number(text))) {
    throw new InvalidInputError(`${flag} must be a non-negative integer, got "${text}"`, { fix: `pass ${flag} as a whole number, e.g. ${flag} 64` });
  }
  return Number(text);
}
