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

export interface Model {
  name: string;
  file: string;
  table: string;
  depends: string[];
  createStatements(dialect: Dialect, schema: string): string[];
  deleteSql(dialect: Dialect, schema: string, window: ModelWindow): string;
  insertSql(dialect: Dialect, schema: string, window: ModelWindow): string;
}

const SECTIONS = ['create', 'index', 'delete', 'insert'] as const;
type Section = (typeof SECTIONS)[number];

/**
 * A model file: header lines `-- model:`, `-- table:`, `-- depends:` (comma-separated), then
 * sections opened by `-- @create` (portable DDL), `-- @index` (PostgreSQL only: Redshift has no
 * indexes), `-- @delete` and `-- @insert`. Placeholders `{{name}}` are filled per run; the
 * values are numbers and fixed SQL fragments, never user text. Macros `{{name(column, ...)}}`
 * expand to the exact-integer expressions of limbSql.ts.
 */
export function parseModel(file: string, text: string): Model {
  const header = (key: string) => text.match(new RegExp(`^-- ${key}:[ \\t]*(.*)$`, 'm'))?.[1]?.trim();
  const name = header('model');
  const table = header('table');
  if (!name || !table || `${name}.sql` !== file) {
    throw new ConfigurationError(`Model file ${file} lacks a \`-- model: <file name>\` or \`-- table:\` header`, {
      fix: `start ${file} with "-- model: ${file.replace(/\.sql$/, '')}" and "-- table: <table>"`,
    });
  }
  sqlIdentifier(table);
  const depends = (header('depends') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const sections = splitSections(file, text);

  const vars = (dialect: Dialect, schema: string, window?: ModelWindow): Record<string, string> => {
    const base: Record<string, string> = {
      schema: sqlIdentifier(schema),
      // Redshift DECIMAL stops at 38 digits: `uint` is for values known to stay below 10^38 (gas,
      // fees, 26-digit limbs); `int_exact` holds any amount, sum or balance (NUMERIC, or its
      // decimal text: up to 89 digits and a sign for sums of up to 10^11 uint256 values).
      uint: uintType(dialect),
      int_exact: dialect === 'postgres' ? 'NUMERIC' : 'VARCHAR(100)',
    };
    if (!window) return base;
    const n = (v: number) => {
      if (!Number.isSafeInteger(v)) throw new ConfigurationError(`Model window bound ${v} is not an integer`);
      return String(v);
    };
    const ts = (v: number) => `TIMESTAMP '${new Date(v * 1000).toISOString().slice(0, 19).replace('T', ' ')}'`;
    return {
      ...base,
      hour_from: n(window.hourFrom),
      hour_to: n(window.hourTo),
      week_from: n(window.weekFrom),
      // The whole span any grain reads: a plain range predicate the planner can serve from an index.
      scan_from: n(Math.min(window.hourFrom, window.weekFrom)),
      scan_to: n(Math.max(window.hourTo, window.weekTo)),
      week_to: n(window.weekTo),
      block_from: n(window.blockFrom),
      block_to: n(window.blockTo),
      windows: [
        'windows AS (',
        `  SELECT CAST('hour' AS VARCHAR(8)) AS grain, CAST(3600 AS BIGINT) AS step, CAST(0 AS BIGINT) AS offset_s, CAST(${n(window.hourFrom)} AS BIGINT) AS from_s, CAST(${n(window.hourTo)} AS BIGINT) AS to_s`,
        `  UNION ALL SELECT 'day', 86400, 0, ${n(window.hourFrom)}, ${n(window.hourTo)}`,
        // 1970-01-05 (345600 s after the epoch) was a Monday: weeks start on Mondays, as DATE_TRUNC('week') does.
        `  UNION ALL SELECT 'week', 604800, 345600, ${n(window.weekFrom)}, ${n(window.weekTo)}`,
        ')',
      ].join('\n'),
      bucket_filter:
        `((grain IN ('hour', 'day') AND bucket_start >= ${ts(window.hourFrom)} AND bucket_start < ${ts(window.hourTo)})` +
        ` OR (grain = 'week' AND bucket_start >= ${ts(window.weekFrom)} AND bucket_start < ${ts(window.weekTo)}))`,
    };
  };

  return {
    name,
    file,
    table,
    depends,
    createStatements(dialect, schema) {
      const v = vars(dialect, schema);
      const create = statements(sections.create).map((s) => render(file, s, v, MACROS[dialect]));
      return dialect === 'postgres' ? [...create, ...statements(sections.index).map((s) => render(file, s, v, MACROS[dialect]))] : create;
    },
    deleteSql: (dialect, schema, window) => render(file, single(file, 'delete', sections.delete), vars(dialect, schema, window), MACROS[dialect]),
    insertSql: (dialect, schema, window) => render(file, single(file, 'insert', sections.insert), vars(dialect, schema, window), MACROS[dialect]),
  };
}

function splitSections(file: string, text: string): Record<Section, string> {
  const result: Record<Section, string> = { create: '', index: '', delete: '', insert: '' };
  let current: Section | undefined;
  for (const line of text.split('\n')) {
    const marker = line.match(/^-- @(\w+)\s*$/)?.[1];
    if (marker !== undefined) {
      if (!(SECTIONS as readonly string[]).includes(marker)) {
        throw new ConfigurationError(`Model file ${file} has an unknown section "-- @${marker}"`, { fix: `use ${SECTIONS.map((s) => `-- @${s}`).join(', ')}` });
      }
      current = marker as Section;
      continue;
    }
    if (current) result[current] += `${line}\n`;
  }
  for (const required of ['create', 'delete', 'insert'] as const) {
    if (!result[required].trim()) {
      throw new ConfigurationError(`Model file ${file} has no "-- @${required}" section`, { fix: `add the ${required} statement to ${file}` });
    }
  }
  return result;
}

function statements(section: string): string[] {
  return section
    .split(/;\s*$/m)
    .map((s) => s.replace(/^\s*--.*$/gm, '').trim())
    .filter(Boolean);
}

function single(file: string, section: Section, text: string): string {
  const list = statements(text);
  if (list.length !== 1) {
    throw new ConfigurationError(`Model file ${file} must have exactly one statement in "-- @${section}", found ${list.length}`);
  }
  return list[0] as string;
}

function uintType(dialect: Dialect): string {
  return dialect === 'postgres' ? 'NUMERIC' : 'DECIMAL(38,0)';
}

type Macros = ReturnType<typeof limbMacros>;

const MACROS: Record<Dialect, Macros> = { postgres: limbMacros(uintType('postgres')), redshift: limbMacros(uintType('redshift')) };

function render(file: string, sql: string, vars: Record<string, string>, macros: Macros): string {
  return sql.replace(/\{\{(\w+)(?:\(([^)]*)\))?\}\}/g, (_match, key: string, argList: string | undefined) => {
    if (argList !== undefined) return expandMacro(file, key, argList, macros);
    const value = vars[key];
    if (value === undefined) {
      throw new ConfigurationError(`Model file ${file} uses unknown placeholder {{${key}}}`, {
        fix: `use one of ${Object.keys(vars).map((k) => `{{${k}}}`).join(', ')}`,
      });
    }
    return value;
  });
}

function expandMacro(file: string, name: string, argList: string, macros: Macros): string {
  const macro = macros[name];
  const args = argList.split(',').map((a) => a.trim());
  if (!macro) {
    throw new ConfigurationError(`Model file ${file} uses unknown macro {{${name}(...)}}`, {
      fix: `use one of ${Object.keys(macros).map((k) => `{{${k}(...)}}`).join(', ')}`,
    });
  }
  if (args.length !== macro.arity || !args.every((a) => /^[A-Za-z_][\w.]*$/.test(a))) {
    throw new ConfigurationError(`Model file ${file}: {{${name}(${argList})}} needs ${macro.arity} column name(s)`, {
      fix: 'compute the value as a column in an earlier CTE and pass its name: macros repeat their arguments inline',
    });
  }
  return macro.expand(args);
}
