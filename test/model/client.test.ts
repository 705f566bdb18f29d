/**
 * Simulated users come from public unicast space only: no real client has a multicast, private,
 * loopback, documentation or reserved address. The oracle is ipaddr.js's classification of
 * special ranges (its own table of the IANA registries), not lbsim's list.
 */
import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import { describe, expect, it } from 'vitest';
import { createRandomStream } from '../../src/engine/index.js';
import { ClientPopulation, PUBLIC_NETWORKS } from '../../src/model/index.js';

const rangeOf = (text: string): string => ipaddr.parse(text).range();

describe('client addresses', () => {
  it('are public unicast for any mix of networks, IPv6, NAT and mobile moves', () => {
    fc.assert(
      fc.property(
        fc.record({
          networks: fc.oneof(fc.integer({ min: 1, max: 5000 }), fc.integer({ min: PUBLIC_NETWORKS - 1000, max: PUBLIC_NETWORKS })),
          ipv6Share: fc.constantFrom(0, 0.3, 1),
          natShare: fc.double({ min: 0, max: 1, noNaN: true }),
          natAddresses: fc.integer({ min: 1, max: 50 }),
          seed: fc.string({ maxLength: 8 }),
        }),
        ({ networks, ipv6Share, natShare, natAddresses, seed }) => {
          const root = createRandomStream(seed);
          const population = new ClientPopulation({ networks, ipv6Share, nat: { share: natShare, addresses: natAddresses } }, root.fork('layout'));
          const rng = root.fork('draws');
          for (let i = 0; i < 100; i++) {
            const address = population.draw(rng);
            expect(rangeOf(address.text), address.text).toBe('unicast');
            for (const scope of ['network', 'host'] as const) {
              const moved = population.move(address, scope, rng.next(), rng.next());
              expect(rangeOf(moved.text), `${address.text} moved within its ${scope}: ${moved.text}`).toBe('unicast');
            }
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('give each of the networks its own /24, even when a scenario asks for every public one', () => {
    // Network k is drawn by the third uniform of a draw; a stream that returns chosen uniforms walks them.
    const networks = PUBLIC_NETWORKS;
    const population = new ClientPopulation({ networks, ipv6Share: 0 }, createRandomStream('layout'));
    const ks = [0, 1, 2, 3, networks - 3, networks - 2, networks - 1, 1234567, 7654321];
    const prefixes = ks.map((k) => {
      const uniforms = [0.99, 0, (k + 0.5) / networks, 0.5];
      const address = population.draw({ label: 'chosen', next: () => uniforms.shift()!, fork: () => { throw new Error('unused'); } });
      return address.text.split('.').slice(0, 3).join('.');
    });
    expect(new Set(prefixes).size).toBe(ks.length);
  });

  it('leave a listed address as it is, whatever its range (a real sample is taken as given)', () => {
    const population = new ClientPopulation({ networks: 1, ipv6Share: 0, addressList: ['10.1.2.3'] }, createRandomStream('layout'));
    expect(population.draw(createRandomStream('draws')).text).toBe('10.1.2.3');
  });
});
