import type { Row } from '../rows.js';
import type { Entity } from './entity.js';
import { contractRowsOf } from './contracts.js';
import { fetchTokenMetadata } from './fetchTokenMetadata.js';
import { looksLikeToken } from '../decode/analyzeBytecode.js';
import type { TokenMetadata } from './rpcShapes.js';

const columns = ['address', 'symbol', 'name', 'decimals', 'total_supply', 'block_number'] as const;

/**
 * ERC-20/721 contracts created in the block with name, symbol, decimals and total supply read by
 * eth_call. Candidates are ethereum-etl's (is_erc20/is_erc721) plus those whose whole bytecode
 * carries the standard's selectors (looksLikeToken), so modern tokens are not missed. Read at the creation block by default so a re-export gives the same values;
 * ethereum-etl reads at `latest` (stateAt: 'latest').
 */
export const tokens: Entity = {
  name: 'tokens',
  columns,
  sortKey: ['block_number', 'trace order'],
  rpcMethods: ['trace_block', 'eth_call'],
  needs: ['traces'],
  async fetch(bundles, context) {
    for (const bundle of bundles) {
      const found = new Map<string, TokenMetadata>();
      for (const contract of contractRowsOf(bundle)) {
        if (!contract.is_erc20 && !contract.is_erc721 && !looksLikeToken(contract.bytecode)) continue;
        const blockTag = context.stateAt === 'latest' ? 'latest' : `0x${bundle.number.toString(16)}`;
        found.set(contract.address, await fetchTokenMetadata(context.rpc, contract.address, blockTag, context.signal));
      }
      bundle.tokenMetadata = found;
    }
  },
  toRows(bundle) {
    const rows: Row[] = [];
    for (const contract of contractRowsOf(bundle)) {
      const meta = bundle.tokenMetadata?.get(contract.address);
      if (!meta) continue;
      rows.push({
        address: meta.address,
        symbol: meta.symbol,
        name: meta.name,
        decimals: meta.decimals,
        total_supply: meta.totalSupply,
        block_number: contract.block_number,
      });
    }
    return rows;
  },
};
