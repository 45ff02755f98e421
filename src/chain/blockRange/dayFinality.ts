import type { BlockPoint } from './blockTimestampIndex.js';
import type { FinalityRule } from './errors.js';

/** One endpoint's answer to "up to which block is the chain final?". */
export interface DayFinality {
  rule: FinalityRule;
  /** Highest block treated as final: the finalized block, or head minus finalityDepth. */
  finalHeight: number;
  head: BlockPoint;
  /** The node's finalized block, when it serves the tag. */
  finalized?: BlockPoint | undefined;
}

/**
 * The node's `finalized` block when it names one past genesis; head minus finalityDepth
 * otherwise. A finalized block of 0 on a chain that has moved on is a node without a finality
 * view of its own (a dev node, or anvil below block 64, which reports head - 64 above it), so
 * the depth decides there: on a real chain the tag leaves genesis within its first epochs.
 */
export function dayFinality(head: BlockPoint, finalized: BlockPoint | undefined, finalityDepth: number): DayFinality {
  if (finalized && finalized.number >= 1) return { rule: 'finalized', finalHeight: finalized.number, head, finalized };
  return { rule: 'depth', finalHeight: head.number - finalityDepth, head, finalized };
}
