/** `timeseries`: the per-window series (timeseries.csv, the report's timelines). */
import { positiveDurationMs, strictObject } from '../../fields/index.js';
import { defaultsOf } from './limits.js';

const timeseriesFields = strictObject({ window: positiveDurationMs().optional() });
export const timeseriesSchema = timeseriesFields.default(defaultsOf(timeseriesFields));
