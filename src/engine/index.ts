export type { SimTime, Clock } from './time.js';
