import type { Config } from '../config.js';
import { createS3Client } from './createS3Client.js';
import type { LakeStoreDeps } from './lakeDeps.js';

/** The S3 client and lake location a worker or CLI command uses, from the validated config. */
export function lakeFromConfig(config: Pick<Config, 's3Endpoint' | 's3Region' | 's3ForcePathStyle' | 's3Bucket' | 's3Prefix'>): Pick<LakeStoreDeps, 's3' | 'lake'> {
  return {
    s3: createS3Client({
      ...(config.s3Endpoint ? { endpoint: config.s3Endpoint } : {}),
      region: config.s3Region,
      forcePathStyle: config.s3ForcePathStyle,
    }),
    lake: { bucket: config.s3Bucket, prefix: config.s3Prefix },
  };
}
