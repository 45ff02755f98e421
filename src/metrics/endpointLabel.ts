import { endpointAlias, maskHost } from '../errors/maskUrl.js';

/**
 * The `endpoint` label of the RPC metrics: the alias the URL's fragment names
 * (`https://eth-mainnet.g.alchemy.com/v2/<key>#alchemy-main` is `alchemy-main`), else the host
 * and port with any key-like label masked (`***.rpc.provider.io`). Never a path or a query, which
 * is where providers put keys; and bounded, since one URL gives one label.
 */
export function endpointLabel(url: URL): string {
  return endpointAlias(url) ?? maskHost(url);
}
