#!/usr/bin/env node
// The db host's MongoDB for the deploy bench: the reference app's in-memory stand-in (CongoDB from
// @push.rocks/smartmongo, installed with examples/hivenue), listening on every address of the host's
// namespace rather than on 127.0.0.1 as tools/mongo-standin.mjs does, so the api host reaches it.
//
// Usage: node db-standin.mjs <reference app folder> <port>
// Prints `listening <port>` once it accepts connections; stops on SIGTERM/SIGINT or when stdin ends.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [app, port] = process.argv.slice(2);
const entry = join(app, 'node_modules/@push.rocks/smartmongo/dist_ts/congodb/index.js');
const { CongoServer } = await import(pathToFileURL(entry).href);
const server = new CongoServer({ host: '0.0.0.0', port: Number(port), storage: 'memory' });
await server.start();
process.stdout.write(`listening ${port}\n`);

const stop = async () => {
  await server.stop();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.on('end', stop);
process.stdin.resume();
