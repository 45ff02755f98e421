import { LedgerflowError } from '../errors/LedgerflowError.js';

// Kubernetes resource.Quantity suffixes: binary (Ki..Ei), decimal (n..E) and bare numbers.
const SUFFIX: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

const QUANTITY = /^([+]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?$/;

export class InvalidQuantityError extends LedgerflowError {
  override readonly name = 'InvalidQuantityError';
  readonly retryable = false;
}

function parseQuantity(quantity: string, what: string): number {
  const match = QUANTITY.exec(quantity.trim());
  const multiplier = match ? SUFFIX[match[2] ?? ''] : undefined;
  if (!match?.[1] || multiplier === undefined) {
    throw new InvalidQuantityError(`Cannot read the Kubernetes ${what} quantity "${quantity}"`, {
      context: { quantity },
      fix: 'use a Kubernetes quantity such as 500m, 2, 512Mi or 4Gi',
    });
  }
  return Number(match[1]) * multiplier;
}

/** "250m" -> 250, "2" -> 2000. Rounded up: the scheduler never grants a fraction of a millicore. */
export function parseCpuMillis(quantity: string): number {
  return Math.ceil(parseQuantity(quantity, 'CPU') * 1000 - 1e-9);
}

/** "512Mi" -> 536870912, "1G" -> 1e9. */
export function parseMemoryBytes(quantity: string): number {
  return Math.ceil(parseQuantity(quantity, 'memory') - 1e-9);
}
