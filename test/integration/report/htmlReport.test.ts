import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { writeReport } from '../../../src/cli/actions/report.js';
import { exactAmount } from '../../../src/report/formatAmount.js';
import { SERIES_COLOURS } from '../../../src/report/svgChart.js';
import { openSeededWarehouse, type TemporalTestStack } from '../temporal/temporalStack.js';
import { headless } from './chromium.js';
import { decodePng } from './decodePng.js';

interface ChartMeasure {
  id: string;
  x: number;
  y: number;
  width: number;
  height: number;
  marks: number;
  drawn: number;
}

let t: TemporalTestStack;
let dir: string;
let first: string;
let last: string;

beforeAll(async () => {
  t = await openSeededWarehouse(inject('stack'), 'report');
  dir = await mkdtemp(path.join(tmpdir(), 'ledgerflow-report-'));
  first = t.days[0] as string;
  last = t.days.at(-1) as string;
});

afterAll(async () => {
  await t?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/**
 * Lays the page out in chromium and returns, per chart, its box on the page and how many of its
 * marks have a non-zero size. The measuring script goes into a copy: the report itself has none.
 */
async function measure(file: string): Promise<{ charts: ChartMeasure[]; pageHeight: number }> {
  const script = `<script>
    const charts = [...document.querySelectorAll('svg.chart')].map((svg) => {
      const box = svg.getBoundingClientRect();
      const marks = [...svg.querySelectorAll('.mark')];
      const drawn = marks.map((m) => m.getBoundingClientRect()).filter((b) => b.width > 0 && b.height > 0).length;
      return { id: svg.id, x: box.left + scrollX, y: box.top + scrollY, width: box.width, height: box.height, marks: marks.length, drawn };
    });
    const out = document.createElement('pre');
    out.id = 'measurements';
    out.textContent = JSON.stringify({ charts, pageHeight: document.documentElement.scrollHeight });
    document.body.appendChild(out);
  </script>`;
  const probe = file.replace(/\.html$/, '.probe.html');
  await writeFile(probe, (await readFile(file, 'utf8')).replace('</body>', `${script}</body>`));
  const dom = await headless(probe, ['--dump-dom']);
  const json = /<pre id="measurements">([\s\S]*?)<\/pre>/.exec(dom)?.[1];
  if (!json) throw new Error(`chromium printed no measurements:\n${dom.slice(0, 2000)}`);
  return JSON.parse(json.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')) as { charts: ChartMeasure[]; pageHeight: number };
}

/** Pixels inside the box whose colour is one of the series colours. */
function seriesPixels(png: ReturnType<typeof decodePng>, box: ChartMeasure): number {
  const colours = SERIES_COLOURS.map((c) => [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16)) as [number, number, number]);
  let count = 0;
  for (let y = Math.floor(box.y); y < Math.min(png.height, box.y + box.height); y++) {
    for (let x = Math.floor(box.x); x < Math.min(png.width, box.x + box.width); x++) {
      const i = (y * png.width + x) * 4;
      const [r, g, b] = [png.rgba[i] as number, png.rgba[i + 1] as number, png.rgba[i + 2] as number];
      if (colours.some(([cr, cg, cb]) => Math.abs(r - cr) + Math.abs(g - cg) + Math.abs(b - cb) < 30)) count += 1;
    }
  }
  return count;
}

describe('ledgerflow report on the seeded days', () => {
  it('writes a self-contained page whose every chart chromium draws', async () => {
    const out = path.join(dir, 'daily.html');
    const written = await writeReport({ from: first, to: last, out, grain: 'day' }, t.env);
    expect(written.title).toBe(`Ledgerflow report · chain ${t.chainId} · ${first} to ${last}`);
    const html = await readFile(out, 'utf8');
    expect(html).not.toMatch(/https?:\/\//i);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(/i);

    const { charts, pageHeight } = await measure(out);
    expect(charts.map((c) => c.id)).toEqual([
      'chart-transactions',
      'chart-gas-used',
      'chart-fees',
      'chart-active-addresses',
      'chart-token-1-amounts',
      'chart-holders',
      'chart-token-1-partition-holders',
    ]);
    for (const chart of charts) {
      expect(chart.width, chart.id).toBeGreaterThan(300);
      expect(chart.drawn, chart.id).toBeGreaterThan(0);
    }

    const shot = path.join(dir, 'daily.png');
    await headless(out, [`--screenshot=${shot}`], 1280, Math.ceil(pageHeight));
    const png = decodePng(await readFile(shot));
    expect(png.width).toBe(1280);
    for (const chart of charts) expect(seriesPixels(png, chart), chart.id).toBeGreaterThan(50);
  });

  it('shows the exact fees the warehouse holds', async () => {
    const out = path.join(dir, 'exact.html');
    await writeReport({ from: first, to: last, out }, t.env);
    const pool = new pg.Pool({ connectionString: t.config.databaseUrl, max: 1 });
    try {
      const { rows } = await pool.query<{ fees: string }>(
        `SELECT CAST(SUM(fees_wei) AS VARCHAR(100)) AS fees FROM ${t.config.warehouseSchema}.chain_activity
         WHERE grain = 'day' AND bucket_start >= CAST($1 AS TIMESTAMP) AND bucket_start <= CAST($2 AS TIMESTAMP)`,
        [first, last],
      );
      const fees = rows[0]?.fees as string;
      expect(fees).toMatch(/^\d+$/);
      expect(await readFile(out, 'utf8')).toContain(`<div class="stat-exact">${exactAmount(fees, { decimals: 18, unit: 'ETH' })}</div>`);
    } finally {
      await pool.end();
    }
  });

  it('gives the same bytes twice, and draws hourly buckets too', async () => {
    const a = path.join(dir, 'hourly-a.html');
    const b = path.join(dir, 'hourly-b.html');
    const written = await writeReport({ from: first, to: last, out: a, grain: 'hour' }, t.env);
    await writeReport({ from: first, to: last, out: b, grain: 'hour' }, t.env);
    expect(written.buckets).toBe(24 * t.days.length);
    expect(await readFile(a, 'utf8')).toBe(await readFile(b, 'utf8'));
    const { charts } = await measure(a);
    expect(charts).toHaveLength(6);
    for (const chart of charts) expect(chart.drawn, chart.id).toBeGreaterThan(0);
  });

  it('stops with one line naming a range with no loaded day, and bad input', async () => {
    const out = path.join(dir, 'none.html');
    await expect(writeReport({ from: '2030-01-01', to: '2030-01-02', out }, t.env)).rejects.toThrow(
      /^No loaded data for 2030-01-01\.\.2030-01-02 in warehouse schema \S+ Fix: load the days first \(ledgerflow backfill --from 2030-01-01 --to 2030-01-02\)/,
    );
    await expect(writeReport({ from: '2024-13-01', to: last, out }, t.env)).rejects.toThrow('--from is not a calendar day: 2024-13-01');
    await expect(writeReport({ from: last, to: first, out }, t.env)).rejects.toThrow(`--from ${last} is after --to ${first}`);
    await expect(writeReport({ from: first, to: last, out, grain: 'month' }, t.env)).rejects.toThrow('--grain month is not a report grain');
  });
});
