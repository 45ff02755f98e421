import { once } from 'node:events';
import { AesGcmPayloadCodec } from '../../codec/aesGcmCodec.js';
import { startCodecServer } from '../../codec/codecServer.js';
import { CODEC_ENV, codecCorsOriginFromEnv, codecKeyringFromEnv, codecTokenFromEnv } from '../../codec/codecSettings.js';
import { ConfigurationError } from '../../errors/LedgerflowError.js';

export interface CodecServerCommandOptions {
  port: number;
  host: string;
  webWithoutToken?: boolean;
}

/** `ledgerflow codec-server`: runs until SIGINT or SIGTERM, then closes its connections and exits 0. */
export async function runCodecServer(options: CodecServerCommandOptions): Promise<void> {
  const keyring = codecKeyringFromEnv();
  if (!keyring) {
    throw new ConfigurationError(`${CODEC_ENV.keys} is not set: the codec server has no key to decode with`, {
      fix: `set ${CODEC_ENV.keys} to the workers' keys (id=base64 pairs; \`eval "$(npx ledgerflow stack env)"\` sets the local stack's)`,
    });
  }
  const token = codecTokenFromEnv();
  // The local stack exports Temporal Web's URL as TEMPORAL_UI_URL: the default browser origin.
  const corsOrigin = codecCorsOriginFromEnv(process.env, process.env.TEMPORAL_UI_URL);
  const say = (line: string) => process.stderr.write(`${line}\n`);
  const webWithoutToken = options.webWithoutToken === true;
  if (webWithoutToken && !corsOrigin) {
    throw new ConfigurationError('--web-without-token needs the Temporal Web origin', { fix: 'set LEDGERFLOW_CODEC_CORS_ORIGIN (or TEMPORAL_UI_URL) to the UI\'s origin, e.g. http://127.0.0.1:8233' });
  }
  if (webWithoutToken && !['127.0.0.1', '::1', 'localhost'].includes(options.host)) {
    throw new ConfigurationError(`--web-without-token is for a local dev server, not a codec server on ${options.host}`, { fix: 'bind to 127.0.0.1, or drop --web-without-token and give Temporal Web a token (codec.passAccessToken with sign-in)' });
  }
  const server = await startCodecServer({ codec: new AesGcmPayloadCodec(keyring), token, corsOrigin, port: options.port, host: options.host, log: say, webWithoutToken });
  say(
    `codec server on ${server.url} (POST /encode, /decode; keys ${[...keyring.keys.keys()].join(',')}, encrypting with ${keyring.encryptKeyId}; ` +
      `CORS ${corsOrigin ?? 'off'}); use: temporal workflow show --codec-endpoint ${server.url} --codec-auth "Bearer $${CODEC_ENV.token}"`,
  );
  await Promise.race([once(process, 'SIGINT'), once(process, 'SIGTERM')]);
  await server.close();
}
