/** `timeseries`: the per-window series (timeseries.csv, the report's timelines). */
import { durationMs, strictObject } from '../../fields/index.js';
import { defaultsOf } from './limits.js';

const timeseriesFields = strictObject({ window: durationMs().optional() });
export const timeseriesSchema = timeseriesFields.default(defaultsOf(timeseriesFields));
