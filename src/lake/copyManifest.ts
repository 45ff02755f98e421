import { s3Url } from './objectKey.js';
import type { LakeFile } from './types.js';

/** Redshift's COPY ... MANIFEST format: every file mandatory, with its size (docs/lake.md). */
export interface CopyManifest {
  entries: Array<{ url: string; mandatory: true; meta: { content_length: number } }>;
}

export function copyManifest(bucket: string, files: readonly LakeFile[]): CopyManifest {
  return {
    entries: [...files]
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
      .map((file) => ({ url: s3Url(bucket, file.key), mandatory: true as const, meta: { content_length: file.bytes } })),
  };
}
