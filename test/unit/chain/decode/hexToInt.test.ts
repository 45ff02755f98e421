import { describe, expect, it } from 'vitest';
import { hexToInt, lower, quantity, toQuantity } from '../../../../src/chain/decode/hexToInt.js';
import { csvFormat } from '../../../../src/lake/format/csvFormat.js';
import { jsonFormat } from '../../../../src/lake/format/jsonFormat.js';

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

describe('quantity (row cells)', () => {
  it('gives a number up to 13 hex digits and a bigint beyond, both exact', () => {
    expect(quantity('0x0')).toBe(0);
    expect(quantity('0X00fF')).toBe(255);
    expect(quantity(`0x${'f'.repeat(13)}`)).toBe(2 ** 52 - 1);
    expect(quantity(`0x1${'0'.repeat(13)}`)).toBe(2n ** 52n);
    expect(quantity(`0x${'f'.repeat(64)}`)).toBe(2n ** 256n - 1n);
  });
  it('treats everything else as hexToInt does', () => {
    for (const value of ['0x', '0xzz', '0x1g', 'ff', null, undefined, 7]) expect(quantity(value)).toEqual(hexToInt(value));
  });
  it('agrees digit for digit with hexToInt on text at the edges of hex', () => {
    // Characters just outside 0-9, A-F and a-f, signs, separators and whitespace Number() would trim.
    const odd = ['0x/', '0x:', '0x@', '0xG', '0x`', '0xg', '0x-1', '0x+1', '0x1_0', '0x1.5', '0x10 ', '0x1 2', '0x\n1', '0xaBcD', '0x0000000000001'];
    for (const value of odd) expect(String(quantity(value))).toBe(String(hexToInt(value)));
  });
  it('prints the same digits as the bigint it replaces, in CSV and JSON lines', () => {
    for (const hex of ['0x0', '0x1', '0xABCDEF', '0x5f5e100', `0x${'f'.repeat(13)}`]) {
      const asNumber = { v: quantity(hex) };
      const asBigint = { v: hexToInt(hex) };
      expect(typeof asNumber.v).toBe('number');
      expect(csvFormat.row(['v'], asNumber)).toBe(csvFormat.row(['v'], asBigint));
      expect(jsonFormat.row(['v'], asNumber)).toBe(jsonFormat.row(['v'], asBigint));
    }
  });
});
