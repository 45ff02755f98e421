import { type Cell, PythonFloat } from '../../chain/rows.js';
import { pythonFloat } from './pythonFloat.js';
import { pythonJson } from './pythonJson.js';

/**
 * Text of one CSV cell by ethereum-etl's rules, before quoting: null as empty, integers in
 * decimal, booleans `True`/`False`, lists comma-joined with objects as compact JSON.
 */
export function csvCell(value: Cell | undefined): string {
  if (value === null || value === undefined) return '';
  switch (typeof value) {
    case 'string':
      return value;
    case 'bigint':
      return value.toString();
    case 'number':
      return Number.isInteger(value) && Math.abs(value) < 1e16 ? String(value) : pythonFloat(value);
    case 'boolean':
      return value ? 'True' : 'False';
  }
  // Python's str(float) spells the non-finite values nan/inf (json.dumps says NaN/Infinity).
  if (value instanceof PythonFloat) return Number.isFinite(value.value) ? pythonFloat(value.value) : String(value.value).replace('Infinity', 'inf').replace('NaN', 'nan');
  if (Array.isArray(value)) return (value as readonly Cell[]).map(listItem).join(',');
  return pythonJson(value, true);
}

function listItem(item: Cell): string {
  if (item !== null && typeof item === 'object' && !(item instanceof PythonFloat)) return pythonJson(item, true);
  return csvCell(item);
}
