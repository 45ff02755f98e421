import { describe, expect, it } from 'vitest';
import { hexToInt, lower, toQuantity } from '../../../../src/chain/decode/hexToInt.js';

describe('hexToInt (ethereum-etl hex_to_dec)', () => {
  it('parses with or without 0x, any case, leading zeros, beyond 2^53', () => {
    expect(hexToInt('0x0')).toBe(0n);
    expect(hexToInt('ff')).toBe(255n);
    expect(hexToInt('0x00FF')).toBe(255n);
    expect(hexToInt(`0x${'f'.repeat(64)}`)).toBe(2n ** 256n - 1n);
  });
  it('keeps unparseable strings verbatim and null as null', () => {
    expect(hexToInt('0x')).toBe('0x');
    expect(hexToInt('0xzz')).toBe('0xzz');
    expect(hexToInt(null)).toBeNull();
    expect(hexToInt(undefined)).toBeNull();
  });
  it('accepts JSON integers (trace positions)', () => {
    expect(hexToInt(7)).toBe(7n);
  });
  it('lower-cases strings only; quantities are minimal hex', () => {
    expect(lower('0xAB')).toBe('0xab');
    expect(lower(null)).toBeNull();
    expect(toQuantity(0)).toBe('0x0');
    expect(toQuantity(483920)).toBe('0x76250');
  });
});
