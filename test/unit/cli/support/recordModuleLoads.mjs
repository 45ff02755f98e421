// Preloaded with `--import` after tsx: registers moduleLoadHooks.mjs, which appends the URL of
// every module the process loads to the file named by LEDGERFLOW_MODULE_LOG.
import { register } from 'node:module';

const file = process.env.LEDGERFLOW_MODULE_LOG;
if (!file) throw new Error('recordModuleLoads.mjs needs LEDGERFLOW_MODULE_LOG, the file to append module URLs to');
register('./moduleLoadHooks.mjs', import.meta.url, { data: { file } });
