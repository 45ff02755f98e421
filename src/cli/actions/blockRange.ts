import { blockRangeForDate } from '../../chain/blockRange/blockRangeForDate.js';
import { createRpcPool } from '../../chain/rpc/createRpcPool.js';
import { InvalidInputError } from '../../errors/LedgerflowError.js';
import { maskUrl } from '../../errors/maskUrl.js';

export interface BlockRangeOptions {
  rpc?: string;
  date: string;
  finalityDepth: string;
  retries: string;
}

export async function runBlockRange(options: BlockRangeOptions): Promise<void> {
  const urls = (options.rpc ?? process.env.RPC_URL ?? '').split(',').map((u) => u.trim()).filter(Boolean);
  if (urls.length === 0) throw new InvalidInputError('no RPC endpoint given', { fix: 'pass --rpc http(s)://host:port or set RPC_URL' });
  for (const url of urls) {
    if (!/^https?:\/\//.test(url) || !URL.canParse(url)) {
      throw new InvalidInputError(`invalid RPC URL ${maskUrl(url)}`, { fix: 'pass --rpc http(s)://host:port[/path], comma-separated for several' });
    }
  }
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
