import { type Command, InvalidArgumentError } from 'commander';
import type { CodecServerCommandOptions } from '../actions/codecServer.js';

const port = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError(`expected a port 0-65535, got ${value}`);
  return n;
};

export function registerCodecServer(program: Command): void {
  program
    .command('codec-server')
    .description(
      "Serve Temporal's codec endpoints (POST /encode, /decode) so Temporal Web and `temporal --codec-endpoint` show decrypted payloads; " +
        'keys from LEDGERFLOW_CODEC_KEYS, bearer token LEDGERFLOW_CODEC_TOKEN, CORS for LEDGERFLOW_CODEC_CORS_ORIGIN (default TEMPORAL_UI_URL)',
    )
    .requiredOption('--port <n>', 'port to listen on (0 picks a free one)', port)
    .option('--host <address>', 'address to bind', '127.0.0.1')
    .option('--web-without-token', 'let the Temporal Web origin decode without the token: for a local dev server, whose UI has no sign-in (loopback only)')
    .action(async (options: CodecServerCommandOptions) => (await import('../actions/codecServer.js')).runCodecServer(options));
}
