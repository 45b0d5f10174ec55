/**
 * The MongoDB service a suite needs when its tests use a MongoDB URL and start no server of their
 * own: its env the variable they read with the URL they expect, and its command from a script that
 * starts a database (else a placeholder that says what to write).
 */

import { shellSegments, takeAssignments } from '../junit/shell-segments.js';
import type { PackageManifest } from '../manifest.js';
import { mongoUse } from './mongo-use.js';
import type { Argv, Context, Found } from './types.js';

/** The service's name in waggle.yml. */
const MONGO_SERVICE = 'mongodb';

/** The service a suite needs when its tests use a MongoDB URL and start no server themselves. */
export function mongoService(
  context: Context,
  folder: string,
  manifest: PackageManifest,
  item: Found,
): string | undefined {
  const use = mongoUse(context, folder, item);
  if (!use) return undefined;
  const services = context.detection.services;
  if (services[MONGO_SERVICE]) return MONGO_SERVICE;
  const { variable, port } = use;
  const database = use.database ?? `${context.detection.name}-test`;
  const env = { [variable]: `mongodb://127.0.0.1:${port}/${database}` };
  const script = databaseScript(manifest.scripts ?? {});
  const about = [
    `${use.reason}: waggle starts this service`,
    'before the suites that list it, hands them its env, and stops it when the run ends.',
    ...(use.envFile
      ? [
          `${use.envFile} sets ${variable} too, for local runs: dotenv leaves a variable that is`,
          "already set alone, so the tests get the service's.",
        ]
      : []),
  ];
  let lines: string[];
  if (script) {
    services[MONGO_SERVICE] = { run: script.run, ready: { tcp: port }, env: { ...script.env, ...env } };
    lines = [
      ...about,
      `run is the "${script.name}" script: check that it starts MongoDB in the foreground on 127.0.0.1:${port}.`,
    ];
  } else {
    services[MONGO_SERVICE] = {
      run: [
        'node',
        '-e',
        `console.error('services.${MONGO_SERVICE}.run in waggle.yml is a placeholder written by waggle init: replace it with the command that starts MongoDB'); process.exit(1)`,
      ],
      ready: { tcp: port },
      env,
    };
    lines = [
      `TODO: replace run with a command that starts MongoDB in the foreground on 127.0.0.1:${port}, e.g.`,
      `  run: [mongod, --port, "${port}", --bind_ip, 127.0.0.1, --dbpath, /var/lib/waggle-mongo]`,
      'waggle cannot know what starts your database: until then, run stops the run saying so.',
      ...about,
    ];
  }
  context.detection.notes.push({ at: ['services', MONGO_SERVICE], lines });
  return MONGO_SERVICE;
}

/** A script that starts the database (`"mongo": "node tools/mongo-stand-in.mjs"`), as argv. */
function databaseScript(
  scripts: Record<string, string>,
): { name: string; run: Argv; env: Record<string, string> } | undefined {
  const name = Object.keys(scripts).find(
    (key) =>
      /^(mongo|mongod|mongodb|db|database)([:_-](start|up|run|serve|server))?$/.test(key) ||
      /^(start|run)[:_-](mongo|mongod|mongodb|db)$/.test(key),
  );
  const segments = name ? shellSegments(scripts[name] as string) : [];
  if (!name || segments.length !== 1) return undefined;
  const env: Record<string, string> = {};
  const words = takeAssignments(segments[0] as string[], env);
  if (words.length === 0 || /docker|seed|migrat/.test(words.join(' '))) return undefined;
  return { name, run: words, env };
}
