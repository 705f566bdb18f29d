/**
 * lbsim live's backend, in this process: missing and stale state answered apart, worker slots
 * with a FIFO queue, service time from the request, and the control port's crash and errors.
 */
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { BackendServer } from '../../src/cli/live/backend-server.js';
import { freePort } from '../../src/cli/live/processes.js';

interface Answer {
  readonly status: number;
  readonly state: string | undefined;
  readonly backendMs: number;
}

function send(port: number, headers: Record<string, string>, path = '/'): Promise<Answer | 'closed'> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, headers, agent: false }, (res) => {
      res.resume();
      res.once('end', () => resolve({ status: res.statusCode ?? 0, state: res.headers['x-state'] as string | undefined, backendMs: Number(res.headers['x-backend-ms']) }));
    });
    req.once('error', () => resolve('closed'));
    req.end();
  });
}

const control = (port: number, path: string) => send(port, {}, path);

let server: BackendServer | undefined;
afterEach(() => server?.close());

async function start(workers: number): Promise<{ port: number; controlPort: number }> {
  const port = await freePort();
  const controlPort = await freePort();
  server = new BackendServer({ port, controlPort, workers, speed: 1, onOutage: 'fail', redisPort: undefined });
  await server.listen();
  return { port, controlPort };
}

describe('the live backend', () => {
  it('answers 410 for a session it never saw, 409 for an older version, 200 once it holds the version', async () => {
    const { port } = await start(2);
    const step = (version: number, write?: number) => send(port, { 'x-session-id': 's1', 'x-needs': '1', 'x-version': String(version), 'x-service-ms': '0', ...(write === undefined ? {} : { 'x-write-version': String(write) }) });
    expect(await step(1)).toMatchObject({ status: 410, state: 'missing' });
    // A first step needs nothing yet (version 0) and writes version 1.
    expect(await step(0, 1)).toMatchObject({ status: 200 });
    expect(await step(2)).toMatchObject({ status: 409, state: 'stale' });
    expect(await step(1)).toMatchObject({ status: 200, state: 'ok' });
  });

  it('serves in FIFO order with its worker slots: with one worker, the second request waits for the first', async () => {
    const { port } = await start(1);
    const [first, second] = (await Promise.all([send(port, { 'x-service-ms': '80' }), send(port, { 'x-service-ms': '80' })])) as Answer[];
    const [shorter, longer] = [first!.backendMs, second!.backendMs].sort((a, b) => a - b);
    expect(shorter).toBeGreaterThanOrEqual(79);
    expect(longer).toBeGreaterThanOrEqual(159);
  });

  it('crash: accepts the request, then closes the connection; up: answers again', async () => {
    const { port, controlPort } = await start(2);
    await control(controlPort, '/mode?m=crash');
    expect(await send(port, { 'x-service-ms': '0' })).toBe('closed');
    await control(controlPort, '/mode?m=up');
    expect(await send(port, { 'x-service-ms': '0' })).toMatchObject({ status: 200 });
  });

  it('errors: answers 500 until told otherwise', async () => {
    const { port, controlPort } = await start(2);
    await control(controlPort, '/errors?on=1');
    expect(await send(port, { 'x-service-ms': '0' })).toMatchObject({ status: 500 });
    await control(controlPort, '/errors?on=0');
    expect(await send(port, { 'x-service-ms': '0' })).toMatchObject({ status: 200 });
  });
});
