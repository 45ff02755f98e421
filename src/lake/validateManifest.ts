import { z } from 'zod';
import { ENTITY_NAMES } from '../chain/types.js';
import { InvalidManifestError } from './errors.js';
import type { DayManifest } from './types.js';

const hash = z.string().regex(/^0x[0-9a-f]{64}$/, 'a 0x-prefixed 32-byte lower-case hex hash');
const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a lower-case hex sha256');
const block = z.number().int().min(0);
const range = z.object({ start: block, end: block }).refine((r) => r.start <= r.end, 'start <= end');

export const dayManifestSchema = z.object({
  manifestVersion: z.literal(1),
  chainId: z.number().int().positive(),
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
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
});

/** Checks that a parsed manifest.json has the shape sealDay writes; names every problem. */
export function validateManifest(value: unknown, source = 'manifest'): DayManifest {
  const parsed = dayManifestSchema.safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues.slice(0, 5).map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new InvalidManifestError(`Invalid day manifest ${source}: ${problems.join('; ')}`, {
      fix: 'seal the day again with `ledgerflow lake export-day --date <day> --force`',
    });
  }
  return parsed.data;
}
