// `npm run dashboards`: writes dashboards/<uid>[-redshift].json from dataDashboards.ts.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dashboardText, renderDataDashboards } from './dataDashboards.js';

const dir = fileURLToPath(new URL('../../dashboards/', import.meta.url));
for (const { file, json } of renderDataDashboards()) {
  writeFileSync(`${dir}${file}`, dashboardText(json));
  process.stdout.write(`dashboards/${file}\n`);
}
