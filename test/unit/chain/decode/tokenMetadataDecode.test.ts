import { AbiCoder, encodeBytes32String } from 'ethers';
import { describe, expect, it } from 'vitest';
import { decodeAbiString, decodeBytes32, decodeUint256, decodeUint8, hexBytes, stripNul } from '../../../../src/chain/decode/tokenMetadataDecode.js';

const coder = AbiCoder.defaultAbiCoder();
const bytes = (hex: string) => hexBytes(hex) as Buffer;

describe('token metadata decoding (eth-abi 2.x rules)', () => {
  it('decodes an ABI string and ignores trailing bytes', () => {
    expect(decodeAbiString(bytes(coder.encode(['string'], ['Token']) + '00'.repeat(32)))).toBe('Token');
  });
  it('decodes 32 zero bytes as the empty string (offset 0, length 0), not as no result', () => {
    expect(decodeAbiString(bytes(`0x${'00'.repeat(32)}`))).toBe('');
  });
  it('fails on non-zero padding, short data, an offset past the end and invalid UTF-8', () => {
    const good = coder.encode(['string'], ['ab']);
    expect(decodeAbiString(bytes(`${good.slice(0, -2)}01`))).toBeUndefined();
    expect(decodeAbiString(bytes('0x1234'))).toBeUndefined();
    expect(decodeAbiString(bytes(`0x${'ff'.repeat(32)}`))).toBeUndefined();
    expect(decodeAbiString(bytes(coder.encode(['bytes'], ['0xff'])))).toBeUndefined();
  });
  it('bytes32 keeps NULs for the caller to strip', () => {
    const raw = decodeBytes32(bytes(encodeBytes32String('EOS'))) as Buffer;
    expect(stripNul(raw.toString('utf8'))).toBe('EOS');
  });
  it('uint8 needs 31 zero bytes; uint256 needs 32 bytes', () => {
    expect(decodeUint8(bytes(coder.encode(['uint8'], [18])))).toBe(18n);
    expect(decodeUint8(bytes(coder.encode(['uint256'], [256])))).toBeUndefined();
    expect(decodeUint256(bytes(coder.encode(['uint256'], [2n ** 256n - 1n])))).toBe(2n ** 256n - 1n);
    expect(decodeUint256(bytes('0x01'))).toBeUndefined();
  });
  it('treats 0x and non-hex as no result', () => {
    expect(hexBytes('0x')).toBeUndefined();
    expect(hexBytes('0xzz')).toBeUndefined();
  });
});
