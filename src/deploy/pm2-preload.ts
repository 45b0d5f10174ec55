/**
 * The script waggle loads into every service it runs under pm2 (`node --require`), written to the
 * host beside pm2's home. It changes nothing the service does; it tells pm2 and the service's
 * clients what happens to it, which is what a release handing over to the next one needs:
 * - Once the service listens on its PORT, pm2 hears `ready` (pm2 waits for it: `wait_ready`), so
 *   the release it replaces is stopped only when this one takes connections. An app need not send
 *   `ready` itself: waggle deploys apps that know nothing of pm2.
 * - Once the service closes its HTTP server (its graceful shutdown on SIGINT), each answer it
 *   still gives says `Connection: close`: a keep-alive client (nginx's upstream connections) sends
 *   nothing more there, the connections end, and the old process can exit without cutting a
 *   request off. Connections idle at that moment are not cut at once, as Node's own close would
 *   (a client may be sending on one right then): they end after their next answer, or when Node's
 *   keepAliveTimeout ends them as it always does.
 * - A service that stops by closing its servers and connections exits then, as it would outside
 *   pm2, rather than being kept alive by pm2's IPC channel until pm2 kills it.
 * - pm2 stops a process with SIGINT. A service with no SIGINT handler of its own would die on the
 *   spot, cutting off what it was answering; instead its servers close as above and it exits once
 *   they have (pm2 kills it after kill_timeout if that never happens).
 */
export const PM2_PRELOAD = `'use strict';
// Written by waggle; see src/deploy/pm2-preload.ts.
const net = require('node:net');
const http = require('node:http');

// An HTTP server's answers in progress, so that closing it can mark them too.
const answering = Symbol('waggle.answering');
const closing = Symbol('waggle.closing');
// Every server the service listens with, to close them for a service that does not stop itself.
const servers = new Set();
const port = Number(process.env.PORT);
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  if (this instanceof http.Server && !this[answering]) {
    this[answering] = new Set();
    this.prependListener('request', track);
  }
  servers.add(this);
  process.channel?.ref();
  this.once('close', () => {
    servers.delete(this);
    // pm2's IPC channel would keep the process alive: one that stops by closing what it holds
    // (as most do on SIGINT) would wait for pm2's kill. With no server left, it exits as usual.
    if (servers.size === 0) process.channel?.unref();
  });
  this.once('listening', () => {
    const address = this.address();
    const ours = !port || (address !== null && typeof address === 'object' && address.port === port);
    if (ours && typeof process.send === 'function') process.send('ready');
  });
  return listen.apply(this, args);
};

function track(_request, response) {
  if (this[closing]) return response.setHeader('connection', 'close');
  this[answering].add(response);
  response.once('close', () => this[answering].delete(response));
}
http.Server.prototype.close = function (...args) {
  if (!this[closing]) {
    this[closing] = true;
    for (const response of this[answering] ?? []) {
      if (!response.headersSent) response.setHeader('connection', 'close');
    }
  }
  // Not http's own close, which also cuts the keep-alive connections idle at this moment: that
  // races a client sending its next request on one (it sees ECONNRESET). Left open, each ends
  // after its next answer (Connection: close above) or when idle for keepAliveTimeout, as always.
  return net.Server.prototype.close.apply(this, args);
};

function stopGently() {
  if (process.listenerCount('SIGINT') > 1) return; // the service stops itself
  let open = servers.size;
  if (open === 0) process.exit(0);
  for (const server of [...servers]) server.close(() => --open === 0 && process.exit(0));
}
process.on('SIGINT', stopGently);
`;
