/**
 * The backends' Redis client for `store: shared`: GET and SET over one connection in RESP
 * (https://redis.io/docs/reference/protocol-spec/), nothing more. While Redis is down every call
 * fails at once (no queue, no reconnect wait): the step then answers "store down", as lbsim's
 * shared cache does during an outage. A library client (`redis`, `ioredis`) queues commands and
 * retries while disconnected, which is the behaviour this must not have; two commands are a few
 * lines of the protocol.
 */
import { connect, type Socket } from 'node:net';

type Pending = { readonly resolve: (value: string | null) => void; readonly reject: (error: Error) => void };

export class RedisClient {
  private socket: Socket | undefined;
  private connecting: Promise<Socket> | undefined;
  private buffer = '';
  private readonly pending: Pending[] = [];

  constructor(private readonly port: number) {}

  async get(key: string): Promise<string | null> {
    return this.command(['GET', key]);
  }

  async set(key: string, value: string): Promise<void> {
    await this.command(['SET', key, value]);
  }

  close(): void {
    this.socket?.destroy();
  }

  private async command(words: readonly string[]): Promise<string | null> {
    const socket = await this.connection();
    return new Promise((resolve, reject) => {
      this.pending.push({ resolve, reject });
      socket.write(`*${words.length}\r\n${words.map((w) => `$${Buffer.byteLength(w)}\r\n${w}\r\n`).join('')}`);
    });
  }

  private connection(): Promise<Socket> {
    if (this.socket !== undefined) return Promise.resolve(this.socket);
    this.connecting ??= new Promise<Socket>((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port: this.port });
      socket.setEncoding('utf8');
      socket.setNoDelay(true);
      socket.once('connect', () => {
        this.socket = socket;
        this.connecting = undefined;
        resolve(socket);
      });
      socket.on('data', (chunk: string) => this.receive(chunk));
      socket.on('error', (error) => {
        this.connecting = undefined;
        reject(error);
      });
      socket.on('close', () => this.dropped());
    });
    return this.connecting;
  }

  private dropped(): void {
    this.socket = undefined;
    this.connecting = undefined;
    this.buffer = '';
    for (const p of this.pending.splice(0)) p.reject(new Error('redis connection closed'));
  }

  /** Replies to GET and SET: a simple string, an error, or a bulk string (null when absent). */
  private receive(chunk: string): void {
    this.buffer += chunk;
    for (;;) {
      const end = this.buffer.indexOf('\r\n');
      if (end < 0) return;
      const kind = this.buffer[0];
      const head = this.buffer.slice(1, end);
      if (kind === '$') {
        const length = Number(head);
        if (length < 0) {
          this.buffer = this.buffer.slice(end + 2);
          this.pending.shift()?.resolve(null);
          continue;
        }
        // Values are version numbers in ASCII: characters equal bytes.
        if (this.buffer.length < end + 2 + length + 2) return;
        const value = this.buffer.slice(end + 2, end + 2 + length);
        this.buffer = this.buffer.slice(end + 2 + length + 2);
        this.pending.shift()?.resolve(value);
        continue;
      }
      this.buffer = this.buffer.slice(end + 2);
      if (kind === '-') this.pending.shift()?.reject(new Error(head));
      else this.pending.shift()?.resolve(head);
    }
  }
}
