import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { parseCsv } from './parseCsv.js';

/**
 * Compares one exported CSV with an ethereum-etl expected file as sets of lines after newline
 * normalisation. The expected files carry 2.3.1 columns; ours append the 2.4.1 blob columns,
 * so the expected header must be a prefix of ours and rows compare on the expected columns
 * (the extra cells must then be empty: no fixture has blob data). An expected 0-byte file
 * (ethereum-etl writes no header without rows) must be our header line alone.
 */
export function expectCsvMatches(actualPath: string, expectedPath: string, ourColumns: readonly string[]): void {
  const actual = readFileSync(actualPath, 'utf8');
  const expected = readFileSync(expectedPath, 'utf8');
  expect(actual.includes('\r')).toBe(false);
  expect(actual.endsWith('\n')).toBe(true);
  const actualRows = parseCsv(actual);
  expect(actualRows[0]).toEqual([...ourColumns]);
  if (expected.length === 0) {
    expect(actual).toBe(`${ourColumns.join(',')}\n`);
    return;
  }
  const expectedRows = parseCsv(expected.replace(/\r\n/g, '\n'));
  const expectedHeader = expectedRows[0] as string[];
  expect(ourColumns.slice(0, expectedHeader.length)).toEqual(expectedHeader);
  const width = expectedHeader.length;
  const project = (rows: string[][]) =>
    rows.slice(1).map((cells) => {
      expect(cells.slice(width).every((c) => c === '')).toBe(true);
      return JSON.stringify(cells.slice(0, width));
    });
  expect(project(actualRows).sort()).toEqual(project(expectedRows).sort());
}

// Integers beyond 2^53 would lose digits in JSON.parse: quote them before parsing so both sides
// keep every digit.
function parseJsonLine(line: string): Record<string, unknown> {
  return JSON.parse(line.replace(/(": )(-?\d{16,})(?=[,}\]])/g, '$1"$2"')) as Record<string, unknown>;
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * Compares JSON lines as sets of objects after key sorting, on the keys that are our columns:
 * that drops the streaming format's extra keys (type, item_id, item_timestamp, receipt_*) and
 * our 2.4.1 additions, which must then be null or empty.
 */
export function expectJsonMatches(actualPath: string, expectedPath: string, ourColumns: readonly string[]): void {
  const actual = readFileSync(actualPath, 'utf8');
  const expected = readFileSync(expectedPath, 'utf8');
  if (expected.trim().length === 0) {
    expect(actual).toBe('');
    return;
  }
  expect(actual.endsWith('\n')).toBe(true);
  const lines = (text: string) => text.split(/\r?\n/).filter((l) => l.length > 0).map(parseJsonLine);
  const expectedObjects = lines(expected);
  const keys = new Set(Object.keys(expectedObjects[0] ?? {}).filter((k) => ourColumns.includes(k)));
  const project = (objects: Array<Record<string, unknown>>, checkExtras: boolean) =>
    objects
      .map((o) => {
        if (checkExtras) {
          expect(Object.keys(o)).toEqual(ourColumns.filter((c) => c in o));
          for (const k of Object.keys(o)) if (!keys.has(k)) expect([null, [], undefined]).toContainEqual(o[k]);
        }
        return canonical(Object.fromEntries([...keys].map((k) => [k, o[k]])));
      })
      .sort();
  expect(project(lines(actual), true)).toEqual(project(expectedObjects, false));
}
