/**
 * `npm run build`'s second half: the CLI as one ES module, `dist/lbsim.js`, with its worker-thread
 * entry `dist/strategy-worker.js` and lbsim live's backend process `dist/live-backend.js` beside it (the CLI
 * finds them next to itself). Loading
 * lbsim's ~140 compiled modules and their dependencies one file at a time, a 10-session run took
 * 0.66 s; from the bundle it takes 0.48 s. The library (`dist/src`, what `import 'lbsim'` gives)
 * stays as tsc emits it.
 *
 * tinypool stays outside the bundle: it starts its workers from its own files.
 */
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { rolldown } from 'rolldown';

// Chunks of an earlier build carry other hashes: drop them.
for (const file of readdirSync('dist')) if (/^lbsim-.*\.js$/.test(file)) rmSync(join('dist', file));

const bundle = await rolldown({
  input: { lbsim: 'dist/src/cli/bin.js', 'strategy-worker': 'dist/src/cli/strategy-worker.js', 'live-backend': 'dist/src/cli/live/live-backend.js' },
  platform: 'node',
  external: ['tinypool'],
  logLevel: 'warn',
});
// Chunks shared by the two entries sit beside them, so `new URL('./strategy-worker.js', import.meta.url)` finds the worker from any of them.
await bundle.write({ dir: 'dist', format: 'esm', entryFileNames: '[name].js', chunkFileNames: 'lbsim-[name]-[hash].js' });
await bundle.close();

// The playground's two browser scripts (issue 23): each one self-contained (an IIFE, no chunks,
// no imports), minified, for `lbsim playground` to inline into its page. csv-stringify's top
// level calls Node's Buffer; the page writes no CSV, so its module is dropped unless used.
const nodeOnly = (id: string) => /[\\/]node_modules[\\/]csv-stringify[\\/]/.test(id);
for (const name of ['app', 'worker']) {
  const browser = await rolldown({ input: `dist/src/playground/${name}.js`, platform: 'browser', logLevel: 'warn', treeshake: { moduleSideEffects: (id: string) => !nodeOnly(id) } });
  await browser.write({ file: `dist/playground/${name}.js`, format: 'iife', minify: true });
  await browser.close();
}
