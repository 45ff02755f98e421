import { once } from 'node:events';
import { AesGcmPayloadCodec } from '../../codec/aesGcmCodec.js';
import { startCodecServer } from '../../codec/codecServer.js';
import { CODEC_ENV, codecCorsOriginFromEnv, codecKeyringFromEnv, codecTokenFromEnv } from '../../codec/codecSettings.js';
import { ConfigurationError } from '../../errors/LedgerflowError.js';

export interface CodecServerCommandOptions {
  port: number;
  host: string;
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
  const server = await startCodecServer({ codec: new AesGcmPayloadCodec(keyring), token, corsOrigin, port: options.port, host: options.host, log: say });
  say(
    `codec server on ${server.url} (POST /encode, /decode; keys ${[...keyring.keys.keys()].join(',')}, encrypting with ${keyring.encryptKeyId}; ` +
      `CORS ${corsOrigin ?? 'off'}); use: temporal workflow show --codec-endpoint ${server.url} --codec-auth "Bearer $${CODEC_ENV.token}"`,
  );
  await Promise.race([once(process, 'SIGINT'), once(process, 'SIGTERM')]);
  await server.close();
}
