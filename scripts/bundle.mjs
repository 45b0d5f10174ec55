/**
 * The CLI as one file: loading one module instead of some thousand (ours, kysely's, zod's,
 * fastify's) is most of the time a `waggle` command takes before it does anything. Native and
 * optional-native packages stay outside and are loaded from node_modules as usual.
 */
import { build } from 'esbuild';

await build({
  entryPoints: ['dist/cli/main.js'],
  outfile: 'dist/waggle.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  external: ['better-sqlite3', 'ssh2', 'mongodb'],
  // Bundled CommonJS packages call require(): give the ES module one.
  banner: { js: "import { createRequire as waggleRequire } from 'node:module'; const require = waggleRequire(import.meta.url);" },
  logLevel: 'warning',
});
