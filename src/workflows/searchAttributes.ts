import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { SEARCH_ATTRIBUTES } from './names.js';

export const chainIdKey = defineSearchAttributeKey(SEARCH_ATTRIBUTES.chainId.name, SearchAttributeType.INT);
export const dateKey = defineSearchAttributeKey(SEARCH_ATTRIBUTES.date.name, SearchAttributeType.KEYWORD);
/** Set by the server on every run a schedule starts (scheduled, triggered or backfilled). */
export const scheduledStartKey = defineSearchAttributeKey('TemporalScheduledStartTime', SearchAttributeType.DATETIME);
