import { describe, expect, it } from 'vitest';
import { compactNumber, exactAmount, groupDigits, humanAmount, scaleDecimal, sumIntegers } from '../../../src/report/formatAmount.js';

describe('exact amounts', () => {
  it('groups digits without touching them', () => {
    expect(groupDigits('0')).toBe('0');
    expect(groupDigits('999')).toBe('999');
    expect(groupDigits('1000')).toBe('1,000');
    expect(groupDigits('-1234567.000501')).toBe('-1,234,567.000501');
    expect(groupDigits('115792089237316195423570985008687907853269984665640564039457584007913129639935')).toBe(
      '115,792,089,237,316,195,423,570,985,008,687,907,853,269,984,665,640,564,039,457,584,007,913,129,639,935',
    );
  });

  it('scales raw integers by their decimals exactly, past what a double holds', () => {
    expect(scaleDecimal('11735060768728645', 18)).toBe('0.011735060768728645');
    expect(scaleDecimal('123456789012345678901234567890', 18)).toBe('123456789012.34567890123456789');
    expect(scaleDecimal('1000000000000000000', 18)).toBe('1');
    expect(scaleDecimal('1500', 3)).toBe('1.5');
    expect(scaleDecimal('-5', 2)).toBe('-0.05');
    expect(scaleDecimal('0', 18)).toBe('0');
    expect(scaleDecimal('42', 0)).toBe('42');
  });

  it('says the exact figure with its unit', () => {
    expect(exactAmount('9007199254740993', { decimals: 0, unit: 'gas' })).toBe('9,007,199,254,740,993 gas');
    expect(exactAmount('21578752012902694', { decimals: 18, unit: 'ETH' })).toBe('0.021578752012902694 ETH');
  });

  it('sums integers exactly', () => {
    expect(sumIntegers(['9007199254740993', '1', null])).toBe('9007199254740994');
    expect(sumIntegers([])).toBe('0');
  });
});

describe('human readings', () => {
  it('keeps three significant digits with an SI suffix', () => {
    expect(compactNumber(0)).toBe('0');
    expect(compactNumber(7)).toBe('7');
    expect(compactNumber(2500)).toBe('2.5k');
    expect(compactNumber(15_716_944)).toBe('15.7M');
    expect(compactNumber(0.021578752)).toBe('0.0216');
    expect(compactNumber(-1_500_000)).toBe('-1.5M');
    expect(compactNumber(1.2e20)).toBe('1.20e20');
  });

  it('reads exact text in its unit', () => {
    expect(humanAmount('21578752012902694', { decimals: 18, unit: 'ETH' })).toBe('0.0216 ETH');
    expect(humanAmount('3', { decimals: 0, unit: '' })).toBe('3');
  });
});
