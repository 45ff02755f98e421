import { describe, expect, it } from 'vitest';
import { csvFormat } from '../../../../src/lake/format/csvFormat.js';
import { jsonFormat } from '../../../../src/lake/format/jsonFormat.js';
import { pythonFloat } from '../../../../src/lake/format/pythonFloat.js';
import { pythonJson } from '../../../../src/lake/format/pythonJson.js';

describe('pythonFloat (Python repr)', () => {
  it.each([
    [1, '1.0'], [0.684, '0.684'], [1e-7, '1e-07'], [0.0001, '0.0001'], [0.00001, '1e-05'], [1e16, '1e+16'],
    [123456789012345.6, '123456789012345.6'], [-2.5, '-2.5'], [0, '0.0'], [1.5e300, '1.5e+300'],
  ])('%s -> %s', (value, text) => {
    expect(pythonFloat(value)).toBe(text);
  });
});

describe('pythonJson (json.dumps defaults)', () => {
  it('spaces separators and keeps big integers bare', () => {
    expect(pythonJson({ a: 58750003716598352816469n, b: [1n, 'x'], c: null, d: true })).toBe(
      '{"a": 58750003716598352816469, "b": [1, "x"], "c": null, "d": true}',
    );
  });
  it('escapes like ensure_ascii: short forms, lower-case \\u, surrogate pairs, no / escape', () => {
    expect(pythonJson('a"b\\c\n\r\t\b\f/')).toBe('"a\\"b\\\\c\\n\\r\\t\\b\\f/"');
    expect(pythonJson('é\u007f\u0000😀µ')).toBe('"\\u00e9\\u007f\\u0000\\ud83d\\ude00\\u00b5"');
  });
  it('compact form for CSV cells', () => {
    expect(pythonJson({ index: 1n, address: '0xA' }, true)).toBe('{"index":1,"address":"0xA"}');
  });
});

describe('csvFormat', () => {
  const columns = ['a', 'b', 'c', 'd', 'e'];
  it('writes the header with LF', () => {
    expect(csvFormat.header(columns)).toBe('a,b,c,d,e\n');
  });
  it('renders null and empty as empty, integers in decimal, booleans capitalised', () => {
    expect(csvFormat.row(columns, { a: null, b: '', c: 10n ** 27n, d: true, e: false })).toBe(',,1000000000000000000000000000,True,False\n');
  });
  it('quotes only cells with comma, quote, CR or LF (Python minimal quoting)', () => {
    expect(csvFormat.row(columns, { a: 'x,y', b: 'say "hi"', c: 'l1\nl2', d: ' lead', e: 'cr\r' })).toBe(
      '"x,y","say ""hi""","l1\nl2", lead,"cr\r"\n',
    );
  });
  it('joins lists with commas; one item unquoted, two quoted, empty list empty', () => {
    expect(csvFormat.row(['t'], { t: ['0xa'] })).toBe('0xa\n');
    expect(csvFormat.row(['t'], { t: ['0xa', '0xb'] })).toBe('"0xa,0xb"\n');
    expect(csvFormat.row(['t'], { t: [] })).toBe('\n');
    expect(csvFormat.row(['t'], { t: [0n, 1n] })).toBe('"0,1"\n');
  });
  it('renders a withdrawal object as compact JSON, quoted because of its quotes', () => {
    const w = { index: 1n, validator_index: 2n, address: '0x..', amount: 3n };
    expect(csvFormat.row(['w'], { w: [w] })).toBe('"{""index"":1,""validator_index"":2,""address"":""0x.."",""amount"":3}"\n');
  });
  it('writes non-ASCII verbatim', () => {
    expect(csvFormat.row(['s'], { s: 'é' })).toBe('é\n');
  });
});

describe('jsonFormat', () => {
  it('keeps column order, omits absent keys, ends in LF', () => {
    expect(jsonFormat.row(['b', 'a', 'z'], { a: 1n, b: 'x' })).toBe('{"b": "x", "a": 1}\n');
    expect(jsonFormat.header(['a'])).toBe('');
  });
  it('writes booleans and lists typed', () => {
    expect(jsonFormat.row(['f', 'l'], { f: false, l: ['0x1'] })).toBe('{"f": false, "l": ["0x1"]}\n');
  });
});
