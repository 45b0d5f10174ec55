// Stops the stand-in started by mongo-global-setup.cjs, if that run started one.
module.exports = async function stopMongoStandin() {
  const child = globalThis.__MONGO_STANDIN__;
  if (!child || child.exitCode !== null) return;

  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
};
