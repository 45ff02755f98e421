import { describe, expect, it } from 'vitest';
import { analyzeBytecode, functionSighashesOf, looksLikeToken } from '../../../../src/chain/decode/analyzeBytecode.js';

// A dispatcher in the old solc shape: PUSH4 selector; EQ; PUSH2 dest; JUMPI ... then JUMPDEST.
function dispatcher(selectors: string[], prefix = '0x'): string {
  const body = selectors.map((s) => `63${s}1461aaaa57`).join('');
  return `${prefix}6060604052${body}5b63deadbeef`;
}

const ERC20 = ['18160ddd', '70a08231', 'a9059cbb', '23b872dd', '095ea7b3', 'dd62ed3e'];
const ERC721 = ['70a08231', '6352211e', '095ea7b3', '23b872dd'];

describe('analyzeBytecode (ethereum-etl contract detection)', () => {
  it('finds an ERC-20, including the 0xffffffff mask, sorted and deduplicated', () => {
    const result = analyzeBytecode(dispatcher(['ffffffff', ...ERC20, '18160ddd', '06fdde03']));
    expect(result.functionSighashes).toEqual(['0x06fdde03', '0x095ea7b3', '0x18160ddd', '0x23b872dd', '0x70a08231', '0xa9059cbb', '0xdd62ed3e', '0xffffffff']);
    expect(result.isErc20).toBe(true);
    expect(result.isErc721).toBe(false);
  });
  it('accepts a double 0x0x prefix', () => {
    expect(analyzeBytecode(dispatcher(ERC20, '0x0x')).isErc20).toBe(true);
  });
  it('finds an ERC-721 with transferFrom and without transfer (loose CryptoKitties rule)', () => {
    const result = analyzeBytecode(dispatcher(ERC721));
    expect(result.isErc721).toBe(true);
    expect(result.isErc20).toBe(false);
  });
  it('requires transfer or transferFrom for ERC-721', () => {
    expect(analyzeBytecode(dispatcher(['70a08231', '6352211e', '095ea7b3'])).isErc721).toBe(false);
  });
  it('stops at the first JUMPDEST: selectors behind it are not seen (upstream issue #349)', () => {
    expect(functionSighashesOf(dispatcher(['11111111']))).toEqual(['0x11111111']);
    expect(functionSighashesOf('0x5b6311111111')).toEqual([]);
  });
  it('does not take a 0x5b byte inside PUSH data for a JUMPDEST', () => {
    expect(functionSighashesOf('0x615b5b6322222222')).toEqual(['0x22222222']);
  });
  it('ignores a PUSH4 whose operand runs past the end', () => {
    expect(functionSighashesOf('0x63aabbcc')).toEqual([]);
  });
  it('gives [] for a 20-byte address passed as code, null and 0x', () => {
    expect(analyzeBytecode('0x06012c8cf97bead5deae237070f9587f8e7a266d').functionSighashes).toEqual([]);
    expect(analyzeBytecode(null).functionSighashes).toEqual([]);
    expect(analyzeBytecode('0x')).toEqual({ functionSighashes: [], isErc20: false, isErc721: false });
  });
  it('fails on odd-length hex as the reference does', () => {
    expect(() => analyzeBytecode('0x123')).toThrow(/even-length/);
  });
});

describe('looksLikeToken (whole-code selector scan for the tokens entity)', () => {
  const erc20 = ['18160ddd', '70a08231', 'a9059cbb', '23b872dd', '095ea7b3', 'dd62ed3e'];
  // A modern dispatcher: a JUMPDEST first (callvalue check), then one PUSH4 per selector.
  const behindJumpdest = (selectors: string[]) => `0x5b${selectors.map((s) => `63${s}`).join('')}`;

  it('finds an ERC-20 whose dispatcher sits behind a JUMPDEST, which ethereum-etl flags miss', () => {
    const code = behindJumpdest(erc20);
    expect(analyzeBytecode(code).isErc20).toBe(false);
    expect(looksLikeToken(code)).toBe(true);
  });

  it('needs every ERC-20 selector, and ignores selector bytes inside other PUSH data', () => {
    expect(looksLikeToken(behindJumpdest(erc20.slice(0, 5)))).toBe(false);
    // 0x64 is PUSH5: the following bytes are its operand, not a PUSH4.
    expect(looksLikeToken(`0x5b${erc20.map((s) => `64${s}00`).join('')}`)).toBe(false);
  });

  it('finds an ERC-721 with ownerOf and transferFrom', () => {
    expect(looksLikeToken(behindJumpdest(['70a08231', '6352211e', '095ea7b3', '23b872dd']))).toBe(true);
  });
});
