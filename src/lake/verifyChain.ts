import type { LakeStoreDeps } from './lakeDeps.js';
import { verifyManifestSignature, type TrustedKey } from './manifestSignature.js';
import { findDayManifest, type FoundDayManifest } from './readDayManifest.js';
import { readManifestAt } from './readManifestAt.js';
import { InvalidInputError, LedgerflowError } from '../errors/LedgerflowError.js';
import { InvalidManifestError } from './errors.js';

export interface ChainDayReport {
  date: string;
  ok: boolean;
  manifestKey?: string;
  manifestSha256?: string;
  /** Every problem found on this day; empty when ok. */
  problems: string[];
  /** One human-readable line for this day. */
  line: string;
}

export interface VerifyChainResult {
  ok: boolean;
  days: ChainDayReport[];
  /** The earliest day with a problem, and its first problem. */
  firstBreak?: { date: string; problem: string };
}

const MAX_DAYS = 3660;

/**
 * Walks the sealed days from `from` to `to` (inclusive) and checks that each day's latest
 * manifest links to the previous day's latest manifest by key and sha256 of its stored bytes,
 * that the block ranges meet and the first parentHash is the previous day's last block hash,
 * and, when `trusted` is given, that each manifest's signature verifies against those keys
 * (an unsigned manifest passes only when no key is trusted). A missing day is a break.
 */
export async function verifyChain(
  deps: LakeStoreDeps,
  input: { chainId: number; from: string; to: string; trusted?: readonly TrustedKey[] },
): Promise<VerifyChainResult> {
  const dates = daysBetween(input.from, input.to);
  const days: ChainDayReport[] = [];
  let before: FoundDayManifest | undefined;
  for (const [index, date] of dates.entries()) {
    let found: FoundDayManifest | undefined;
    let problems: string[];
    try {
      found = await findDayManifest(deps, { chainId: input.chainId, date });
      problems = found ? await dayProblems(deps, found, index === 0 ? 'first' : before, input.trusted) : ['missing: no manifest sealed for this day'];
    } catch (error) {
      // A manifest that is not JSON or not a valid manifest is a break in the chain, not a crash.
      if (!(error instanceof InvalidManifestError)) throw error;
      problems = [`invalid manifest: ${error.shortMessage}`];
    }
    days.push(report(date, found, problems));
    before = found;
  }
  const broken = days.find((day) => !day.ok);
  return { ok: !broken, days, ...(broken ? { firstBreak: { date: broken.date, problem: broken.problems[0]! } } : {}) };
}

async function dayProblems(
  deps: LakeStoreDeps,
  found: FoundDayManifest,
  before: FoundDayManifest | 'first' | undefined,
  trusted: readonly TrustedKey[] | undefined,
): Promise<string[]> {
  const problems: string[] = [];
  const { manifest } = found;
  if (trusted) {
    const signature = await verifyManifestSignature(deps, found, trusted);
    if (signature.status !== 'valid' && !(signature.status === 'unsigned' && trusted.length === 0)) {
      problems.push(`signature ${signature.status}${signature.keyId ? ` (key ${signature.keyId})` : ''}`);
    }
  }
  if (manifest.manifestVersion === 1) {
    problems.push('manifest version 1 records no link to the previous day');
    return problems;
  }
  const link = manifest.previous;
  if (!link) {
    // The first day checked may start a segment; inside the range the previous day was sealed.
    if (before !== 'first' && before !== undefined) problems.push(`not linked: previous is null but ${before.key} is sealed`);
    return problems;
  }
  let linked: { key: string; sha256: string; manifest: FoundDayManifest['manifest'] } | undefined;
  if (before === 'first' || before === undefined) {
    try {
      linked = await readManifestAt(deps, link.manifestKey);
    } catch (error) {
      problems.push(`previous manifest ${link.manifestKey} cannot be read: ${error instanceof LedgerflowError ? error.shortMessage : String(error)}`);
      return problems;
    }
  } else {
    linked = before;
    if (link.manifestKey !== before.key) problems.push(`links to ${link.manifestKey}, but the previous day's latest manifest is ${before.key}`);
  }
  if (link.manifestKey === linked.key && link.manifestSha256 !== linked.sha256) {
    problems.push(`previous sha256 mismatch: recorded ${link.manifestSha256}, stored ${link.manifestKey} hashes to ${linked.sha256}`);
  }
  if (link.lastBlockHash !== linked.manifest.lastBlockHash) {
    problems.push(`previous last block hash mismatch: recorded ${link.lastBlockHash}, ${linked.key} says ${linked.manifest.lastBlockHash}`);
  }
  if (linked.manifest.range.end + 1 !== manifest.range.start) {
    problems.push(`range gap: starts at block ${manifest.range.start}, previous day ends at ${linked.manifest.range.end}`);
  }
  const parentHash = manifest.chunks[0]!.firstParentHash;
  if (parentHash.toLowerCase() !== linked.manifest.lastBlockHash.toLowerCase()) {
    problems.push(`boundary hash mismatch: block ${manifest.range.start} parentHash ${parentHash}, previous day's last block ${linked.manifest.range.end} is ${linked.manifest.lastBlockHash}`);
  }
  return problems;
}

function report(date: string, found: FoundDayManifest | undefined, problems: string[]): ChainDayReport {
  const where = found ? `\t${found.key}\tsha256=${found.sha256}` : '';
  const blocks = found ? `\tblocks ${found.manifest.range.start}-${found.manifest.range.end}` : '';
  const line = problems.length === 0 ? `ok\t${date}${where}${blocks}` : `BREAK\t${date}${where}\t${problems.join('; ')}`;
  return { date, ok: problems.length === 0, ...(found ? { manifestKey: found.key, manifestSha256: found.sha256 } : {}), problems, line };
}

function daysBetween(from: string, to: string): string[] {
  const start = Date.parse(`${from}T00:00:00Z`);
  const end = Date.parse(`${to}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(from) || !/^\d{4}-\d{2}-\d{2}$/.test(to) || Number.isNaN(start) || Number.isNaN(end) || end < start) {
    throw new InvalidInputError(`Cannot walk days from ${from} to ${to}`, { fix: 'pass --from and --to as YYYY-MM-DD with from <= to' });
  }
  const count = (end - start) / 86_400_000 + 1;
  if (count > MAX_DAYS) throw new InvalidInputError(`${count} days from ${from} to ${to} is more than ${MAX_DAYS}`, { fix: 'verify the chain in shorter spans' });
  return Array.from({ length: count }, (_, i) => new Date(start + i * 86_400_000).toISOString().slice(0, 10));
}
