#!/usr/bin/env node
// In-memory MongoDB stand-in for local runs and tests, where no real mongod can be had.
// It speaks the MongoDB wire protocol, so services keep using the official driver and a
// mongodb:// URI; pointing MONGODB_URI at a real server needs no code change.
//
// Usage: node tools/mongo-standin.mjs [--host ADDRESS] [--port N] [--exit-on-stdin-end]
//   --host ADDRESS        address to listen on (default 127.0.0.1; a db host's own address when
//                         services on other hosts reach it)
//   --port N              port (default 0: a free port chosen by the OS)
//   --exit-on-stdin-end   stop when stdin closes, so a parent that dies without cleaning up
//                         (a crashed test run) does not leave the server behind
// Prints exactly one line, mongodb://ADDRESS:PORT, once it accepts connections, and stops
// cleanly on SIGTERM or SIGINT.
// Known gaps against a real server: string _ids are rejected and unique indexes are not enforced.

import { parseArgs } from 'node:util';
// The congodb entry point, rather than the package root, avoids loading (and logging from)
// the parts of smartmongo that manage real mongod binaries.
import { CongoServer } from '@push.rocks/smartmongo/dist_ts/congodb/index.js';

const { values } = parseArgs({
  options: {
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '0' },
    'exit-on-stdin-end': { type: 'boolean', default: false },
  },
});
const requestedPort = Number(values.port);
if (!Number.isInteger(requestedPort) || requestedPort < 0 || requestedPort > 65535) {
  console.error(`mongo-standin: invalid --port ${values.port}`);
  process.exit(2);
}
const HOST = values.host;

const server = new CongoServer({ host: HOST, port: requestedPort, storage: 'memory' });
try {
  await server.start();
} catch (error) {
  console.error(`mongo-standin: cannot listen on ${HOST}:${requestedPort}: ${error.message}`);
  process.exit(1);
}

// CongoServer reports the port it was asked for; with port 0 only the listening socket knows
// the real one.
const listeningPort = server.server?.address()?.port ?? requestedPort;
process.stdout.write(`mongodb://${HOST}:${listeningPort}\n`);

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await server.stop();
  process.exit(0);
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
if (values['exit-on-stdin-end']) {
  process.stdin.on('end', stop);
  process.stdin.on('error', stop);
  process.stdin.resume();
}
