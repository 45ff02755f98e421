import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/**
 * A Parquet file's row count, read from its footer (FileMetaData, Thrift compact protocol, field 3
 * `num_rows`) without a Parquet library: enough to count cryo's rows the way CSV rows are counted.
 */
export function parquetRowCount(file: string): number {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    const tail = Buffer.alloc(8);
    readSync(fd, tail, 0, 8, size - 8);
    if (tail.toString('latin1', 4) !== 'PAR1') throw new Error(`${file} is not a Parquet file`);
    const footerLength = tail.readUInt32LE(0);
    const footer = Buffer.alloc(footerLength);
    readSync(fd, footer, 0, footerLength, size - 8 - footerLength);
    return numRows(footer);
  } finally {
    closeSync(fd);
  }
}

function numRows(buf: Buffer): number {
  let pos = 0;
  const varint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const byte = buf[pos++] as number;
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7n;
    }
  };
  const zigzag = (n: bigint) => (n >> 1n) ^ -(n & 1n);
  // Skips one value of a compact-protocol type (ids from the Thrift compact spec).
  const skip = (type: number): void => {
    if (type === 1 || type === 2) return; // booleans live in the field header
    if (type === 3) pos += 1;
    else if (type >= 4 && type <= 6) varint();
    else if (type === 7) pos += 8;
    else if (type === 8) {
      const length = Number(varint()); // read first: `pos += varint()` would add to the old pos
      pos += length;
    }
    else if (type === 9 || type === 10) {
      const header = buf[pos++] as number;
      const count = header >> 4 === 15 ? Number(varint()) : header >> 4;
      for (let i = 0; i < count; i++) skip(header & 0x0f);
    } else if (type === 11) {
      const count = Number(varint());
      if (count > 0) {
        const kinds = buf[pos++] as number;
        for (let i = 0; i < count; i++) {
          skip(kinds >> 4);
          skip(kinds & 0x0f);
        }
      }
    } else if (type === 12) skipStruct();
    else throw new Error(`unknown Thrift compact type ${type} in a Parquet footer`);
  };
  const skipStruct = (): void => {
    for (;;) {
      const header = buf[pos++] as number;
      if (header === 0) return;
      if (header >> 4 === 0) varint(); // long form: field id follows as a zigzag varint
      skip(header & 0x0f);
    }
  };
  let field = 0;
  for (;;) {
    const header = buf[pos++] as number;
    if (header === 0) break;
    field = header >> 4 === 0 ? Number(zigzag(varint())) : field + (header >> 4);
    const type = header & 0x0f;
    if (field === 3 && type === 6) return Number(zigzag(varint()));
    skip(type);
  }
  throw new Error('Parquet footer has no num_rows');
}
