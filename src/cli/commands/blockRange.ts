import type { Command } from 'commander';
import { blockRangeForDate } from '../../chain/blockRange/blockRangeForDate.js';
import { createRpcPool } from '../../chain/rpc/createRpcPool.js';
import { InvalidInputError } from '../../errors/LedgerflowError.js';
import { maskUrl } from '../../errors/maskUrl.js';

interface BlockRangeOptions {
  rpc?: string;
  date: string;
  finalityDepth: string;
  retries: string;
}

export function registerBlockRange(program: Command): void {
  program
    .command('block-range')
    .description('Print the inclusive block range of a UTC day as "<start>,<end>" (ethereum-etl get_block_range_for_date)')
    .option('--rpc <urls>', 'JSON-RPC endpoint URL(s), comma-separated for a failover pool (default: $RPC_URL)')
    .requiredOption('--date <YYYY-MM-DD>', 'the UTC day')
    .option('--finality-depth <n>', "blocks the next day's first block must sit below the head, where the node has no finalized block tag", '64')
    .option('--retries <n>', 'retries of a failed RPC call on transient errors', '5')
    .action(async (options: BlockRangeOptions) => runBlockRange(options));
}

async function runBlockRange(options: BlockRangeOptions): Promise<void> {
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
