import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../../src/errors/LedgerflowError.js';
import { dayWindow, spanWindow } from '../../../src/warehouse/modelWindow.js';
import { parseModel } from '../../../src/warehouse/parseModel.js';

const iso = (s: number) => new Date(s * 1000).toISOString();

describe('dayWindow', () => {
  it('covers the day for hourly and daily buckets and the whole Monday-based week', () => {
    const w = dayWindow('2024-03-03'); // a Sunday
    expect([iso(w.hourFrom), iso(w.hourTo), iso(w.weekFrom), iso(w.weekTo)]).toEqual([
      '2024-03-03T00:00:00.000Z',
      '2024-03-04T00:00:00.000Z',
      '2024-02-26T00:00:00.000Z',
      '2024-03-04T00:00:00.000Z',
    ]);
    expect(iso(dayWindow('2024-03-04').weekFrom)).toBe('2024-03-04T00:00:00.000Z');
  });

  it('rejects a date that is not YYYY-MM-DD', () => {
    expect(() => dayWindow('2024-3-4')).toThrow(/not a UTC day/);
  });
});

describe('spanWindow', () => {
  it('spans whole days and whole weeks around the first and last second', () => {
    const from = Date.parse('2024-03-02T13:00:00Z') / 1000;
    const to = Date.parse('2024-03-05T23:59:59Z') / 1000;
    const w = spanWindow(from, to);
    expect([iso(w.hourFrom), iso(w.hourTo), iso(w.weekFrom), iso(w.weekTo)]).toEqual([
      '2024-03-02T00:00:00.000Z',
      '2024-03-06T00:00:00.000Z',
      '2024-02-26T00:00:00.000Z',
      '2024-03-11T00:00:00.000Z',
    ]);
  });
});

describe('parseModel', () => {
  const text = (name: string, depends = '') => `-- model: ${name}\n-- table: ${name}\n-- depends: ${depends}\n-- @create\nCREATE TABLE IF NOT EXISTS {{schema}}.${name} (x {{uint}});\n-- @index\nCREATE INDEX i ON {{schema}}.${name} (x);\n-- @delete\nDELETE FROM {{schema}}.${name} WHERE x < {{hour_to}};\n-- @insert\nINSERT INTO {{schema}}.${name} SELECT 1;\n`;

  it('fills placeholders per dialect and keeps indexes for PostgreSQL only', () => {
    const model = parseModel('a.sql', text('a'));
    expect(model.createStatements('postgres', 's')).toEqual(['CREATE TABLE IF NOT EXISTS s.a (x NUMERIC)', 'CREATE INDEX i ON s.a (x)']);
    expect(model.createStatements('redshift', 's')).toEqual(['CREATE TABLE IF NOT EXISTS s.a (x DECIMAL(38,0))']);
    expect(model.deleteSql('postgres', 's', { ...dayWindow('1970-01-02'), blockFrom: 0, blockTo: -1 })).toBe('DELETE FROM s.a WHERE x < 172800');
  });

  it('names the file and the placeholder it does not know', () => {
    const model = parseModel('a.sql', text('a').replace('{{hour_to}}', '{{nope}}'));
    expect(() => model.deleteSql('postgres', 's', { ...dayWindow('2024-01-01'), blockFrom: 0, blockTo: -1 })).toThrow(/a\.sql:\d+: uses unknown placeholder \{\{nope\}\}/);
  });

  it('expands limb macros on column names and refuses unknown macros and expression arguments', () => {
    const window = { ...dayWindow('2024-01-01'), blockFrom: 0, blockTo: -1 };
    const withDelete = (sql: string) => parseModel('a.sql', text('a').replace(/DELETE FROM .*;/, sql));
    expect(withDelete('DELETE FROM {{schema}}.a WHERE {{rem(x)}} > 0;').deleteSql('redshift', 's', window)).toBe(
      "DELETE FROM s.a WHERE CAST(RIGHT(CAST(x + CAST('50000000000000000000000000000000000000' AS DECIMAL(38,0)) AS VARCHAR(40)), 26) AS DECIMAL(38,0)) > 0",
    );
    expect(() => withDelete('DELETE FROM {{schema}}.a WHERE {{nope(x)}} > 0;').deleteSql('postgres', 's', window)).toThrow(
      /a\.sql:\d+: uses unknown macro \{\{nope\(\.\.\.\)\}\}/,
    );
    expect(() => withDelete('DELETE FROM {{schema}}.a WHERE {{rem(x + 1)}} > 0;').deleteSql('postgres', 's', window)).toThrow(/needs 1 column name/);
    expect(() => withDelete('DELETE FROM {{schema}}.a WHERE {{digits(x, y)}} > 0;').deleteSql('postgres', 's', window)).toThrow(/needs 3 column name/);
  });

  it('requires the header to name the file', () => {
    expect(() => parseModel('b.sql', text('a'))).toThrow(ConfigurationError);
  });
});
