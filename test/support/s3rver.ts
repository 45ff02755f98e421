import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The part of s3rver 3.7 (no type definitions) this helper uses. */
interface S3rverInstance {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
  httpServer?: Server;
}
type S3rverConstructor = new (options: {
  address: string;
  port: number;
  silent: boolean;
  directory: string;
  configureBuckets: Array<{ name: string }>;
}) => S3rverInstance;

export interface RunningS3rver {
  /** http://127.0.0.1:<port> */
  endpoint: string;
  bucket: string;
  /** Any pair works with s3rver; pass these to createS3Client({ credentials }). */
  credentials: { accessKeyId: string; secretAccessKey: string };
  directory: string;
  stop(): Promise<void>;
}

/**
 * Starts s3rver in this process on 127.0.0.1, a free port, and a fresh temp directory, with one
 * bucket. In-process means no `--openssl-legacy-provider`, so ListObjectsV2 continuation tokens
 * fail (local-infra-notes.md §3): tests that page through listings need the stack's s3rver.
 */
export async function startS3rver(options: { bucket?: string } = {}): Promise<RunningS3rver> {
  const require = createRequire(import.meta.url);
  const S3rver = require('s3rver') as S3rverConstructor;
  const bucket = options.bucket ?? 'ledgerflow-test';
  const directory = await mkdtemp(join(tmpdir(), 'ledgerflow-s3rver-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: bucket }] });
  const address = await server.run();
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    bucket,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    directory,
    async stop() {
      // The SDK keeps sockets alive; without this, close() waits for them to time out.
      server.httpServer?.closeAllConnections();
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
