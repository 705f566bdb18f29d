/**
 * `clients`: the addresses the balancer sees. Individual users over /24 networks, NAT gateways
 * shared by many users, a corporate proxy, mobile users whose address changes, browsers that
 * refuse cookies, or a real sample of addresses from a file.
 */
import { z } from 'zod';
import { count, probability, strictObject } from '../../fields/index.js';
import { parseAddress } from '../../model/index.js';
import { defaultsOf, LIMITS } from './limits.js';

const clientsFields = strictObject({
  /** Distinct /24 networks that individual users come from. */
  networks: count(LIMITS.networks, 'networks').min(1, 'expected at least one network').default(1000),
  ipv6Share: probability().default(0),
  nat: strictObject({ share: probability(), addresses: count(LIMITS.addresses, 'NAT addresses').min(1, 'expected at least one NAT address') }).optional(),
  /** Mobile users whose address may change between steps: across /24 networks or within their /24. */
  mobile: strictObject({ share: probability(), changePerStep: probability(), scope: z.enum(['network', 'host']).default('network') }).optional(),
  /** Share of users whose browsers refuse cookies (cookie stickiness cannot pin them). */
  refuseCookies: probability().default(0),
  /** Draw users' addresses from this file instead (one address per line, or an nginx access log): the skew of one's own traffic. */
  addressFile: z.string().min(1).optional(),
  proxy: strictObject({
    share: probability(),
    // The model parses this address; refusing here gives the user a message instead of a crash.
    address: z.string().refine((text) => parseAddress(text) !== undefined, {
      error: (issue) => `expected an IP address such as "198.51.100.7" or "2001:db8::7", got ${JSON.stringify(issue.input)}`,
    }),
  }).optional(),
}).refine((c) => (c.nat?.share ?? 0) + (c.proxy?.share ?? 0) <= 1, {
  error: (issue) => {
    const c = issue.input as { nat?: { share: number }; proxy?: { share: number } };
    return `nat.share + proxy.share must not exceed 1, got ${Number(((c.nat?.share ?? 0) + (c.proxy?.share ?? 0)).toFixed(6))}`;
  },
});

export const clientsSchema = clientsFields.describe('The addresses the balancer sees: networks, NAT, proxy, mobile users').default(defaultsOf(clientsFields));

/** The client mix; `addressList` holds the addresses read from `addressFile`, when it is given. */
export type Clients = z.output<typeof clientsSchema> & { readonly addressList?: readonly string[] };
