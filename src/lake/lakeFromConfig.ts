import type { Config } from '../config.js';
import { ConfigurationError } from '../errors/LedgerflowError.js';
import { createS3Client } from './createS3Client.js';
import type { LakeStoreDeps } from './lakeDeps.js';

/** The S3 client and lake location a worker or CLI command uses, from the validated config. */
export function lakeFromConfig(
  config: Pick<Config, 's3Endpoint' | 's3Region' | 's3ForcePathStyle' | 's3Bucket' | 's3Prefix'> & Partial<Pick<Config, 'manifestRetentionMode' | 'manifestRetentionDays' | 's3KmsKeyId' | 'lakeFormat'>>,
): Pick<LakeStoreDeps, 's3' | 'lake'> {
  return {
    s3: createS3Client({
      ...(config.s3Endpoint ? { endpoint: config.s3Endpoint } : {}),
      region: config.s3Region,
      forcePathStyle: config.s3ForcePathStyle,
      ...(config.s3KmsKeyId ? { kmsKeyId: config.s3KmsKeyId } : {}),
    }),
    lake: {
      bucket: config.s3Bucket,
      prefix: config.s3Prefix,
      ...(config.lakeFormat ? { format: config.lakeFormat } : {}),
      ...(config.manifestRetentionMode ? { manifestRetention: { mode: config.manifestRetentionMode, days: retentionDays(config.manifestRetentionDays) } } : {}),
    },
  };
}

function retentionDays(days: number | undefined): number {
  if (days === undefined) {
    throw new ConfigurationError('LEDGERFLOW_MANIFEST_RETENTION_MODE is set without LEDGERFLOW_MANIFEST_RETENTION_DAYS', {
      fix: 'set LEDGERFLOW_MANIFEST_RETENTION_DAYS to the days sealed manifests stay locked (terraform output manifest_retention_days)',
    });
  }
  return days;
}
