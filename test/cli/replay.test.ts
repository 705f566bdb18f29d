/**
 * `lbsim replay` as a user runs it: files in, JSON Lines out, exit 0; bad input -> every problem
 * on stderr as `file:line:column: field: expected ..., got ...`, exit 2, nothing on stdout.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { replayCommand } from '../../src/cli/replay.js';
import { fakeIo } from '../helpers/fake-io.js';

const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'nginx-failover', 'iphash4_refused_recover.json');
const fixture = JSON.parse(readFileSync(FIXTURE, 'utf8')) as {
  upstream: string[];
  location: string[];
  requests: { i: number; t: number; method: string; client: string; tried: string[]; upstream_status: number[]; status: number }[];
};
const NGINX = [...fixture.upstream, ...fixture.location].join('\n');
const REQUESTS = fixture.requests.map(({ i, t, method, client }) => JSON.stringify({ i, t, method, client })).join('\n');
const UPSTREAM = 'upstream up {\n    server 127.0.0.1:9211;\n    server 127.0.0.1:9212;\n}\n';

describe('lbsim replay', () => {
  it("replays a recording: the fixture file itself serves as the timeline ({ events }), nginx's answers come out", async () => {
    const { io, stdout, stderr } = fakeIo({ files: { 'nginx.conf': NGINX, 'requests.jsonl': REQUESTS } });
    expect(await replayCommand({ nginx: 'nginx.conf', timeline: FIXTURE, requests: 'requests.jsonl' }, io)).toBe(0);
    expect(stderr()).toBe('');
    const lines = stdout().trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toEqual(
      fixture.requests.map(({ i, t, method, client, tried, upstream_status, status }) => ({ i, t, method, client, tried, upstream_status, status })),
    );
  });

  it('reads requests from standard input when no file is given; method defaults to GET', async () => {
    const timeline = JSON.stringify([{ t: 1, server: '127.0.0.1:9211', mode: 'refused' }]);
    const { io, stdout } = fakeIo({
      files: { 'n.conf': UPSTREAM, 'e.json': timeline },
      stdin: '{"t": 0.5, "client": "10.0.0.1"}\n\n{"t": 1.5, "client": "10.0.0.2", "note": "kept"}\n',
    });
    expect(await replayCommand({ nginx: 'n.conf', timeline: 'e.json' }, io)).toBe(0);
    // Round robin: 0.5 s -> 9211. At 1.5 s 9211 is refused; the step over both picks 9212
    // ([-1,1] -> [0,2]) - 9211 was not even tried.
    expect(stdout()).toBe(
      '{"t":0.5,"client":"10.0.0.1","tried":["127.0.0.1:9211"],"upstream_status":[200],"status":200}\n' +
        '{"t":1.5,"client":"10.0.0.2","note":"kept","tried":["127.0.0.1:9212"],"upstream_status":[200],"status":200}\n',
    );
  });

  it('shows "no live upstreams" as the upstream name, as $upstream_addr does', async () => {
    const timeline = JSON.stringify([
      { t: 0, server: '127.0.0.1:9211', mode: 'refused' },
      { t: 0, server: '127.0.0.1:9212', mode: 'refused' },
    ]);
    const { io, stdout } = fakeIo({ files: { 'n.conf': UPSTREAM, 'e.json': timeline }, stdin: '{"t":1,"client":"10.0.0.1"}\n{"t":2,"client":"10.0.0.1"}\n' });
    expect(await replayCommand({ nginx: 'n.conf', timeline: 'e.json' }, io)).toBe(0);
    expect(stdout().trimEnd().split('\n').map((l) => JSON.parse(l) as object)).toEqual([
      { t: 1, client: '10.0.0.1', tried: ['127.0.0.1:9211', '127.0.0.1:9212'], upstream_status: [502, 502], status: 502 },
      { t: 2, client: '10.0.0.1', tried: ['up'], upstream_status: [502], status: 502 },
    ]);
  });

  it('reports nginx configuration errors with file and line', async () => {
    const { io, stdout, stderr } = fakeIo({ files: { 'n.conf': 'upstream up {\n    server a:1;\n    least_conn;\n}\n', 'e.json': '[]' } });
    expect(await replayCommand({ nginx: 'n.conf', timeline: 'e.json' }, io)).toBe(2);
    expect(stderr()).toBe('n.conf:3:1: "least_conn" is not supported by lbsim yet (an upstream block may hold server lines and ip_hash)\n');
    expect(stdout()).toBe('');
  });

  it('reports every bad event and request field, naming file, line or field, expectation and value', async () => {
    const timeline = JSON.stringify({ events: [{ t: -1, server: '127.0.0.1:9213', mode: 'refused' }, { t: 2, server: '127.0.0.1:9212', mode: 'refuse' }] });
    const requests = ['{"t": 1, "client": "10.0.0.1"}', '{"t": 0.5, "client": "10.1", "method": "BREW"}', 'not json', '[1]'].join('\n');
    const { io, stdout, stderr } = fakeIo({ files: { 'n.conf': UPSTREAM, 'e.json': timeline, 'r.jsonl': requests } });
    expect(await replayCommand({ nginx: 'n.conf', timeline: 'e.json', requests: 'r.jsonl' }, io)).toBe(2);
    expect(stderr().split('\n')).toEqual([
      'e.json: events[0].t: expected a time in seconds (a number >= 0), got -1',
      'e.json: events[0].server: expected a server of upstream "up" (127.0.0.1:9211, 127.0.0.1:9212), got "127.0.0.1:9213" (did you mean "127.0.0.1:9211"?)',
      'e.json: events[1].mode: expected one of up, refused, blackhole, crash, reset, hang, got "refuse" (did you mean "refused"?)',
      'r.jsonl:2:1: t: expected requests in time order, got 0.5 after 1',
      'r.jsonl:2:1: client: expected an IPv4 address (four decimal numbers 0-255) or an IPv6 address, got "10.1"',
      'r.jsonl:2:1: method: expected one of GET, HEAD, POST, PUT, PATCH, DELETE, LOCK, got "BREW"',
      expect.stringMatching(/^r\.jsonl:3:1: not valid JSON: /),
      'r.jsonl:4:1: expected an object {"t", "client", "method"?}, got a list',
      '',
    ]);
    expect(stdout()).toBe('');
  });

  it('reports unreadable files and non-JSON timelines without a stack trace', async () => {
    const missing = fakeIo();
    expect(await replayCommand({ nginx: '/nonexistent/nginx.conf', timeline: 'e.json' }, missing.io)).toBe(2);
    expect(missing.stderr()).toBe('/nonexistent/nginx.conf: cannot read the nginx configuration: no such file\n');
    const bad = fakeIo({ files: { 'n.conf': UPSTREAM, 'e.json': '{"t": 1,' }, stdin: '' });
    expect(await replayCommand({ nginx: 'n.conf', timeline: 'e.json' }, bad.io)).toBe(2);
    expect(bad.stderr()).toMatch(/^e\.json: not valid JSON: .*\n$/);
    expect(bad.stderr()).not.toMatch(/\bat .*\.ts:\d+/);
  });
});
