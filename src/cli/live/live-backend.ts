/**
 * The backend process `lbsim live` starts, one per backend:
 * `node live-backend.js PORT CONTROL_PORT WORKERS [REDIS_PORT]`. Prints `ready` once both ports
 * listen; stops on SIGTERM.
 */
import { BackendServer } from './backend-server.js';

const [port, controlPort, workers, redisPort] = process.argv.slice(2).map(Number);
const server = new BackendServer({ port: port!, controlPort: controlPort!, workers: workers!, redisPort: redisPort === undefined || Number.isNaN(redisPort) ? undefined : redisPort });
await server.listen();
process.stdout.write('ready\n');
process.on('SIGTERM', () => {
  server.close();
  process.exit(0);
});
