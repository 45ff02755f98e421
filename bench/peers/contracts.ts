/**
 * Hand-assembled EVM bytecode for the dense benchmark chain (no solc on the build machines). Each
 * contract reproduces only what an exporter sees of its real counterpart: the logs (topics and
 * data words), the calldata shape and, for the reverter, status 0.
 */

/** keccak256("Transfer(address,address,uint256)") */
export const TRANSFER_TOPIC = 'ddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef';
/** keccak256("Sync(uint112,uint112)"), Uniswap V2's pair event */
const SYNC_TOPIC = '1c411e9a96e071241c2f21f7726b17ae89e3cab4c78be50e062b03a9fffbbad1';
/** keccak256("Swap(address,uint256,uint256,uint256,uint256,address)") */
const SWAP_TOPIC = 'd78ad95fa46c994b6551d0da85fc275fe613ce37657fb8d5e3d130840159d822';

/** `transfer(address,uint256)`, so the calldata looks like an ERC-20 transfer in every decoder. */
export const TRANSFER_SELECTOR = 'a9059cbb';
/** `swap(uint256,uint256,uint256,uint256,address,bytes)`-like selector of Uniswap V2's pair. */
export const SWAP_SELECTOR = '022c0d9f';

/**
 * ERC-20 stand-in: `transfer(to, amount)` emits Transfer(caller, to, amount), three topics and one
 * data word, as a real token does; no balances (an exporter never reads them).
 *   PUSH1 0x24 CALLDATALOAD PUSH1 0 MSTORE      amount -> memory[0..32]
 *   PUSH1 0x04 CALLDATALOAD CALLER PUSH32 Transfer PUSH1 0x20 PUSH1 0 LOG3    topics: sig, from, to
 */
const TOKEN_RUNTIME = `602435600052600435337f${TRANSFER_TOPIC}60206000a300`;

/**
 * Uniswap-V2-pair stand-in: one call emits the four logs of a swap. Calldata after the selector:
 * amountIn, amountOut, to, reserve0, reserve1 (copied to memory[0..160]).
 *   Transfer(caller -> pair, amountIn)    (in a real swap the token contracts emit the two
 *   Transfer(pair -> to, amountOut)        Transfers; here the pair does, same shape for an exporter)
 *   Sync(reserve0, reserve1)              one topic, two data words
 *   Swap(caller, amountIn, 0, 0, amountOut, to)   three topics, four data words
 */
const PAIR_RUNTIME = [
  '60a06004600037', // CALLDATACOPY(0, 4, 160)
  `30337f${TRANSFER_TOPIC}60206000a3`, // LOG3(mem 0, 32, Transfer, caller, address)
  `604435307f${TRANSFER_TOPIC}60206020a3`, // LOG3(mem 32, 32, Transfer, address, to)
  `7f${SYNC_TOPIC}60406060a1`, // LOG1(mem 96, 64, Sync)
  '60005160a052', // memory[160] = amountIn (memory[192..256] stays zero: amount1In, amount0Out)
  '60205161010052', // memory[256] = amountOut
  `604435337f${SWAP_TOPIC}608060a0a3`, // LOG3(mem 160, 128, Swap, caller, to)
  '00',
].join('');

/** REVERT(0, 0): mined with status 0 when sent with explicit gas (estimation would refuse it). */
const REVERTER_RUNTIME = '60006000fd';

/** Init code that copies `runtime` (under 256 bytes) into the new contract's code. */
function deployable(runtime: string): string {
  const length = runtime.length / 2;
  if (length > 255) throw new Error(`runtime of ${length} bytes needs a wider PUSH in its init code`);
  const len = length.toString(16).padStart(2, '0');
  // PUSH1 len PUSH1 12 PUSH1 0 CODECOPY PUSH1 len PUSH1 0 RETURN: 12 bytes, then the runtime.
  return `0x60${len}600c60003960${len}6000f3${runtime}`;
}

export const TOKEN_INIT = deployable(TOKEN_RUNTIME);
export const PAIR_INIT = deployable(PAIR_RUNTIME);
export const REVERTER_INIT = deployable(REVERTER_RUNTIME);

/** A 32-byte ABI word of a non-negative integer or an address. */
export function word(value: bigint | number | string): string {
  const hex = typeof value === 'string' ? value.replace(/^0x/, '') : value.toString(16);
  return hex.padStart(64, '0');
}
