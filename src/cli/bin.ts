#!/usr/bin/env node
import { nodeIo } from './io.js';
import { main } from './main.js';

// A reader that stops early (`lbsim run … --json | head`) is not an error: the rest of the output
// goes nowhere, and the command still ends with its own exit code.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
});

main(process.argv.slice(2), nodeIo()).then((code) => {
  process.exitCode = code;
});
