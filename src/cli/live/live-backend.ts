/**
 * The backend process `lbsim live` starts, one per backend:
 * `node live-backend.js PORT CONTROL_PORT WORKERS SPEED ON_OUTAGE [REDIS_PORT]`. Prints `ready` once both ports
 * listen; stops on SIGTERM.
 */
import { BackendServer } from './backend-server.js';

const [port, controlPort, workers, speed, onOutage, redisPort] = process.argv.slice(2);
const server = new BackendServer({
  port: Number(port),
  controlPort: Number(controlPort),
  workers: Number(workers),
  speed: Number(speed),
  onOutage: onOutage === 'serve-without-state' ? 'serve-without-state' : 'fail',
  redisPort: redisPort === undefined ? undefined : Number(redisPort),
});
await server.listen();
process.stdout.write('ready\n');
process.on('SIGTERM', () => {
  server.close();
  process.exit(0);
});
