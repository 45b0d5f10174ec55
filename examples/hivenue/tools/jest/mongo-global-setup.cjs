// Starts one MongoDB stand-in for the whole jest run and hands its URI to the test workers
// through MONGODB_URI (workers inherit this process's environment).
// The stand-in is ESM-only while jest runs CommonJS, so it lives in a child process.
// If MONGODB_URI is already set (a database the CI started as a service, or a real MongoDB), tests
// use that server and no stand-in is started.
const { spawn } = require('node:child_process');
const path = require('node:path');
const readline = require('node:readline');

const STANDIN_SCRIPT = path.join(__dirname, '..', 'mongo-standin.mjs');
const STARTUP_TIMEOUT_MS = 20_000;

module.exports = async function startMongoStandin() {
  if (process.env.MONGODB_URI) return;

  const child = spawn(process.execPath, [STANDIN_SCRIPT, '--port', '0', '--exit-on-stdin-end'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  globalThis.__MONGO_STANDIN__ = child;

  process.env.MONGODB_URI = await readFirstLine(child);
};

function readFirstLine(child) {
  return new Promise((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout });
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error(`MongoDB stand-in did not start within ${STARTUP_TIMEOUT_MS} ms`));
    }, STARTUP_TIMEOUT_MS);
    lines.once('line', (line) => {
      clearTimeout(timer);
      lines.close();
      resolve(line.trim());
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`MongoDB stand-in exited early (code ${code}, signal ${signal})`));
    });
  });
}
