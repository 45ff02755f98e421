import { nullable, required } from '../columnTypes.js';
import type { Row } from '../rows.js';
import type { TableEntity } from './entity.js';
import { contractRowsOf } from './contracts.js';
import { looksLikeToken } from '../decode/analyzeBytecode.js';
import type { TokenMetadata } from './rpcShapes.js';

const columns = [
  required('address', 'address'),
  nullable('symbol', 'string'),
  nullable('name', 'string'),
  nullable('decimals', 'uint256'),
  nullable('total_supply', 'uint256'),
  required('block_number', 'int64'),
];

/**
 * ERC-20/721 contracts created in the block with name, symbol, decimals and total supply read by
 * eth_call. Candidates are ethereum-etl's (is_erc20/is_erc721) plus those whose whole bytecode
 * carries the standard's selectors (looksLikeToken), so modern tokens are not missed. Read at the creation block by default so a re-export gives the same values;
 * ethereum-etl reads at `latest` (stateAt: 'latest').
 */
export const tokens: TableEntity<'tokens'> = {
  name: 'tokens',
  columns,
  sortKey: ['block_number', 'trace order'],
  rpcMethods: ['trace_block', 'eth_call'],
  needs: ['traces'],
  daily: true,
  warehouse: { blockColumn: 'block_number', distKey: 'ALL', sortKey: ['block_number'] },
  async fetch(bundles, context) {
    // Loaded here, not with the registry: it brings an address library CLI help must not load.
    const { fetchTokenMetadata } = await import('./fetchTokenMetadata.js');
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
