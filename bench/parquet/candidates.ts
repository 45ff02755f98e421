import { createRequire } from 'node:module';
import { closeSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Column } from '../../src/chain/columnTypes.js';
import { listElementType } from '../../src/chain/columnTypes.js';
import type { Cell, Row } from '../../src/chain/rows.js';
import { csvCell } from '../../src/lake/format/csvCell.js';

/**
 * One Parquet writer library under test, behind the same call: write these rows with this
 * schema into this file, one row group per `groupRows` rows, snappy or zstd, a fixed
 * created_by. Each reports how many bytes reached the file before the last row group was
 * handed over: a writer that streams row groups has written nearly all of them by then.
 */
export interface Candidate {
  name: string;
  /** The npm packages it needs, pinned as benchmarked. */
  packages: readonly string[];
  write(file: string, columns: readonly Column[], rows: Iterable<Row>, groupRows: number): Promise<WriteReport>;
}

export interface WriteReport {
  rows: number;
  /** Bytes in the file when the writer was told the rows had ended. */
  bytesBeforeFinish: number;
}

export const CREATED_BY = 'ledgerflow bench';

/** Packages are loaded from `dir`'s node_modules, so candidates need not be project dependencies. */
export function candidates(dir: string): Candidate[] {
  const load = async <T>(specifier: string): Promise<T> => {
    const resolved = createRequire(path.join(dir, 'package.json')).resolve(specifier);
    return (await import(pathToFileURL(resolved).href)) as T;
  };
  return [hyparquetWriter(load), parquetWasm(load), dsnpParquetjs(load)];
}

type Loader = <T>(specifier: string) => Promise<T>;

/** The value a typed writer gets for a cell: integers as bigint, amounts as decimal text. */
function logicalValue(column: Column, cell: Cell | undefined): unknown {
  if (cell === null || cell === undefined) return null;
  const element = listElementType(column.type);
  if (element) return (cell as readonly Cell[]).map((item) => csvCell(item));
  switch (column.type) {
    case 'int64':
    case 'timestamp':
      return typeof cell === 'bigint' ? cell : BigInt(cell as number);
    case 'bool':
      return cell === true;
    default:
      return csvCell(cell);
  }
}

function* groups(rows: Iterable<Row>, size: number): Generator<Row[]> {
  let group: Row[] = [];
  for (const row of rows) {
    group.push(row);
    if (group.length === size) {
      yield group;
      group = [];
    }
  }
  if (group.length > 0) yield group;
}

/** Appends to a file, counting bytes. */
class CountingFile {
  private readonly fd: number;
  bytes = 0;
  constructor(file: string) {
    this.fd = openSync(file, 'w');
  }
  write(bytes: Uint8Array): void {
    writeSync(this.fd, bytes);
    this.bytes += bytes.length;
  }
  close(): void {
    closeSync(this.fd);
  }
}

// ---- hyparquet-writer: pure JavaScript, row groups written as they are given ----

interface HyparquetWriterModule {
  ByteWriter: new () => HyWriter;
  ParquetWriter: new (options: object) => { write(options: object): void | Promise<void>; finish(): void | Promise<void> };
}
interface HyWriter {
  buffer: ArrayBuffer;
  index: number;
  offset: number;
  flush?: () => void;
  finish: () => void;
}

function hyparquetWriter(load: Loader): Candidate {
  return {
    name: 'hyparquet-writer',
    packages: ['hyparquet-writer@0.17.0'],
    async write(file, columns, rows, groupRows) {
      const { ByteWriter, ParquetWriter } = await load<HyparquetWriterModule>('hyparquet-writer');
      const out = new CountingFile(file);
      const writer = new ByteWriter();
      const drain = () => {
        out.write(new Uint8Array(writer.buffer, 0, writer.index));
        writer.index = 0;
      };
      writer.flush = drain;
      writer.finish = drain;
      const schema = [{ name: 'root', num_children: columns.length }, ...columns.flatMap(hyparquetElements)];
      const parquet = new ParquetWriter({ writer, schema, codec: 'SNAPPY', createdBy: CREATED_BY });
      let count = 0;
      for (const group of groups(rows, groupRows)) {
        count += group.length;
        await parquet.write({ columnData: columns.map((c) => ({ name: c.name, data: group.map((r) => logicalValue(c, r[c.name])) })), rowGroupSize: groupRows });
      }
      const bytesBeforeFinish = out.bytes;
      await parquet.finish();
      out.close();
      return { rows: count, bytesBeforeFinish };
    },
  };
}

function hyparquetElements(column: Column): object[] {
  const repetition_type = column.nullable ? 'OPTIONAL' : 'REQUIRED';
  if (listElementType(column.type)) {
    return [
      { name: column.name, repetition_type, converted_type: 'LIST', num_children: 1 },
      { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
      { name: 'element', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' },
    ];
  }
  if (column.type === 'int64') return [{ name: column.name, type: 'INT64', repetition_type }];
  if (column.type === 'timestamp') return [{ name: column.name, type: 'INT64', repetition_type, logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' } }];
  if (column.type === 'bool') return [{ name: column.name, type: 'BOOLEAN', repetition_type }];
  return [{ name: column.name, type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type }];
}

// ---- parquet-wasm with apache-arrow: Rust's parquet crate in WebAssembly, fed Arrow batches ----

interface ArrowModule {
  vectorFromArray(values: unknown[], type: unknown): unknown;
  Table: new (columns: Record<string, unknown>) => unknown;
  tableToIPC(table: unknown, format: 'stream'): Uint8Array;
  Utf8: new () => unknown;
  Int64: new () => unknown;
  Bool: new () => unknown;
  TimestampMillisecond: new (timezone?: string) => unknown;
  List: new (field: unknown) => unknown;
  Field: new (name: string, type: unknown, nullable: boolean) => unknown;
}
interface WasmBuilder {
  setCompression(value: number): WasmBuilder;
  setCreatedBy(value: string): WasmBuilder;
  setMaxRowGroupSize(value: number): WasmBuilder;
  build(): unknown;
}
interface ParquetWasmModule {
  Table: { fromIPCStream(bytes: Uint8Array): { recordBatches(): unknown[] } };
  WriterPropertiesBuilder: new () => WasmBuilder;
  Compression: Record<string, number>;
  transformParquetStream(stream: ReadableStream, properties: unknown): Promise<ReadableStream<Uint8Array>>;
}

function parquetWasm(load: Loader): Candidate {
  return {
    name: 'parquet-wasm + apache-arrow',
    packages: ['parquet-wasm@0.8.0', 'apache-arrow@21.2.0'],
    async write(file, columns, rows, groupRows) {
      const arrow = await load<ArrowModule>('apache-arrow');
      const wasm = await load<ParquetWasmModule>('parquet-wasm');
      const out = new CountingFile(file);
      const types = columns.map((c) => arrowType(arrow, c));
      const batches = groups(rows, groupRows);
      let count = 0;
      let lastHandedOver = false;
      let bytesBeforeFinish = 0;
      const input = new ReadableStream({
        pull(controller) {
          const next = batches.next();
          if (next.done) {
            lastHandedOver = true;
            controller.close();
            return;
          }
          count += next.value.length;
          const vectors: Record<string, unknown> = {};
          columns.forEach((c, i) => {
            vectors[c.name] = arrow.vectorFromArray(next.value.map((r) => jsForArrow(c, r[c.name])), types[i]);
          });
          const ipc = arrow.tableToIPC(new arrow.Table(vectors), 'stream');
          for (const batch of wasm.Table.fromIPCStream(ipc).recordBatches()) controller.enqueue(batch);
        },
      });
      const properties = new wasm.WriterPropertiesBuilder()
        .setCompression(wasm.Compression.SNAPPY as number)
        .setCreatedBy(CREATED_BY)
        .setMaxRowGroupSize(groupRows)
        .build();
      const output = await wasm.transformParquetStream(input, properties);
      for await (const chunk of output as unknown as AsyncIterable<Uint8Array>) {
        if (lastHandedOver && bytesBeforeFinish === 0) bytesBeforeFinish = out.bytes;
        out.write(chunk);
      }
      out.close();
      return { rows: count, bytesBeforeFinish };
    },
  };
}

function arrowType(arrow: ArrowModule, column: Column): unknown {
  if (listElementType(column.type)) return new arrow.List(new arrow.Field('element', new arrow.Utf8(), false));
  if (column.type === 'int64') return new arrow.Int64();
  if (column.type === 'timestamp') return new arrow.TimestampMillisecond('UTC');
  if (column.type === 'bool') return new arrow.Bool();
  return new arrow.Utf8();
}

function jsForArrow(column: Column, cell: Cell | undefined): unknown {
  const value = logicalValue(column, cell);
  // Arrow JS takes timestamps as milliseconds in a number.
  if (column.type === 'timestamp' && typeof value === 'bigint') return Number(value) * 1000;
  return value;
}

// ---- @dsnp/parquetjs: pure JavaScript, row by row ----

interface ParquetjsModule {
  ParquetSchema: new (fields: Record<string, object>) => unknown;
  ParquetWriter: { openStream(schema: unknown, stream: { write(chunk: Uint8Array, cb?: () => void): boolean; end(cb?: () => void): void }, options: object): Promise<{ appendRow(row: object): Promise<void>; close(): Promise<void> }> };
}

function dsnpParquetjs(load: Loader): Candidate {
  return {
    // 1.8.9 and 1.9.x need Node 24; 1.8.7 is the last release for Node 20 (1.9.3 ships without dist/).
    name: '@dsnp/parquetjs',
    packages: ['@dsnp/parquetjs@1.8.7'],
    async write(file, columns, rows, groupRows) {
      const parquetjs = await load<ParquetjsModule>('@dsnp/parquetjs');
      const out = new CountingFile(file);
      const fields: Record<string, object> = {};
      for (const c of columns) fields[c.name] = parquetjsField(c);
      const sink = {
        write(chunk: Uint8Array, cb?: () => void) {
          out.write(chunk);
          cb?.();
          return true;
        },
        end(cb?: () => void) {
          cb?.();
        },
      };
      const writer = await parquetjs.ParquetWriter.openStream(new parquetjs.ParquetSchema(fields), sink, { rowGroupSize: groupRows });
      let count = 0;
      for (const row of rows) {
        const record: Record<string, unknown> = {};
        for (const c of columns) {
          const value = logicalValue(c, row[c.name]);
          if (value !== null) record[c.name] = c.type === 'timestamp' ? Number(value) * 1000 : value;
        }
        await writer.appendRow(record);
        count++;
      }
      const bytesBeforeFinish = out.bytes;
      await writer.close();
      out.close();
      return { rows: count, bytesBeforeFinish };
    },
  };
}

function parquetjsField(column: Column): object {
  const optional = column.nullable;
  if (listElementType(column.type)) return { type: 'UTF8', repeated: true, compression: 'SNAPPY' };
  const type = column.type === 'int64' ? 'INT64' : column.type === 'timestamp' ? 'TIMESTAMP_MILLIS' : column.type === 'bool' ? 'BOOLEAN' : 'UTF8';
  return { type, optional, compression: 'SNAPPY' };
}
