/**
 * The starter scenario `lbsim init` writes: a small, commented file that validates, runs in a
 * second or two, and asks the seed question (round robin, a shared session cache, or nginx
 * ip_hash stickiness, when a backend fails), so a workshop starts from something that works.
 */
import { parse } from 'yaml';

export interface StarterOptions {
  /** The scenario's `name` (the report folder is named after it). */
  readonly name: string;
  /** Where the JSON Schema is, relative to the new file (or a URL), for editors. */
  readonly schema: string;
}

/** A YAML scalar for `text`: plain when that reads back as the same text, else double-quoted. */
function yamlText(text: string): string {
  return /^[A-Za-z_][\w .\/-]*$/.test(text) && !/[ .]$/.test(text) && !/^(true|false|null|yes|no|on|off)$/i.test(text) ? text : JSON.stringify(text);
}

/** The starter as commented YAML, its first line the schema reference the YAML language server reads. */
export function starterScenarioYaml(options: StarterOptions): string {
  return `# yaml-language-server: $schema=${options.schema}
#
# A starter lbsim scenario: round robin, a shared session cache and nginx ip_hash compared on
# the same seeded shopping sessions, while one backend is down for a minute.
#   lbsim validate FILE    checks it          lbsim run FILE    runs it and writes a report
#   lbsim list             methods, stores, timeline events and the bundled scenarios
# Every field, its unit and its default: docs/scenario.md (in the lbsim package).

name: ${yamlText(options.name).padEnd(31)} # the report goes to reports/<name>/
description: >
  Four backends behind nginx; a quarter of the users share two NAT addresses. Halfway through,
  one backend stops accepting connections for a minute. Which strategy breaks fewest sessions,
  and what does each cost?
seed: 1                               # same seed, same results to the byte (--seed replaces it)
sessions: 3000                        # shopping sessions to simulate (--sessions replaces it)

arrivals:
  rate: 30/s                          # sessions starting per second (random, Poisson arrivals)

clients:                              # the client addresses the balancer sees
  networks: 2000                      # individual users come from 2000 /24 networks
  nat: { share: 0.25, addresses: 2 }  # a quarter of them behind 2 NAT gateways (offices)

journey:                              # what each user does
  thinkTime: { dist: exponential, mean: 5s }   # the pause between two steps
  # steps: not given, so the six-step shop: home, search, product, add-to-cart, checkout, pay

backends:                             # the servers behind the balancer, all alike
  count: 4                            # how many
  name: "10.0.0.{n}:8080"             # 10.0.0.1:8080 … 10.0.0.4:8080
  workers: 16                         # requests each serves at once; more wait in its queue

stores:                               # where session state lives (each strategy picks one)
  local:
    ttl: 30m                          # in a backend's memory; idle sessions expire after 30 min
  shared:
    roundTrip: 2ms                    # in a cache such as Redis: each access costs a round trip
    ttl: 30m

strategies:                           # compared side by side on the same sessions
  - name: round-robin
    balancer: { method: round-robin } # nginx's default: each request to the next backend
    store: local                      # sessions in memory: a step elsewhere finds none
  - name: shared-cache
    balancer: { method: round-robin }
    store: shared                     # sessions in the shared cache: any backend will do
  - name: ip-hash
    balancer: { method: ip-hash }     # nginx ip_hash: sticky by client address
    store: local

timeline:                             # what goes wrong during the run
  - at: 50%                           # halfway through the arrivals (or a time: 90s)
    backend: "10.0.0.2:8080"
    mode: refused                     # refuses connections: nginx retries the next backend
    duration: 1m                      # then it is up again, its memory lost
`;
}

/** The starter as JSON (JSON has no comments: the schema is named by the `$schema` key instead). */
export function starterScenarioJson(options: StarterOptions): string {
  const document = parse(starterScenarioYaml(options)) as Record<string, unknown>;
  return `${JSON.stringify({ $schema: options.schema, ...document }, null, 2)}\n`;
}
