import { S3Client } from '@aws-sdk/client-s3';

export interface S3ClientSettings {
  /** Omit for AWS; set for an S3-compatible server such as s3rver or MinIO. */
  endpoint?: string;
  region?: string;
  forcePathStyle?: boolean;
  /** Only for local servers; in AWS the default chain (env, IRSA web identity, instance role) applies. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  maxAttempts?: number;
}

/**
 * One S3 client for the lake. Checksums only when an operation requires them: the SDK's default
 * (CRC32 trailers on every streamed upload, aws-chunked framing) is stored verbatim as object
 * content by s3rver, and lake integrity comes from our own sha256 in the manifest anyway.
 */
export function createS3Client(settings: S3ClientSettings = {}): S3Client {
  // Ledgerflow pins Node 20 and its SDK version; the SDK's advice to move to Node 22 would
  // otherwise land on stderr of every CLI run, which is kept for one-line errors. An operator
  // who sets the variable to "false" still gets the warning.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  return new S3Client({
    region: settings.region ?? 'us-east-1',
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
    forcePathStyle: settings.forcePathStyle ?? Boolean(settings.endpoint),
    ...(settings.credentials ? { credentials: settings.credentials } : {}),
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: settings.maxAttempts ?? 5,
  });
}
