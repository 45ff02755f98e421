import type { S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { PassThrough } from 'node:stream';
import type { EntityName } from '../chain/entities/registry.js';
import type { FileFormatName, Row, RowSink, SinkResult } from './format/types.js';
import { CONTENT_TYPES, createLakeObjectEncoder } from './lakeObjectEncoder.js';
import { LakeObjectError } from './errors.js';
import { s3Url } from './objectKey.js';

export interface LakeSinkResult extends SinkResult {
  key: string;
  contentSha256: string;
}

/** A RowSink that also reports the object's key and the digest of its uncompressed text. */
export interface LakeSink extends RowSink {
  close(): Promise<LakeSinkResult>;
}

export interface S3LakeSinkInput {
  s3: S3Client;
  bucket: string;
  key: string;
  format: FileFormatName;
  entity: EntityName;
  columns: readonly string[];
  /** Multipart part size; memory in flight is about partSize x (queueSize + 1). */
  partSize?: number;
  queueSize?: number;
}

const MIN_PART_SIZE = 5 * 1024 * 1024;

/**
 * Streams rows as one deterministic lake object (gzip text or Parquet) into a lib-storage Upload. The object appears
 * under its key only when the upload completes (a single PUT for small objects,
 * CompleteMultipartUpload for large ones), so a crash or abort never leaves half an object.
 */
export function createS3LakeSink(input: S3LakeSinkInput): LakeSink {
  const body = new PassThrough();
  const upload = new Upload({
    client: input.s3,
    params: { Bucket: input.bucket, Key: input.key, Body: body, ContentType: CONTENT_TYPES[input.format] },
    partSize: Math.max(input.partSize ?? MIN_PART_SIZE, MIN_PART_SIZE),
    queueSize: input.queueSize ?? 2,
    leavePartsOnError: false,
  });
  const encoder = createLakeObjectEncoder({ format: input.format, entity: input.entity, columns: input.columns, output: body });
  let uploadError: unknown;
  const uploaded = upload.done();
  uploaded.catch((error: unknown) => {
    uploadError = error;
    // Nobody reads the body any more; tear the encoder down so a waiting write() fails.
    encoder.destroy(error);
  });
  let settled = false;

  const wrap = (error: unknown, action: string): LakeObjectError =>
    error instanceof LakeObjectError
      ? error
      : new LakeObjectError(`Could not ${action} ${s3Url(input.bucket, input.key)}: ${error instanceof Error ? error.message : String(error)}`, {
          context: { key: input.key },
          fix: 'check that the bucket exists and the credentials may write to it; the chunk can be exported again',
          cause: error,
        });

  return {
    write(row: Row) {
      let pending: void | Promise<void>;
      try {
        pending = encoder.write(row);
      } catch (error) {
        throw wrap(uploadError ?? error, 'write');
      }
      if (pending) {
        return pending.catch((error: unknown) => {
          throw wrap(uploadError ?? error, 'write');
        });
      }
    },
    async close() {
      if (settled) throw new LakeObjectError(`Sink for ${s3Url(input.bucket, input.key)} is already closed`, { retryable: false });
      settled = true;
      try {
        const encoded = await encoder.end();
        await uploaded;
        return { ...encoded, key: input.key, location: s3Url(input.bucket, input.key) };
      } catch (error) {
        await abortUpload(upload, uploaded);
        throw wrap(uploadError ?? error, 'upload');
      }
    },
    async abort(reason?: unknown) {
      if (settled) return;
      settled = true;
      encoder.destroy(reason ?? new Error('sink aborted'));
      await abortUpload(upload, uploaded);
    },
  };
}

async function abortUpload(upload: Upload, uploaded: Promise<unknown>): Promise<void> {
  // The body never ended, so the upload cannot have completed: aborting drops any parts sent.
  await upload.abort().catch(() => undefined);
  await uploaded.catch(() => undefined);
}
