export type { BackendName, HttpMethod, Request } from './request.js';
export type { ClientAddress } from './address.js';
export { parseAddress, addressFromBytes } from './address.js';
