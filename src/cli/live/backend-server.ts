/**
 * lbsim live's backend: an HTTP server with `workers` slots and a FIFO queue, which holds each
 * request for the service time the request names (`x-service-ms`, divided by its speed), and
 * keeps session state in its own memory or in Redis. A step that needs the session and finds
 * none answers 410; one that finds an older version than the client's last write answers 409;
 * with Redis down, 500 (or 503 under `serve-without-state`) with `x-state: store-down`. A second port takes control requests:
 * `/mode?m=crash|reset|up`, `/slow?speed=S`, `/errors?on=1|0`.
 *
 * Answers also carry `x-queue-ms` (the wait for a worker) and `x-store` (`READS,WRITES,HITS` of the
 * session store for this request).
 *
 * Requests carry `x-session-id`, `x-needs` (1: the step needs the session), `x-version` (the
 * version the client last wrote) and `x-write-version` (the version this request writes, absent
 * for readers). Answers carry `x-backend` (this server's address) and `x-backend-ms` (the time
 * spent here, queue and service), so the hop can be told apart from the work.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { RedisClient } from './redis-client.js';

export interface BackendOptions {
  readonly port: number;
  readonly controlPort: number;
  readonly workers: number;
  /** The backend's speed: service time is the demand divided by it (a `slow` event multiplies it). */
  readonly speed: number;
  /** With Redis down, `fail` every request (500) or fail only the steps that need the session (503). */
  readonly onOutage: 'fail' | 'serve-without-state';
  /** Redis port for `store: shared`; undefined: sessions in this process's memory. */
  readonly redisPort: number | undefined;
}

type Mode = 'up' | 'crash' | 'reset';

interface Job {
  readonly request: IncomingMessage;
  readonly response: ServerResponse;
  readonly arrived: number;
}

const header = (request: IncomingMessage, name: string): string => {
  const value = request.headers[name];
  return Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
};

export class BackendServer {
  private mode: Mode = 'up';
  private speed = 1;
  private errors = false;
  private busy = 0;
  private readonly queue: Job[] = [];
  private readonly local = new Map<string, number>();
  private readonly redis: RedisClient | undefined;
  readonly traffic: Server;
  readonly control: Server;
  private readonly name: string;

  constructor(private readonly options: BackendOptions) {
    this.name = `127.0.0.1:${options.port}`;
    this.redis = options.redisPort === undefined ? undefined : new RedisClient(options.redisPort);
    this.traffic = createServer({ keepAlive: true }, (request, response) => this.accept(request, response));
    // `reset`: the connection is accepted, then reset as the request arrives.
    this.traffic.on('connection', (socket: Socket) => socket.setNoDelay(true));
    this.control = createServer((request, response) => this.command(request, response));
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => this.traffic.once('error', reject).listen(this.options.port, '127.0.0.1', resolve));
    await new Promise<void>((resolve, reject) => this.control.once('error', reject).listen(this.options.controlPort, '127.0.0.1', resolve));
  }

  close(): void {
    this.traffic.close();
    this.control.close();
    this.redis?.close();
  }

  private accept(request: IncomingMessage, response: ServerResponse): void {
    if (this.mode === 'crash') return void request.socket.destroy();
    if (this.mode === 'reset') return void request.socket.resetAndDestroy();
    if (request.url === '/__warm') return void response.end('warm');
    // Read the (empty) body so the connection can be reused.
    request.resume();
    this.queue.push({ request, response, arrived: performance.now() });
    this.serveNext();
  }

  private serveNext(): void {
    while (this.busy < this.options.workers && this.queue.length > 0) {
      const job = this.queue.shift()!;
      this.busy++;
      void this.serve(job).finally(() => {
        this.busy--;
        this.serveNext();
      });
    }
  }

  private async serve({ request, response, arrived }: Job): Promise<void> {
    const session = header(request, 'x-session-id');
    const expected = Number(header(request, 'x-version') || '0');
    const writes = header(request, 'x-write-version');
    const serviceMs = Number(header(request, 'x-service-ms') || '0') / (this.options.speed * this.speed);
    let status = 200;
    let state = 'ok';
    const ops = { reads: 0, writes: 0, hits: 0 };
    try {
      const needs = header(request, 'x-needs') === '1' && expected > 0;
      // An application that cannot reach its store at all fails every request.
      const mustRead = needs || (this.redis !== undefined && this.options.onOutage === 'fail');
      if (mustRead) {
        ops.reads++;
        const held = await this.read(session);
        if (held !== undefined) ops.hits++;
        if (needs && held === undefined) [status, state] = [410, 'missing'];
        else if (needs && held! < expected) [status, state] = [409, 'stale'];
      }
    } catch {
      [status, state] = [this.options.onOutage === 'fail' ? 500 : 503, 'store-down'];
    }
    const started = performance.now();
    await new Promise((resolve) => setTimeout(resolve, serviceMs));
    if (this.errors) [status, state] = [500, 'error'];
    if (status === 200 && writes !== '') {
      try {
        ops.writes++;
        await this.write(session, Number(writes));
      } catch {
        [status, state] = [this.options.onOutage === 'fail' ? 500 : 503, 'store-down'];
      }
    }
    if (response.destroyed) return;
    response.writeHead(status, {
      'x-backend': this.name,
      'x-state': state,
      'x-backend-ms': (performance.now() - arrived).toFixed(3),
      // The wait for a worker, and the store operations, so that a measured summary has the backends' busy time and store load.
      'x-queue-ms': (started - arrived).toFixed(3),
      'x-store': `${ops.reads},${ops.writes},${ops.hits}`,
      'content-type': 'text/plain',
    });
    response.end(state);
  }

  private async read(session: string): Promise<number | undefined> {
    if (this.redis === undefined) return this.local.get(session);
    const value = await this.redis.get(`lbsim:${session}`);
    return value === null ? undefined : Number(value);
  }

  /** Parallel writers of one step may finish out of order: the newest version stays. */
  private async write(session: string, version: number): Promise<void> {
    if (this.redis === undefined) {
      this.local.set(session, Math.max(version, this.local.get(session) ?? 0));
      return;
    }
    const held = await this.redis.get(`lbsim:${session}`);
    if (held === null || Number(held) < version) await this.redis.set(`lbsim:${session}`, String(version));
  }

  private command(request: IncomingMessage, response: ServerResponse): void {
    const url = new URL(request.url ?? '/', 'http://control');
    if (url.pathname === '/mode') {
      const mode = url.searchParams.get('m');
      if (mode === 'up' || mode === 'crash' || mode === 'reset') this.mode = mode;
      else return void response.writeHead(400).end('mode: up, crash or reset');
    } else if (url.pathname === '/slow') this.speed = Number(url.searchParams.get('speed') ?? '1') || 1;
    else if (url.pathname === '/errors') this.errors = url.searchParams.get('on') === '1';
    else return void response.writeHead(404).end('unknown control');
    response.end('ok');
  }
}
