import { cancellationSignal } from '@temporalio/activity';
import type { BlockRange } from '../chain/types.js';
import { classified } from './classifyError.js';
import { withKeepAlive } from './keepAlive.js';
import type { RunModelsInput, RunModelsResult } from './types.js';

export interface ModelDeps {
  /** Recomputes the day's buckets of every model in dependency order. */
  runModels(input: { chainId: number; date: string; range: BlockRange }, signal: AbortSignal): Promise<RunModelsResult>;
  keepAliveMs?: number;
}

export function createModelActivities(deps: ModelDeps) {
  return {
    async runModels(input: RunModelsInput): Promise<RunModelsResult> {
      return classified(() => withKeepAlive(() => deps.runModels(input, cancellationSignal()), deps.keepAliveMs));
    },
  };
}
