import { ConfigurationError } from '../errors/LedgerflowError.js';
import { limbMacros } from './limbSql.js';
import { sqlIdentifier } from './sqlIdentifier.js';
import type { Dialect } from './types.js';

/**
 * The time a model run covers, in unix seconds, half-open. Hourly and daily buckets are rebuilt
 * for [hourFrom, hourTo); weekly buckets for [weekFrom, weekTo), which spans whole weeks
 * (Monday 00:00 UTC), so a week is always recomputed from every day of it that is present.
 */
export interface TimeWindow {
  hourFrom: number;
  hourTo: number;
  weekFrom: number;
  weekTo: number;
}

/**
 * A time window plus the block numbers whose timestamps fall inside it (blockFrom > blockTo when
 * none do), so models can restrict tables without a timestamp column by an indexed block range.
 */
export interface ModelWindow extends TimeWindow {
  blockFrom: number;
  blockTo: number;
}

export const GRAINS = ['hourly', 'daily', 'weekly'] as const;
export type Grain = (typeof GRAINS)[number];
/** What the `grain` column of every bucketed table holds for each grain. */
export const GRAIN_BUCKET: Record<Grain, string> = { hourly: 'hour', daily: 'day', weekly: 'week' };

/** `model` writes its own table; the others write rows of the long-form `metrics_data` table. */
export const METRIC_KINDS = ['model', 'counter', 'gauge', 'histogram'] as const;
export type MetricKind = (typeof METRIC_KINDS)[number];
export const METRICS_TABLE = 'metrics_data';

/** After each day's load (the default), or on a Temporal Schedule with a 5-field cron calendar. */
export type MetricSchedule = { kind: 'after-load' } | { kind: 'calendar'; cron: string };

/** A rendered statement and, for each of its lines, the line of the file it came from. */
export interface LocatedStatement {
  section: Section;
  sql: string;
  lines: number[];
}

export interface Model {
  name: string;
  file: string;
  table: string;
  depends: string[];
  kind: MetricKind;
  /** The grains the model's buckets are built for; empty when it has no buckets (per-event or per-day tables). */
  grains: Grain[];
  schedule: MetricSchedule;
  createStatements(dialect: Dialect, schema: string): string[];
  deleteSql(dialect: Dialect, schema: string, window: ModelWindow): string;
  insertSql(dialect: Dialect, schema: string, window: ModelWindow): string;
  /** The insert with the file line of each rendered line, to place a database error in the file. */
  insertStatement(dialect: Dialect, schema: string, window: ModelWindow): LocatedStatement;
  /** Every statement of one run (create, delete, insert), each with its file lines, for `metrics validate`. */
  runStatements(dialect: Dialect, schema: string, window: ModelWindow): LocatedStatement[];
}

const SECTIONS = ['create', 'index', 'delete', 'insert'] as const;
export type Section = (typeof SECTIONS)[number];
interface Line {
  n: number;
  text: string;
}

/** A problem in a model file, located: its message starts with `file:line:`. */
export class ModelFileError extends ConfigurationError {
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    problem: string,
    fix?: string,
    options: { cause?: unknown } = {},
  ) {
    super(`${file}${line ? `:${line}` : ''}: ${problem}`, { ...(fix ? { fix } : {}), ...options });
  }
}

/**
 * A model or metric file: header lines `-- model:`, `-- table:`, `-- depends:` (comma-separated),
 * `-- kind:` (model, counter, gauge, histogram; default model), `-- grains:` (a subset of hourly,
 * daily, weekly; default all three) and `-- schedule:` (`after-load`, the default, or
 * `cron <minute> <hour> <day> <month> <weekday>`), then sections opened by `-- @create`
 * (portable DDL), `-- @index` (PostgreSQL only: Redshift has no indexes), `-- @delete` and
 * `-- @insert`. Counters, gauges and histograms write `metrics_data`: they have no table of their
 * own, so no `@create`, and their `@delete` defaults to their rows in the run's buckets.
 * Placeholders `{{name}}` are filled per run; the values are numbers and fixed SQL fragments,
 * never user text. Macros `{{name(column, ...)}}` expand to the exact-integer expressions of limbSql.ts.
 */
export function parseModel(file: string, text: string): Model {
  const lines = text.split('\n').map((t, i) => ({ n: i + 1, text: t }));
  const headers = readHeaders(file, lines);
  const header = (key: string) => headers.get(key);
  const name = header('model')?.value;
  const kind = parseKind(file, header('kind'));
  const table = header('table')?.value || (kind === 'model' ? undefined : METRICS_TABLE);
  if (!name || `${name}.sql` !== file) {
    throw new ModelFileError(file, header('model')?.n ?? 1, 'lacks a `-- model: <file name>` header', `start ${file} with "-- model: ${file.replace(/\.sql$/, '')}"`);
  }
  if (!table) throw new ModelFileError(file, 1, 'lacks a `-- table:` header', 'name the table it writes with "-- table: <table>"');
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new ModelFileError(file, header('model')?.n, `metric name ${name} is not a lowercase SQL identifier`, 'use lowercase letters, digits and underscores');
  identifier(file, header('table')?.n, table);
  if (kind !== 'model' && table !== METRICS_TABLE) {
    throw new ModelFileError(file, header('table')?.n, `a ${kind} writes ${METRICS_TABLE}, not ${table}`, `drop the \`-- table:\` line or make it "-- kind: model"`);
  }
  if (kind === 'model' && table === METRICS_TABLE) {
    throw new ModelFileError(file, header('table')?.n, `a model writes its own table, not ${METRICS_TABLE}`, `name another table, or declare "-- kind: counter|gauge|histogram"`);
  }
  const depends = (header('depends')?.value ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const sections = splitSections(file, lines, kind);
  const bucketed = usesBuckets(sections);
  const grains = bucketed ? parseGrains(file, header('grains')) : [];
  if (!bucketed && header('grains')) {
    throw new ModelFileError(file, header('grains')?.n, 'declares grains but never uses {{windows}} or {{bucket_filter}}', 'drop the `-- grains:` line, or build the buckets from {{windows}}');
  }
  const schedule = parseSchedule(file, header('schedule'));
  if (kind !== 'model') requireMetricsInsert(file, sections.insert);
  const deleteSection = sections.delete.length > 0 ? sections.delete : defaultMetricDelete(sections.insert[0]?.n ?? 1);

  const vars = (dialect: Dialect, schema: string, window?: ModelWindow): Record<string, string> => {
    const base: Record<string, string> = {
      schema: sqlIdentifier(schema),
      metric: `'${name}'`,
      // Redshift DECIMAL stops at 38 digits: `uint` is for values known to stay below 10^38 (gas,
      // fees, 26-digit limbs); `int_exact` holds any amount, sum or balance (NUMERIC, or its
      // decimal text: up to 89 digits and a sign for sums of up to 10^11 uint256 values).
      uint: uintType(dialect),
      int_exact: dialect === 'postgres' ? 'NUMERIC' : 'VARCHAR(100)',
    };
    return window ? { ...base, ...windowVars(window, grains) } : base;
  };
  const render = (section: Section, source: readonly Line[], dialect: Dialect, v: Record<string, string>) =>
    statements(source).map((statement) => renderStatement(file, section, statement, v, MACROS[dialect]));
  const one = (section: Section, source: readonly Line[], dialect: Dialect, schema: string, window: ModelWindow): LocatedStatement => {
    const list = render(section, source, dialect, vars(dialect, schema, window));
    if (list.length !== 1) throw new ModelFileError(file, source[0]?.n, `must have exactly one statement in "-- @${section}", found ${list.length}`);
    return list[0] as LocatedStatement;
  };
  const create = (dialect: Dialect, schema: string): LocatedStatement[] => {
    const v = vars(dialect, schema);
    return [...render('create', sections.create, dialect, v), ...(dialect === 'postgres' ? render('index', sections.index, dialect, v) : [])];
  };

  return {
    name,
    file,
    table,
    depends,
    kind,
    grains,
    schedule,
    createStatements: (dialect, schema) => create(dialect, schema).map((s) => s.sql),
    deleteSql: (dialect, schema, window) => one('delete', deleteSection, dialect, schema, window).sql,
    insertSql: (dialect, schema, window) => one('insert', sections.insert, dialect, schema, window).sql,
    insertStatement: (dialect, schema, window) => one('insert', sections.insert, dialect, schema, window),
    runStatements: (dialect, schema, window) => [
      ...create(dialect, schema),
      one('delete', deleteSection, dialect, schema, window),
      one('insert', sections.insert, dialect, schema, window),
    ],
  };
}

const HEADER_KEYS = ['model', 'table', 'depends', 'kind', 'grains', 'schedule'] as const;

function readHeaders(file: string, lines: readonly Line[]): Map<string, { n: number; value: string }> {
  const headers = new Map<string, { n: number; value: string }>();
  for (const line of lines) {
    if (/^-- @\w+\s*$/.test(line.text)) break;
    const match = line.text.match(/^-- (\w+):[ \t]*(.*)$/);
    if (!match || !(HEADER_KEYS as readonly string[]).includes(match[1] as string)) continue;
    const key = match[1] as string;
    if (headers.has(key)) throw new ModelFileError(file, line.n, `repeats the \`-- ${key}:\` header`, 'keep one');
    headers.set(key, { n: line.n, value: (match[2] ?? '').trim() });
  }
  return headers;
}

function parseKind(file: string, header: { n: number; value: string } | undefined): MetricKind {
  if (!header) return 'model';
  if ((METRIC_KINDS as readonly string[]).includes(header.value)) return header.value as MetricKind;
  throw new ModelFileError(file, header.n, `unknown kind "${header.value}"`, `use one of ${METRIC_KINDS.join(', ')}`);
}

function parseGrains(file: string, header: { n: number; value: string } | undefined): Grain[] {
  if (!header) return [...GRAINS];
  const listed = header.value.split(',').map((g) => g.trim()).filter(Boolean);
  const unknown = listed.filter((g) => !(GRAINS as readonly string[]).includes(g));
  if (listed.length === 0 || unknown.length > 0) {
    throw new ModelFileError(file, header.n, `unknown grains "${header.value}"`, `list a subset of ${GRAINS.join(', ')}`);
  }
  return GRAINS.filter((g) => listed.includes(g));
}

const CRON_FIELD = /^(\*|\d+(-\d+)?)(\/\d+)?(,(\*|\d+(-\d+)?)(\/\d+)?)*$/;

function parseSchedule(file: string, header: { n: number; value: string } | undefined): MetricSchedule {
  if (!header || header.value === 'after-load') return { kind: 'after-load' };
  const fields = header.value.replace(/^cron\s+/, '').split(/\s+/);
  if (!header.value.startsWith('cron ') || fields.length !== 5 || !fields.every((f) => CRON_FIELD.test(f))) {
    throw new ModelFileError(file, header.n, `schedule "${header.value}" is neither after-load nor a 5-field cron calendar`, 'write "-- schedule: after-load" or e.g. "-- schedule: cron 30 2 * * *" (02:30 UTC daily)');
  }
  return { kind: 'calendar', cron: fields.join(' ') };
}

function identifier(file: string, line: number | undefined, name: string): void {
  try {
    sqlIdentifier(name);
  } catch {
    throw new ModelFileError(file, line, `table ${name} is not a plain SQL identifier`, 'use lowercase letters, digits and underscores');
  }
}

function splitSections(file: string, lines: readonly Line[], kind: MetricKind): Record<Section, Line[]> {
  const result: Record<Section, Line[]> = { create: [], index: [], delete: [], insert: [] };
  let current: Section | undefined;
  for (const line of lines) {
    const marker = line.text.match(/^-- @(\w+)\s*$/)?.[1];
    if (marker !== undefined) {
      if (!(SECTIONS as readonly string[]).includes(marker)) {
        throw new ModelFileError(file, line.n, `unknown section "-- @${marker}"`, `use ${SECTIONS.map((s) => `-- @${s}`).join(', ')}`);
      }
      current = marker as Section;
      continue;
    }
    if (current) result[current].push(line);
  }
  const hasSql = (section: Section) => result[section].some((l) => l.text.trim() && !/^\s*--/.test(l.text));
  const required: Section[] = kind === 'model' ? ['create', 'delete', 'insert'] : ['insert'];
  for (const section of required) {
    if (!hasSql(section)) throw new ModelFileError(file, undefined, `has no "-- @${section}" section`, `add the ${section} statement to ${file}`);
  }
  if (kind !== 'model' && (hasSql('create') || hasSql('index'))) {
    const first = result.create[0] ?? result.index[0];
    throw new ModelFileError(file, first ? first.n - 1 : undefined, `a ${kind} has no table of its own, so no "-- @create" or "-- @index"`, `drop the section, or declare "-- kind: model" and a table`);
  }
  return result;
}

function usesBuckets(sections: Record<Section, Line[]>): boolean {
  return Object.values(sections).some((lines) => lines.some((l) => /\{\{(windows|bucket_filter)\}\}/.test(l.text)));
}

function requireMetricsInsert(file: string, insert: readonly Line[]): void {
  const sql = insert.filter((l) => !/^\s*--/.test(l.text)).map((l) => l.text).join('\n');
  if (!/^\s*INSERT\s+INTO\s+\{\{schema\}\}\.metrics_data\s*\(/i.test(sql) || !sql.includes('{{metric}}')) {
    throw new ModelFileError(file, insert[0]?.n, `the insert of a counter, gauge or histogram must be "INSERT INTO {{schema}}.${METRICS_TABLE} (...)" and write {{metric}} as the metric name`, `see src/warehouse/models/active_addresses.sql`);
  }
}

/** Replaces the metric's rows in the run's buckets; line numbers point at the insert, the nearest real line. */
function defaultMetricDelete(n: number): Line[] {
  return [{ n, text: `DELETE FROM {{schema}}.${METRICS_TABLE} WHERE metric = {{metric}} AND {{bucket_filter}};` }];
}

/** Statements of a section: split after lines ending in `;`, comment-only lines dropped, file lines kept. */
function statements(section: readonly Line[]): Line[][] {
  const list: Line[][] = [];
  let current: Line[] = [];
  for (const line of section) {
    if (/^\s*--/.test(line.text) || (!line.text.trim() && current.length === 0)) continue;
    if (/;\s*$/.test(line.text)) {
      current.push({ n: line.n, text: line.text.replace(/;\s*$/, '') });
      list.push(current);
      current = [];
    } else {
      current.push(line);
    }
  }
  if (current.some((l) => l.text.trim())) list.push(current);
  return list.map((s) => trimBlank(s)).filter((s) => s.length > 0);
}

function trimBlank(lines: Line[]): Line[] {
  let end = lines.length;
  while (end > 0 && !lines[end - 1]?.text.trim()) end -= 1;
  return lines.slice(0, end);
}

function windowVars(window: ModelWindow, grains: readonly Grain[]): Record<string, string> {
  const n = (v: number) => {
    if (!Number.isSafeInteger(v)) throw new ConfigurationError(`Model window bound ${v} is not an integer`);
    return String(v);
  };
  const ts = (v: number) => `TIMESTAMP '${new Date(v * 1000).toISOString().slice(0, 19).replace('T', ' ')}'`;
  const rows = {
    hourly: ['hour', 3600, 0, window.hourFrom, window.hourTo],
    daily: ['day', 86400, 0, window.hourFrom, window.hourTo],
    // 1970-01-05 (345600 s after the epoch) was a Monday: weeks start on Mondays, as DATE_TRUNC('week') does.
    weekly: ['week', 604800, 345600, window.weekFrom, window.weekTo],
  } as const;
  const used = grains.length > 0 ? grains : GRAINS;
  const windowRows = used.map((grain, i) => {
    const [label, step, offset, from, to] = rows[grain];
    return i === 0
      ? `  SELECT CAST('${label}' AS VARCHAR(8)) AS grain, CAST(${step} AS BIGINT) AS step, CAST(${offset} AS BIGINT) AS offset_s, CAST(${n(from)} AS BIGINT) AS from_s, CAST(${n(to)} AS BIGINT) AS to_s`
      : `  UNION ALL SELECT '${label}', ${step}, ${offset}, ${n(from)}, ${n(to)}`;
  });
  const dayGrains = used.filter((g) => g !== 'weekly').map((g) => `'${GRAIN_BUCKET[g]}'`);
  const filters = [
    ...(dayGrains.length > 0 ? [`(grain IN (${dayGrains.join(', ')}) AND bucket_start >= ${ts(window.hourFrom)} AND bucket_start < ${ts(window.hourTo)})`] : []),
    ...(used.includes('weekly') ? [`(grain = 'week' AND bucket_start >= ${ts(window.weekFrom)} AND bucket_start < ${ts(window.weekTo)})`] : []),
  ];
  return {
    hour_from: n(window.hourFrom),
    hour_to: n(window.hourTo),
    week_from: n(window.weekFrom),
    // The whole span any grain reads: a plain range predicate the planner can serve from an index.
    scan_from: n(Math.min(window.hourFrom, window.weekFrom)),
    scan_to: n(Math.max(window.hourTo, window.weekTo)),
    week_to: n(window.weekTo),
    block_from: n(window.blockFrom),
    block_to: n(window.blockTo),
    windows: ['windows AS (', ...windowRows, ')'].join('\n'),
    bucket_filter: `(${filters.join(' OR ')})`,
  };
}

function uintType(dialect: Dialect): string {
  return dialect === 'postgres' ? 'NUMERIC' : 'DECIMAL(38,0)';
}

type Macros = ReturnType<typeof limbMacros>;

const MACROS: Record<Dialect, Macros> = { postgres: limbMacros(uintType('postgres')), redshift: limbMacros(uintType('redshift')) };

/** Renders line by line (no placeholder spans lines), so every rendered line knows its file line. */
function renderStatement(file: string, section: Section, source: readonly Line[], vars: Record<string, string>, macros: Macros): LocatedStatement {
  const out: string[] = [];
  const lines: number[] = [];
  for (const line of source) {
    const rendered = line.text.replace(/\{\{(\w+)(?:\(([^)]*)\))?\}\}/g, (_match, key: string, argList: string | undefined) => {
      if (argList !== undefined) return expandMacro(file, line.n, key, argList, macros);
      const value = vars[key];
      if (value === undefined) {
        throw new ModelFileError(file, line.n, `uses unknown placeholder {{${key}}}`, `use one of ${Object.keys(vars).map((k) => `{{${k}}}`).join(', ')}`);
      }
      return value;
    });
    for (const part of rendered.split('\n')) {
      out.push(part);
      lines.push(line.n);
    }
  }
  return { section, sql: out.join('\n'), lines };
}

function expandMacro(file: string, line: number, name: string, argList: string, macros: Macros): string {
  const macro = macros[name];
  const args = argList.split(',').map((a) => a.trim());
  if (!macro) {
    throw new ModelFileError(file, line, `uses unknown macro {{${name}(...)}}`, `use one of ${Object.keys(macros).map((k) => `{{${k}(...)}}`).join(', ')}`);
  }
  if (args.length !== macro.arity || !args.every((a) => /^[A-Za-z_][\w.]*$/.test(a))) {
    throw new ModelFileError(file, line, `{{${name}(${argList})}} needs ${macro.arity} column name(s)`, 'compute the value as a column in an earlier CTE and pass its name: macros repeat their arguments inline');
  }
  return macro.expand(args);
}

/** The file line a database error points at: its `position` (PostgreSQL's, 1-based), else the statement's first line. */
export function errorLine(statement: LocatedStatement, error: unknown): number | undefined {
  const offset = Number((error as { position?: unknown }).position);
  return Number.isFinite(offset) && offset > 0 ? lineAtOffset(statement, offset) : statement.lines[0];
}

/** The file line of a character offset into a located statement (PostgreSQL's error `position` is 1-based). */
export function lineAtOffset(statement: LocatedStatement, offset: number): number | undefined {
  let seen = 0;
  const rendered = statement.sql.split('\n');
  for (let i = 0; i < rendered.length; i += 1) {
    seen += (rendered[i]?.length ?? 0) + 1;
    if (offset <= seen) return statement.lines[i];
  }
  return statement.lines.at(-1);
}
