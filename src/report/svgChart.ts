import { bucketLabel, bucketText, labelledBuckets } from './bucketLabel.js';
import type { ChartSpec } from './chartTypes.js';
import { escapeHtml } from './escapeHtml.js';
import { amountValue, compactNumber, exactAmount } from './formatAmount.js';

/** Okabe-Ito: told apart by readers with the common colour-vision deficiencies. */
export const SERIES_COLOURS = ['#0072b2', '#e69f00', '#009e73', '#d55e00', '#cc79a7', '#56b4e9', '#7f6a00', '#000000'];

const WIDTH = 640;
const HEIGHT = 260;
const MARGIN = { left: 64, right: 16, top: 14, bottom: 46 };
const PLOT_W = WIDTH - MARGIN.left - MARGIN.right;
const PLOT_H = HEIGHT - MARGIN.top - MARGIN.bottom;
const MAX_X_LABELS = 7;

/** Coordinates with one decimal: the same data always gives the same bytes. */
const px = (n: number) => (Math.round(n * 10) / 10).toString();

export function seriesColour(index: number): string {
  return SERIES_COLOURS[index % SERIES_COLOURS.length] as string;
}

/** The chart as inline SVG: gridlines, y ticks, thinned x labels and one mark per figure, each mark titled with its exact value. */
export function svgChart(spec: ChartSpec): string {
  const values = spec.series.map((s) => s.values.map((v) => (v === null ? null : amountValue(v, spec.format))));
  const present = values.flat().filter((v): v is number => v !== null && Number.isFinite(v));
  const open = `<svg class="chart" id="chart-${escapeHtml(spec.id)}" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${escapeHtml(spec.title)}">`;
  if (present.length === 0 || spec.buckets.length === 0) {
    return `${open}<text class="empty" x="${WIDTH / 2}" y="${HEIGHT / 2}" text-anchor="middle">No data in this range</text></svg>`;
  }
  const ticks = niceTicks(Math.min(0, ...present), Math.max(0, ...present), spec.format.decimals === 0);
  const lo = ticks[0] as number;
  const hi = ticks.at(-1) as number;
  const y = (v: number) => MARGIN.top + PLOT_H - ((v - lo) / (hi - lo)) * PLOT_H;
  const band = PLOT_W / spec.buckets.length;
  const parts: string[] = [open];

  parts.push('<g class="y-axis">');
  for (const tick of ticks) {
    const ty = px(y(tick));
    parts.push(`<line class="grid" x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${ty}" y2="${ty}"/>`);
    parts.push(`<text x="${MARGIN.left - 8}" y="${ty}" dy="0.32em" text-anchor="end">${escapeHtml(compactNumber(tick))}</text>`);
  }
  parts.push('</g>');

  const labelled = labelledBuckets(spec.buckets, spec.grain, MAX_X_LABELS);
  parts.push('<g class="x-axis">');
  parts.push(`<line class="axis" x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${px(y(0))}" y2="${px(y(0))}"/>`);
  spec.buckets.forEach((bucket, i) => {
    if (!labelled[i]) return;
    const cx = px(MARGIN.left + band * (i + 0.5));
    parts.push(`<line class="tick" x1="${cx}" x2="${cx}" y1="${MARGIN.top + PLOT_H}" y2="${MARGIN.top + PLOT_H + 4}"/>`);
    parts.push(`<text x="${cx}" y="${MARGIN.top + PLOT_H + 17}" text-anchor="middle">${escapeHtml(bucketLabel(bucket, spec.grain))}</text>`);
  });
  parts.push(`<text class="axis-title" x="${MARGIN.left + PLOT_W / 2}" y="${HEIGHT - 6}" text-anchor="middle">${escapeHtml(axisTitle(spec.grain))}</text>`);
  parts.push('</g>');

  spec.series.forEach((series, s) => {
    const colour = seriesColour(s);
    const title = (i: number) => `${series.name} · ${bucketText(spec.buckets[i] as string, spec.grain)}: ${exactAmount(series.values[i] as string, spec.format)}`;
    parts.push(`<g class="series" data-series="${escapeHtml(series.name)}" fill="${colour}" stroke="${colour}">`);
    if (spec.kind === 'bars') {
      const group = band * 0.8;
      const width = group / spec.series.length;
      values[s]?.forEach((v, i) => {
        if (v === null || v === 0) return;
        const top = Math.min(y(v), y(0));
        const x = MARGIN.left + band * i + band * 0.1 + width * s;
        parts.push(`<rect class="mark" x="${px(x)}" y="${px(top)}" width="${px(Math.max(width - 1, 1))}" height="${px(Math.max(Math.abs(y(v) - y(0)), 1))}" stroke="none"><title>${escapeHtml(title(i))}</title></rect>`);
      });
    } else {
      const segments: string[][] = [];
      let current: string[] = [];
      values[s]?.forEach((v, i) => {
        if (v === null) {
          if (current.length > 0) segments.push(current);
          current = [];
          return;
        }
        current.push(`${px(MARGIN.left + band * (i + 0.5))},${px(y(v))}`);
      });
      if (current.length > 0) segments.push(current);
      for (const points of segments) if (points.length > 1) parts.push(`<polyline class="line" fill="none" stroke-width="2" points="${points.join(' ')}"/>`);
      const radius = spec.buckets.length > 60 ? 2 : 3.5;
      values[s]?.forEach((v, i) => {
        if (v === null) return;
        parts.push(`<circle class="mark" cx="${px(MARGIN.left + band * (i + 0.5))}" cy="${px(y(v))}" r="${radius}" stroke="none"><title>${escapeHtml(title(i))}</title></circle>`);
      });
    }
    parts.push('</g>');
  });
  parts.push('</svg>');
  return parts.join('');
}

function axisTitle(grain: string): string {
  return `${grain === 'week' ? 'week (Monday)' : grain} starting, UTC`;
}

/** 3 to 6 round tick values covering [min, max]; whole numbers only when the figures are counts. */
export function niceTicks(min: number, max: number, wholeNumbers: boolean): number[] {
  const top = max > min ? max : min + 1;
  const raw = (top - min) / 4;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  let step = ([1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? raw) as number;
  if (wholeNumbers) step = Math.max(1, Math.ceil(step));
  const first = Math.floor(min / step) * step;
  const ticks: number[] = [];
  for (let i = 0; ; i++) {
    const tick = Number((first + i * step).toPrecision(12));
    ticks.push(tick);
    if (tick >= top) break;
  }
  return ticks;
}
