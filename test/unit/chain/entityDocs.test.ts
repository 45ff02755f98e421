import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCALAR_COLUMN_TYPES } from '../../../src/chain/columnTypes.js';
import { ENTITIES, ENTITY_NAMES, schemaOf } from '../../../src/chain/entities/registry.js';

const DOCS = path.resolve(import.meta.dirname, '../../../docs/entities');

/** The column table of an entity page: `| # | column | type | nullable | rule |` rows. */
function documentedColumns(markdown: string): Array<{ name: string; type: string; nullable: boolean }> {
  const rows: Array<{ name: string; type: string; nullable: boolean }> = [];
  for (const line of markdown.split('\n')) {
    const match = /^\| (\d+) \| `([^`]+)` \| `([^`]+)` \| (yes|no) \| .* \|$/.exec(line);
    if (!match) continue;
    expect(Number(match[1]), `row numbers run 1, 2, ... (${line})`).toBe(rows.length + 1);
    rows.push({ name: match[2]!, type: match[3]!, nullable: match[4] === 'yes' });
  }
  return rows;
}

// The registry is the source of truth; its docs pages must say the same, column for column.
describe('docs/entities follows the entity registry', () => {
  it('has one page per entity and no page for an entity that does not exist', () => {
    const pages = readdirSync(DOCS).filter((f) => f.endsWith('.md') && f !== 'README.md').map((f) => f.slice(0, -3));
    expect(pages.sort()).toEqual([...ENTITY_NAMES].sort());
  });

  it.each([...ENTITY_NAMES])('%s.md lists the registry columns with their types and nullability, in file order', (name) => {
    const page = readFileSync(path.join(DOCS, `${name}.md`), 'utf8');
    expect(page.startsWith(`# ${name}\n`)).toBe(true);
    expect(documentedColumns(page)).toEqual(schemaOf(name).map((c) => ({ name: c.name, type: c.type, nullable: c.nullable })));
  });

  it('README.md lists every entity (daily or opt-in, with a warehouse table or not) and explains every column type', () => {
    const index = readFileSync(path.join(DOCS, 'README.md'), 'utf8');
    for (const name of ENTITY_NAMES) {
      const row = new RegExp(`^\\| \\[${name}\\]\\(${name}\\.md\\) \\| (yes|no)\\b.* \\| (yes|no)\\b.* \\|$`, 'm').exec(index);
      expect(row, `README.md has no row for ${name}`).not.toBeNull();
      expect({ daily: row?.[1] === 'yes', warehouse: row?.[2] === 'yes' }).toEqual({ daily: ENTITIES[name].daily, warehouse: ENTITIES[name].warehouse !== null });
    }
    for (const type of SCALAR_COLUMN_TYPES) expect(index).toMatch(new RegExp(`^\\| \`${type.replace('[', '\\[')}\` \\|`, 'm'));
  });
});
