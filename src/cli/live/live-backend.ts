/**
 * The backend process `lbsim live` starts, one per backend:
 * `node live-backend.js PORT CONTROL_PORT WORKERS SPEED ON_OUTAGE LISTEN_AT [REDIS_PORT]`. Listens from
 * LISTEN_AT (epoch ms; 0: at once), so that a restart can be started early and still open its
 * port on the timeline's millisecond; prints `ready` once both ports listen; stops on SIGTERM.
 */
import { BackendServer } from './backend-server.js';

const [port, controlPort, workers, speed, onOutage, listenAt, redisPort] = process.argv.slice(2);
const server = new BackendServer({
  port: Number(port),
  controlPort: Number(controlPort),
  workers: Number(workers),
  speed: Number(speed),
  onOutage: onOutage === 'serve-without-state' ? 'serve-without-state' : 'fail',
  redisPort: redisPort === undefined ? undefined : Number(redisPort),
});
const wait = Number(listenAt) - Date.now();
if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
await server.listen();
process.stdout.write('ready\n');
process.on('SIGTERM', () => {
  server.close();
  process.exit(0);
});
