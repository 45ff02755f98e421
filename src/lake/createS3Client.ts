import { S3Client, type PutObjectCommandInput } from '@aws-sdk/client-s3';

export interface S3ClientSettings {
  /** Omit for AWS; set for an S3-compatible server such as s3rver or MinIO. */
  endpoint?: string;
  region?: string;
  forcePathStyle?: boolean;
  /** Only for local servers; in AWS the default chain (env, IRSA web identity, instance role) applies. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  maxAttempts?: number;
  /** KMS key ARN that every object write asks for (SSE-KMS); none sends no SSE headers. */
  kmsKeyId?: string;
}

/** The commands that create an object; UploadPart inherits its upload's encryption and carries none. */
const OBJECT_WRITES = new Set(['PutObjectCommand', 'CreateMultipartUploadCommand', 'CopyObjectCommand']);

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
  const client = new S3Client({
    region: settings.region ?? 'us-east-1',
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
    forcePathStyle: settings.forcePathStyle ?? Boolean(settings.endpoint),
    ...(settings.credentials ? { credentials: settings.credentials } : {}),
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: settings.maxAttempts ?? 5,
  });
  if (settings.kmsKeyId) encryptWritesWith(client, settings.kmsKeyId);
  return client;
}

/**
 * Adds `x-amz-server-side-encryption: aws:kms` and the key id to every object write the client
 * sends, whoever builds the command: the lake's PutObjects, lib-storage's single PUT and its
 * CreateMultipartUpload alike, so no write site can forget them. The bucket policy refuses SSE
 * headers naming another key or another algorithm; S3 Bucket Keys keep KMS calls few.
 */
function encryptWritesWith(client: S3Client, kmsKeyId: string): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (!OBJECT_WRITES.has(context.commandName ?? '')) return next(args);
      const input: PutObjectCommandInput = { ...(args.input as PutObjectCommandInput), ServerSideEncryption: 'aws:kms', SSEKMSKeyId: kmsKeyId, BucketKeyEnabled: true };
      return next({ ...args, input });
    },
    { step: 'initialize', name: 'ledgerflowSseKms' },
  );
}
