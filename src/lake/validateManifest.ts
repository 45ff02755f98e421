import { z } from 'zod';
import { ENTITY_NAMES } from '../chain/types.js';
import { InvalidManifestError } from './errors.js';
import { parseObjectKey } from './objectKey.js';
import type { DayManifest, LakeFile } from './types.js';

const hash = z.string().regex(/^0x[0-9a-f]{64}$/, 'a 0x-prefixed 32-byte lower-case hex hash');
const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a lower-case hex sha256');
const block = z.number().int().min(0);
const range = z.object({ start: block, end: block }).refine((r) => r.start <= r.end, 'start <= end');
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const manifestKey = z
  .string()
  .min(1)
  .refine((key) => !key.split('/').includes('..'), 'no ".." segment');

const body = {
  chainId: z.number().int().positive(),
  date: day,
  range,
  firstBlockHash: hash,
  lastBlockHash: hash,
  entities: z.array(z.enum(ENTITY_NAMES)).min(1),
  chunks: z
    .array(z.object({ index: z.number().int().min(0), range, firstParentHash: hash, firstBlockHash: hash, lastBlockHash: hash }))
    .min(1),
  files: z.array(
    z.object({
      entity: z.enum(ENTITY_NAMES),
      key: z.string().min(1),
      sha256,
      bytes: z.number().int().min(0),
      rows: z.number().int().min(0),
      range,
      contentSha256: sha256.optional(),
    }),
  ),
  exporterVersion: z.string().min(1),
  nodeClientVersion: z.string().min(1),
};

// Version 1 is read as it always was; version 2 is strict, so a field no reader knows is refused.
const v1 = z.object({ manifestVersion: z.literal(1), ...body });
const v2 = z
  .object({
    manifestVersion: z.literal(2),
    ...body,
    previous: z.object({ date: day, manifestKey, manifestSha256: sha256, lastBlockHash: hash }).strict().nullable(),
    signing: z.union([
      z.object({ algorithm: z.literal('ed25519'), keyId: z.string().regex(/^[0-9a-f]{16}$/, '16 lower-case hex characters') }).strict(),
      z.object({ unsigned: z.literal(true) }).strict(),
    ]),
    supersedes: z.object({ manifestKey, manifestSha256: sha256, reason: z.string().min(1) }).strict().optional(),
  })
  .strict();

export const dayManifestSchema = z.discriminatedUnion('manifestVersion', [v1, v2]);

/**
 * Checks that a parsed manifest has the shape sealDay writes (version 1 or 2), and that every
 * file it lists is a data object of its own chain and day under the lake layout (and under
 * `prefix` when given): a loader follows these keys, so a manifest must not point elsewhere.
 * Names up to five problems.
 */
export function validateManifest(value: unknown, source = 'manifest', options: { prefix?: string } = {}): DayManifest {
  const parsed = dayManifestSchema.safeParse(value);
  const problems = parsed.success
    ? keyProblems(parsed.data, options.prefix)
    : parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
  if (!parsed.success || problems.length > 0) {
    throw new InvalidManifestError(`Invalid day manifest ${source}: ${problems.slice(0, 5).join('; ')}`, {
      fix: 'seal the day again, superseding this version: `ledgerflow lake export-day --date <day> --force --reason "<why>"`',
    });
  }
  return parsed.data as DayManifest;
}

function keyProblems(manifest: DayManifest, prefix: string | undefined): string[] {
  const expectedPrefix = prefix === undefined ? undefined : prefix.replace(/^\/+|\/+$/g, '');
  return manifest.files.flatMap((file, index) => {
    const problem = keyProblem(manifest, file, expectedPrefix);
    return problem ? [`files.${index}.key: ${JSON.stringify(file.key)} ${problem}`] : [];
  });
}

function keyProblem(manifest: DayManifest, file: LakeFile, prefix: string | undefined): string | undefined {
  if (file.key.split('/').includes('..')) return 'has a ".." segment';
  const parts = parseObjectKey(file.key);
  if (!parts) return 'is not a lake data object key';
  if (parts.chainId !== manifest.chainId) return `belongs to chain ${parts.chainId}, not ${manifest.chainId}`;
  if (parts.date !== manifest.date) return `belongs to day ${parts.date}, not ${manifest.date}`;
  if (parts.entity !== file.entity) return `holds ${parts.entity}, not ${file.entity}`;
  if (parts.range.start !== file.range.start || parts.range.end !== file.range.end) return `covers ${parts.range.start}-${parts.range.end}, not the file's range`;
  if (prefix !== undefined && parts.prefix !== prefix) return `is under prefix "${parts.prefix}", not "${prefix}"`;
  return undefined;
}
