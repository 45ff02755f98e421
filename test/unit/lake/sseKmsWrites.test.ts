import { CopyObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { configFromEnv } from '../../../src/config.js';
import { ConfigurationError } from '../../../src/errors/LedgerflowError.js';
import { putOnce } from '../../../src/lake/conditionalPut.js';
import { createS3Client } from '../../../src/lake/createS3Client.js';
import { lakeFromConfig } from '../../../src/lake/lakeFromConfig.js';
import { createS3LakeSink } from '../../../src/lake/s3LakeSink.js';

// A loopback HTTP server fakes AWS S3: it answers PutObject, the multipart calls, CopyObject and
// GetObject (404, so putOnce writes) just well enough for the SDK, and records each request's
// method, query and headers. What it checks is what AWS would see on the wire.
const KEY_ARN = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';

interface Recorded {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
}

let server: Server;
let endpoint: string;
const requests: Recorded[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    req.on('data', () => undefined);
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
      const query = new URL(req.url ?? '/', 'http://x').searchParams;
      res.setHeader('x-amz-request-id', 'fake');
      if (req.method === 'GET') {
        res.writeHead(404, { 'content-type': 'application/xml' }).end('<Error><Code>NoSuchKey</Code><Message>none</Message></Error>');
      } else if (req.method === 'POST' && query.has('uploads')) {
        res.writeHead(200, { 'content-type': 'application/xml' }).end('<InitiateMultipartUploadResult><Bucket>lake</Bucket><Key>k</Key><UploadId>u1</UploadId></InitiateMultipartUploadResult>');
      } else if (req.method === 'POST' && query.has('uploadId')) {
        res.writeHead(200, { 'content-type': 'application/xml' }).end('<CompleteMultipartUploadResult><Bucket>lake</Bucket><Key>k</Key><ETag>"e"</ETag></CompleteMultipartUploadResult>');
      } else if (req.method === 'PUT' && req.headers['x-amz-copy-source']) {
        res.writeHead(200, { 'content-type': 'application/xml' }).end('<CopyObjectResult><ETag>"e"</ETag></CopyObjectResult>');
      } else {
        res.writeHead(200, { etag: '"e"' }).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
afterEach(() => void requests.splice(0));

function client(kmsKeyId?: string): S3Client {
  return createS3Client({ endpoint, credentials: { accessKeyId: 'fake', secretAccessKey: 'fake' }, maxAttempts: 1, ...(kmsKeyId ? { kmsKeyId } : {}) });
}

const sse = (r: Recorded) => ({
  algorithm: r.headers['x-amz-server-side-encryption'],
  key: r.headers['x-amz-server-side-encryption-aws-kms-key-id'],
});

/** Writes through every lake write path: the chunk sink (single PUT), a multipart Upload, the sealer's putOnce, a copy. */
async function writeEverything(s3: S3Client): Promise<void> {
  const sink = createS3LakeSink({ s3, bucket: 'lake', key: 'ledgerflow/chunk.csv.gz', format: 'csv', entity: 'blocks', columns: ['a'] });
  await sink.write({ a: 1 });
  await sink.close();
  // Just over the 5 MiB part minimum: CreateMultipartUpload, two UploadParts, CompleteMultipartUpload.
  await new Upload({ client: s3, params: { Bucket: 'lake', Key: 'ledgerflow/big.csv.gz', Body: randomBytes(5 * 1024 * 1024 + 1) }, partSize: 5 * 1024 * 1024 }).done();
  await putOnce({ s3, lake: { bucket: 'lake', prefix: 'ledgerflow' } }, 'ledgerflow/manifests/m.json', Buffer.from('{}'), '2024-01-01').catch(() => undefined);
  await s3.send(new CopyObjectCommand({ Bucket: 'lake', Key: 'ledgerflow/copy', CopySource: 'lake/ledgerflow/chunk.csv.gz' }));
}

describe('SSE-KMS on lake writes (a loopback HTTP server fakes AWS S3)', () => {
  it('sends aws:kms and the configured key ARN on every PutObject, CreateMultipartUpload and CopyObject, none on UploadPart', async () => {
    const s3 = client(KEY_ARN);
    await writeEverything(s3);
    s3.destroy();
    const creates = requests.filter((r) => (r.method === 'PUT' && !r.url.includes('partNumber=')) || (r.method === 'POST' && r.url.includes('uploads')));
    // chunk PUT, CreateMultipartUpload, manifest PUT, copy PUT.
    expect(creates.length).toBe(4);
    for (const r of creates) expect(sse(r), `${r.method} ${r.url}`).toEqual({ algorithm: 'aws:kms', key: KEY_ARN });
    for (const r of creates) expect(r.headers['x-amz-server-side-encryption-bucket-key-enabled']).toBe('true');
    const parts = requests.filter((r) => r.url.includes('partNumber='));
    expect(parts.length).toBe(2);
    // SSE-KMS headers on UploadPart are an error in S3: the upload's encryption applies to its parts.
    for (const r of parts) expect(sse(r)).toEqual({ algorithm: undefined, key: undefined });
  });

  it('sends no SSE header when no key is configured (local S3 servers have no KMS)', async () => {
    const s3 = client();
    await writeEverything(s3);
    s3.destroy();
    expect(requests.length).toBeGreaterThan(6);
    for (const r of requests) expect(sse(r), `${r.method} ${r.url}`).toEqual({ algorithm: undefined, key: undefined });
  });

  it('overrides an SSE setting a caller put on the command', async () => {
    const s3 = client(KEY_ARN);
    await s3.send(new PutObjectCommand({ Bucket: 'lake', Key: 'ledgerflow/x', Body: 'x', ServerSideEncryption: 'AES256' }));
    s3.destroy();
    expect(sse(requests[0] as Recorded)).toEqual({ algorithm: 'aws:kms', key: KEY_ARN });
  });

  it('reads the key from LEDGERFLOW_S3_KMS_KEY_ID, and refuses anything but a key ARN, naming the variable', async () => {
    const env = { RPC_URL: 'http://127.0.0.1:8545', S3_BUCKET: 'lake', DATABASE_URL: 'postgres://x', S3_ENDPOINT: endpoint };
    const config = configFromEnv({ ...env, LEDGERFLOW_S3_KMS_KEY_ID: KEY_ARN });
    expect(config.s3KmsKeyId).toBe(KEY_ARN);
    // lakeFromConfig takes credentials from the default chain, as in AWS.
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'fake');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'fake');
    const { s3 } = lakeFromConfig({ ...config, s3ForcePathStyle: true });
    try {
      await s3.send(new PutObjectCommand({ Bucket: 'lake', Key: 'ledgerflow/x', Body: 'x' }));
    } finally {
      s3.destroy();
      vi.unstubAllEnvs();
    }
    expect(sse(requests[0] as Recorded)).toEqual({ algorithm: 'aws:kms', key: KEY_ARN });
    expect(configFromEnv(env).s3KmsKeyId).toBeUndefined();
    // An alias or a bare key id would be refused by the bucket policy, which compares the ARN.
    for (const wrong of ['alias/ledgerflow-lake', '1234abcd-12ab-34cd-56ef-1234567890ab']) {
      expect(() => configFromEnv({ ...env, LEDGERFLOW_S3_KMS_KEY_ID: wrong })).toThrow(ConfigurationError);
      expect(() => configFromEnv({ ...env, LEDGERFLOW_S3_KMS_KEY_ID: wrong })).toThrow(/LEDGERFLOW_S3_KMS_KEY_ID: must be a KMS key ARN/);
    }
  });
});
