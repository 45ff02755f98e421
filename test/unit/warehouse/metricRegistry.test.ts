import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BUILT_IN_METRICS_DIR, findMetric, loadMetricRegistry } from '../../../src/warehouse/metricRegistry.js';
import { dayWindow } from '../../../src/warehouse/modelWindow.js';
import { lineAtOffset, parseModel } from '../../../src/warehouse/parseModel.js';

const WINDOW = { ...dayWindow('2024-03-04'), blockFrom: 1, blockTo: 9 };

/** A counter over transactions, with the given headers. */
const counter = (name: string, headers = '') => `-- model: ${name}\n-- kind: counter\n${headers}-- @insert\nINSERT INTO {{schema}}.metrics_data (metric, grain, bucket_start, dimensions, value, value_json)\nWITH {{windows}}\nSELECT {{metric}}, w.grain, TIMESTAMP '1970-01-01 00:00:00', '{}', COUNT(*), NULL\nFROM {{schema}}.transactions t JOIN windows w ON t.block_timestamp >= w.from_s\nGROUP BY w.grain;\n`;

const dirs: string[] = [];
async function userDir(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'metrics-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
  return dir;
}
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe('metric file headers', () => {
  it('reads kind, grains and schedule, and builds only the declared grains', () => {
    const metric = parseModel('daily_tx.sql', counter('daily_tx', '-- grains: weekly, daily\n-- schedule: cron 30 2 * * *\n'));
    expect(metric).toMatchObject({ kind: 'counter', table: 'metrics_data', grains: ['daily', 'weekly'], schedule: { kind: 'calendar', cron: '30 2 * * *' } });
    const insert = metric.insertSql('postgres', 'lf', WINDOW);
    expect(insert).toContain("SELECT CAST('day' AS VARCHAR(8))");
    expect(insert).toContain("UNION ALL SELECT 'week'");
    expect(insert).not.toContain("'hour'");
    expect(insert).toContain("SELECT 'daily_tx', w.grain");
    // The default delete replaces only this metric's rows, in its own grains' buckets.
    const del = metric.deleteSql('postgres', 'lf', WINDOW);
    expect(del).toMatch(/^DELETE FROM lf\.metrics_data WHERE metric = 'daily_tx' AND \(\(grain IN \('day'\) AND .*\) OR \(grain = 'week' AND .*\)\)$/);
    expect(metric.createStatements('postgres', 'lf')).toEqual([]);
  });

  it('defaults to a model on every grain, run after each load', () => {
    const model = parseModel('chain_activity.sql', readBuiltIn('chain_activity.sql'));
    expect(model).toMatchObject({ kind: 'model', grains: ['hourly', 'daily', 'weekly'], schedule: { kind: 'after-load' } });
  });

  it.each([
    ['-- kind: sum\n', /x\.sql:2: unknown kind "sum".*Fix: use one of model, counter, gauge, histogram/],
    ['-- grains: daily, monthly\n', /x\.sql:3: unknown grains "daily, monthly"/],
    ['-- schedule: every day\n', /x\.sql:3: schedule "every day" is neither after-load nor a 5-field cron/],
    ['-- schedule: cron 30 2 * *\n', /x\.sql:3: schedule "cron 30 2 \* \*"/],
    ['-- table: other\n', /x\.sql:3: a counter writes metrics_data, not other/],
  ])('refuses a bad header %j, naming file and line', (headers, message) => {
    expect(() => parseModel('x.sql', counter('x', headers).replace('-- kind: counter\n', headers.startsWith('-- kind') ? '' : '-- kind: counter\n'))).toThrow(message);
  });

  it('requires a metric to insert into metrics_data under its own name', () => {
    const text = counter('x').replace('{{metric}}', "'x'");
    expect(() => parseModel('x.sql', text)).toThrow(/x\.sql:4: the insert of a counter, gauge or histogram must be "INSERT INTO \{\{schema\}\}\.metrics_data/);
  });

  it('maps a position in the rendered SQL back to the file line, across multi-line placeholders', () => {
    const metric = parseModel('x.sql', counter('x'));
    const insert = metric.runStatements('postgres', 'lf', WINDOW).find((s) => s.section === 'insert');
    if (!insert) throw new Error('no insert');
    // {{windows}} on line 5 renders as five lines; FROM is on line 7 of the file.
    expect(lineAtOffset(insert, insert.sql.indexOf('FROM lf.transactions') + 1)).toBe(7);
    expect(lineAtOffset(insert, insert.sql.indexOf("UNION ALL SELECT 'day'") + 1)).toBe(5);
    expect(lineAtOffset(insert, 1)).toBe(4);
  });
});

function readBuiltIn(file: string): string {
  return readFileSync(path.join(BUILT_IN_METRICS_DIR, file), 'utf8');
}

describe('loadMetricRegistry', () => {
  it('adds user files to the built-ins, in dependency order', async () => {
    const dir = await userDir({ 'b_metric.sql': counter('b_metric', '-- depends: a_metric\n'), 'a_metric.sql': counter('a_metric', '-- depends: chain_activity\n') });
    const registry = await loadMetricRegistry({ userDir: dir });
    expect(registry.problems).toEqual([]);
    const names = registry.metrics.map((m) => m.name);
    expect(names.indexOf('chain_activity')).toBeLessThan(names.indexOf('a_metric'));
    expect(names.indexOf('a_metric')).toBeLessThan(names.indexOf('b_metric'));
    expect(findMetric(registry, 'a_metric')).toMatchObject({ source: 'user', path: path.join(dir, 'a_metric.sql') });
    expect(findMetric(registry, 'chain_activity')).toMatchObject({ source: 'built-in' });
  });

  it('leaves out bad files and what depends on them with one line each, and keeps the rest', async () => {
    const chainActivity = await readFile(path.join(BUILT_IN_METRICS_DIR, 'chain_activity.sql'), 'utf8');
    const dir = await userDir({
      'good.sql': counter('good'),
      'no_header.sql': '-- @insert\nINSERT INTO x SELECT 1;\n',
      'chain_activity.sql': chainActivity,
      'same_table.sql': chainActivity.replace('-- model: chain_activity', '-- model: same_table'),
      'unknown_dep.sql': counter('unknown_dep', '-- depends: nowhere\n'),
      'needs_bad.sql': counter('needs_bad', '-- depends: unknown_dep\n'),
      'cycle_a.sql': counter('cycle_a', '-- depends: cycle_b\n'),
      'cycle_b.sql': counter('cycle_b', '-- depends: cycle_a\n'),
    });
    const registry = await loadMetricRegistry({ userDir: dir });
    const user = registry.metrics.filter((m) => m.source === 'user').map((m) => m.name);
    expect(user).toEqual(['good']);
    expect(registry.metrics.filter((m) => m.source === 'built-in')).toHaveLength(10);
    const byFile = Object.fromEntries(registry.problems.map((p) => [path.basename(p.file), p.message]));
    expect(Object.keys(byFile).sort()).toEqual(['chain_activity.sql', 'cycle_a.sql', 'cycle_b.sql', 'needs_bad.sql', 'no_header.sql', 'same_table.sql', 'unknown_dep.sql']);
    for (const [file, message] of Object.entries(byFile)) {
      expect(message.startsWith(path.join(dir, file)), message).toBe(true);
      expect(message).not.toContain('\n');
    }
    expect(byFile['no_header.sql']).toMatch(/lacks a `-- model: <file name>` header/);
    expect(byFile['chain_activity.sql']).toMatch(/its name chain_activity is taken by the built-in metric/);
    expect(byFile['same_table.sql']).toMatch(/its table chain_activity is taken by the built-in metric/);
    expect(byFile['unknown_dep.sql']).toMatch(/depends on unknown metric nowhere/);
    expect(byFile['needs_bad.sql']).toMatch(/depends on unknown_dep, which is left out/);
    expect(byFile['cycle_a.sql']).toMatch(/depends on itself through cycle_a -> cycle_b -> cycle_a/);
    expect(() => findMetric(registry, 'cycle_b')).toThrow(/Metric cycle_b is not runnable: .*cycle_b\.sql/);
    expect(() => findMetric(registry, 'nope')).toThrow(/Unknown metric nope.*Fix: use one of .*chain_activity/);
  });

  it('reads a ConfigMap volume (files as symlinks into a hidden directory) and reports a missing directory', async () => {
    const dir = await userDir({});
    await mkdir(path.join(dir, '..2026_12_04'));
    await writeFile(path.join(dir, '..2026_12_04', 'cm_metric.sql'), counter('cm_metric'));
    await symlink('..2026_12_04', path.join(dir, '..data'));
    await symlink(path.join('..data', 'cm_metric.sql'), path.join(dir, 'cm_metric.sql'));
    expect((await loadMetricRegistry({ userDir: dir })).metrics.map((m) => m.name)).toContain('cm_metric');

    const missing = await loadMetricRegistry({ userDir: path.join(dir, 'absent') });
    expect(missing.metrics.length).toBe(10);
    expect(missing.problems).toHaveLength(1);
    expect(missing.problems[0]?.message).toMatch(/LEDGERFLOW_METRICS_DIR=.*absent cannot be read \(ENOENT\): only the built-in metrics run/);
  });
});
