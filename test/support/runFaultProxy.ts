// Manual runs and benchmarks: puts the fault proxy in front of a node and prints its URL.
//   node --import tsx test/support/runFaultProxy.ts --upstream http://127.0.0.1:8545 --rate 0.3 --seed 1 [--kinds http500,reset] [--port 8546] [--hang-ms 2000] [--lag-blocks 3]
// Stops on SIGINT or SIGTERM and prints its stats as JSON on stderr.
import { parseArgs } from 'node:util';
import { FAULT_KINDS, startFaultProxy, type FaultKind } from './faultProxy.js';

function numberOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isFinite(parsed)) throw new Error(`--${name} must be a number, got ${value}`);
  return parsed;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      upstream: { type: 'string' },
      rate: { type: 'string', default: '0.3' },
      seed: { type: 'string', default: '1' },
      kinds: { type: 'string' },
      port: { type: 'string' },
      'hang-ms': { type: 'string' },
      'retry-after': { type: 'string' },
      'lag-blocks': { type: 'string' },
      verbose: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (!values.upstream) throw new Error('--upstream URL is required');
  const kinds = values.kinds?.split(',').map((kind) => kind.trim()).filter((kind) => kind !== '');
  const unknown = kinds?.filter((kind) => !(FAULT_KINDS as readonly string[]).includes(kind)) ?? [];
  if (unknown.length > 0) throw new Error(`unknown --kinds ${unknown.join(', ')}; known: ${FAULT_KINDS.join(', ')}`);

  const proxy = await startFaultProxy({
    upstream: values.upstream,
    rate: numberOption('rate', values.rate),
    seed: numberOption('seed', values.seed),
    kinds: kinds as FaultKind[] | undefined,
    port: numberOption('port', values.port),
    hangMs: numberOption('hang-ms', values['hang-ms']),
    retryAfterSeconds: numberOption('retry-after', values['retry-after']),
    lagBlocks: numberOption('lag-blocks', values['lag-blocks']),
    onFault: values.verbose ? (kind, n) => process.stderr.write(`request ${n}: ${kind}\n`) : undefined,
  });
  process.stdout.write(`${proxy.url}\n`);

  const stop = (): void => {
    proxy
      .close()
      .then(() => {
        process.stderr.write(`${JSON.stringify(proxy.stats())}\n`);
      })
      .catch((error: unknown) => {
        process.stderr.write(`${String(error)}\n`);
        process.exitCode = 1;
      });
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`runFaultProxy: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
});
