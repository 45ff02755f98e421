import { Transform, type TransformCallback, type TransformOptions } from 'node:stream';
import { constants, createGzip, type Gzip, type ZlibOptions } from 'node:zlib';

/** Fixed so that a re-export with the same Node release gives the same bytes. */
export const GZIP_LEVEL = 6;

// RFC 1952 header bytes 4-9: MTIME (4 bytes), XFL, OS. zlib already writes MTIME 0, but stamps
// OS with the platform it was built for (3 on Linux, 19 on macOS): pin it to 255 "unknown".
const OS_OFFSET = 9;
const OS_UNKNOWN = 0xff;

/** zlib's gzip with every knob that changes the output fixed; pipe it through pinGzipHeader(). */
export function createDeterministicGzip(): Gzip {
  const options: ZlibOptions & TransformOptions = {
    level: GZIP_LEVEL,
    strategy: constants.Z_DEFAULT_STRATEGY,
    memLevel: 8,
    windowBits: 15,
    // zlib streams are Transforms and take stream options too (not in the typings). With the
    // default 16 KiB every 64 KiB batch waited for zlib to finish it, so compression on libuv's
    // pool never overlapped with making rows; 1 MiB in flight lets it (~30 % faster per object,
    // same bytes: buffering does not change where zlib is flushed).
    writableHighWaterMark: 1024 * 1024,
  };
  return createGzip(options);
}

/** Rewrites the header's OS byte so the bytes do not depend on the machine that compressed them. */
export function pinGzipHeader(): Transform {
  let offset = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      let out = chunk;
      if (offset <= OS_OFFSET && offset + chunk.length > OS_OFFSET) {
        out = Buffer.from(chunk);
        out[OS_OFFSET - offset] = OS_UNKNOWN;
      }
      offset += chunk.length;
      callback(null, out);
    },
  });
}
