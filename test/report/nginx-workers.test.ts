/**
 * lbsim models one nginx worker process (or workers sharing a zone), and says so wherever nginx
 * strategies are shown: `validate`, the terminal table and the HTML report; never for a run
 * without nginx methods.
 */
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { nginxWorkerNote } from '../../src/report/index.js';
import { fakeIo } from '../helpers/fake-io.js';

const NOTE = /lbsim models nginx \(round-robin(, ip-hash)?\) as one worker process, or workers sharing a zone/;

describe('the nginx worker note', () => {
  it('names the nginx methods used, once each, and is absent without them', () => {
    expect(nginxWorkerNote(['round-robin', 'haproxy-cookie', 'round-robin', 'ip-hash'])).toMatch(/^lbsim models nginx \(round-robin, ip-hash\) as one worker process, or workers sharing a zone: /);
    expect(nginxWorkerNote(['haproxy-cookie', 'envoy-maglev'])).toBeUndefined();
  });

  it('validate says it for a scenario with nginx strategies only', async () => {
    const nginx = fakeIo();
    expect(await main(['validate', 'scenarios/shop-basic.yaml'], nginx.io)).toBe(0);
    expect(nginx.stdout()).toMatch(NOTE);
    const haproxy = fakeIo();
    expect(await main(['validate', 'scenarios/haproxy-retries.yaml'], haproxy.io)).toBe(0);
    expect(haproxy.stdout()).not.toContain('worker process');
  });

  it('run says it below the table and in the report', async () => {
    const { io, stdout, written } = fakeIo();
    expect(await main(['run', 'scenarios/intro.yaml', '--sessions', '100'], io)).toBe(0);
    expect(stdout().replace(/\n/g, ' ')).toMatch(NOTE);
    expect(written.get('reports/intro/report.html')).toMatch(NOTE);
    const haproxy = fakeIo();
    expect(await main(['run', 'scenarios/haproxy-retries.yaml', '--sessions', '100'], haproxy.io)).toBe(0);
    expect(haproxy.stdout()).not.toContain('worker process');
    expect(haproxy.written.get('reports/haproxy-retries/report.html')).not.toContain('worker process');
  });
});
