import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { createHash, randomBytes } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3Client } from '../../../src/lake/createS3Client.js';
import { createHashingLakeSink } from '../../../src/lake/hashingLakeSink.js';
import { createS3LakeSink } from '../../../src/lake/s3LakeSink.js';
import { LakeObjectError } from '../../../src/lake/errors.js';
import { isRetryable } from '../../../src/errors/LedgerflowError.js';
import type { Row } from '../../../src/lake/format/types.js';
import { startS3rver, type RunningS3rver } from '../../support/s3rver.js';

const columns = ['number', 'hash', 'value'];
const rowsOf = (n: number): Row[] =>
  Array.from({ length: n }, (_, i) => ({ number: i, hash: `0x${i.toString(16).padStart(64, '0')}`, value: 10n ** 30n + BigInt(i) }));

let server: RunningS3rver;
let s3: S3Client;

beforeAll(async () => {
  server = await startS3rver();
  s3 = createS3Client({ endpoint: server.endpoint, credentials: server.credentials });
});
afterAll(async () => {
  s3?.destroy();
  await server?.stop();
});

async function getBytes(key: string): Promise<Buffer> {
  const response = await s3.send(new GetObjectCommand({ Bucket: server.bucket, Key: key }));
  return Buffer.from(await response.Body!.transformToByteArray());
}

async function writeAll(key: string, rows: Row[], partSize?: number) {
  const sink = createS3LakeSink({ s3, bucket: server.bucket, key, format: 'csv', entity: 'blocks', columns, partSize });
  for (const row of rows) await sink.write(row);
  return sink.close();
}

describe('createS3LakeSink', () => {
  it('uploads a gzip object whose digest, size and rows match what it reports', async () => {
    const result = await writeAll('t/a.csv.gz', rowsOf(3));
    const bytes = await getBytes('t/a.csv.gz');
    expect(result.bytes).toBe(bytes.length);
    expect(result.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(result.rows).toBe(3);
    expect(result.location).toBe(`s3://${server.bucket}/t/a.csv.gz`);
    const text = gunzipSync(bytes).toString('utf8');
    expect(text.split('\n')[0]).toBe('number,hash,value');
    expect(text.split('\n')[3]).toBe(`2,0x${'2'.padStart(64, '0')},1000000000000000000000000000002`);
    expect(result.contentSha256).toBe(createHash('sha256').update(text).digest('hex'));
  });

  it('writes the same bytes twice, with mtime 0 and a platform-neutral OS byte', async () => {
    const first = await writeAll('t/b1.csv.gz', rowsOf(500));
    const second = await writeAll('t/b2.csv.gz', rowsOf(500));
    expect(second.sha256).toBe(first.sha256);
    const bytes = await getBytes('t/b1.csv.gz');
    expect([...bytes.subarray(0, 10)]).toEqual([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);
  });

  it('writes a header-only object for an entity without rows', async () => {
    const result = await writeAll('t/empty.csv.gz', []);
    expect(result.rows).toBe(0);
    expect(gunzipSync(await getBytes('t/empty.csv.gz')).toString('utf8')).toBe('number,hash,value\n');
  });

  it('hashes exactly what it uploads when the object spans several multipart parts', async () => {
    // Random-looking hex compresses poorly, so 80k rows make well over one 5 MiB part.
    const rows: Row[] = Array.from({ length: 80_000 }, (_, i) => ({
      number: i,
      hash: createHash('sha256').update(String(i)).digest('hex'),
      value: createHash('sha256').update(`v${i}`).digest('hex'),
    }));
    const result = await writeAll('t/large.csv.gz', rows);
    expect(result.bytes).toBeGreaterThan(5 * 1024 * 1024);
    const bytes = await getBytes('t/large.csv.gz');
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(result.sha256);
    const hashing = createHashingLakeSink({ key: 'k', location: 'nowhere', format: 'csv', entity: 'blocks', columns });
    for (const row of rows) await hashing.write(row);
    expect((await hashing.close()).sha256).toBe(result.sha256);
  });

  it('leaves no object under the key after abort', async () => {
    const sink = createS3LakeSink({ s3, bucket: server.bucket, key: 't/aborted.csv.gz', format: 'csv', entity: 'blocks', columns });
    for (const row of rowsOf(100)) await sink.write(row);
    await sink.abort(new Error('export failed'));
    await expect(s3.send(new HeadObjectCommand({ Bucket: server.bucket, Key: 't/aborted.csv.gz' }))).rejects.toMatchObject({ name: 'NotFound' });
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: server.bucket, Prefix: 't/aborted' }));
    expect(listed.KeyCount ?? 0).toBe(0);
  });

  it('fails a write instead of hanging when a large upload is refused mid-stream', async () => {
    const sink = createS3LakeSink({ s3, bucket: 'no-such-bucket', key: 't/big.csv.gz', format: 'csv', entity: 'blocks', columns, queueSize: 1 });
    // ~1 KiB of incompressible gzip per row: the refusal arrives after a few MiB, well before the end.
    const noise = randomBytes(512 * 1024).toString('hex');
    const writeAllRows = async () => {
      for (let i = 0; i < 100_000; i++) await sink.write({ number: i, hash: noise.slice((i * 2048) % (noise.length - 2048), ((i * 2048) % (noise.length - 2048)) + 2048), value: String(i) });
    };
    await expect(writeAllRows()).rejects.toThrow(/Could not write s3:\/\/no-such-bucket\/t\/big\.csv\.gz/);
    await sink.abort();
  });

  it('fails with the key in the message when the bucket does not exist', async () => {
    const sink = createS3LakeSink({ s3, bucket: 'no-such-bucket', key: 't/x.csv.gz', format: 'csv', entity: 'blocks', columns });
    await sink.write(rowsOf(1)[0]!);
    const error = await sink.close().then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(LakeObjectError);
    expect((error as LakeObjectError).message).toMatch(/^Could not upload s3:\/\/no-such-bucket\/t\/x\.csv\.gz: /);
    // A missing bucket is configuration: Temporal should not retry it.
    expect(isRetryable(error)).toBe(false);
  });
});
