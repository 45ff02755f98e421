import { type Cell, PythonFloat } from '../../chain/rows.js';
import { pythonFloat } from './pythonFloat.js';

/**
 * Python `json.dumps` with its defaults (`ensure_ascii`, `", "` / `": "` separators) or the
 * compact separators ethereum-etl uses inside CSV cells. Integers of any size are bare numbers,
 * which `JSON.stringify` cannot do for bigint.
 */
export function pythonJson(value: Cell | undefined, compact = false): string {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'string':
      return pythonJsonString(value);
    case 'bigint':
      return value.toString();
    case 'number':
      return Number.isInteger(value) && Math.abs(value) < 1e16 ? String(value) : pythonFloat(value);
    case 'boolean':
      return value ? 'true' : 'false';
  }
  if (value instanceof PythonFloat) return pythonFloat(value.value);
  const itemSep = compact ? ',' : ', ';
  if (Array.isArray(value)) {
    return `[${(value as readonly Cell[]).map((item) => pythonJson(item, compact)).join(itemSep)}]`;
  }
  const keySep = compact ? ':' : ': ';
  const parts: string[] = [];
  for (const [key, item] of Object.entries(value)) {
    if (item === undefined) continue;
    parts.push(`${pythonJsonString(key)}${keySep}${pythonJson(item, compact)}`);
  }
  return `{${parts.join(itemSep)}}`;
}

const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;
const SHORT_ESCAPES: Record<number, string> = { 0x22: '\\"', 0x5c: '\\\\', 0x0a: '\\n', 0x0d: '\\r', 0x09: '\\t', 0x08: '\\b', 0x0c: '\\f' };

export function pythonJsonString(text: string): string {
  if (PLAIN.test(text)) return `"${text}"`;
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const short = SHORT_ESCAPES[code];
    if (short !== undefined) out += short;
    // charCodeAt yields UTF-16 units, so characters above U+FFFF come out as surrogate pairs.
    else if (code < 0x20 || code > 0x7e) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += text[i];
  }
  return `${out}"`;
}
