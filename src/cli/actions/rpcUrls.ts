import { InvalidInputError } from '../../errors/LedgerflowError.js';
import { maskUrl } from '../../errors/maskUrl.js';

/** The endpoints of `--rpc` (comma-separated), else of RPC_URL; a bad one fails naming it, masked. */
export function rpcUrlsFrom(option: string | undefined, env: Record<string, string | undefined> = process.env): string[] {
  const urls = (option ?? env.RPC_URL ?? '').split(',').map((u) => u.trim()).filter(Boolean);
  if (urls.length === 0) throw new InvalidInputError('no RPC endpoint given', { fix: 'pass --rpc http(s)://host:port or set RPC_URL' });
  for (const url of urls) {
    if (!/^https?:\/\//.test(url) || !URL.canParse(url)) {
      throw new InvalidInputError(`invalid RPC URL ${maskUrl(url)}`, { fix: 'pass --rpc http(s)://host:port[/path], comma-separated for several' });
    }
  }
  return urls;
}
