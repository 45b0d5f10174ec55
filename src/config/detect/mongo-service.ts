/**
 * The MongoDB service a suite needs when its tests name a MongoDB URL and start no server of their
 * own: its env from the URL the tests use, and its command from a script that starts a database
 * (else a placeholder that says what to write).
 */
import type { PackageManifest } from '../../workspace/graph.js';
import { shellSegments, takeAssignments } from '../junit/shell-segments.js';
import { testTexts } from './test-texts.js';
import type { Argv, Context, Found } from './types.js';

/** The service's name in waggle.yml. */
const MONGO_SERVICE = 'mongodb';
/** Test helpers that start a MongoDB of their own: such suites need no service. */
const SELF_STARTED_MONGO = /MongoMemoryServer|mongodb-memory-server|CongoServer|globalSetup[^\n]*mongo/i;

/** The service a suite needs when its tests' setup names a MongoDB URL and starts no server itself. */
export function mongoService(
  context: Context,
  folder: string,
  manifest: PackageManifest,
  item: Found,
): string | undefined {
  const texts = testTexts(context, folder, item);
  const uses = texts.filter((text) => /MONGO(DB)?_UR[IL]|mongodb(\+srv)?:\/\//.test(text));
  if (uses.length === 0 || texts.some((text) => SELF_STARTED_MONGO.test(text))) return undefined;
  const services = context.detection.services;
  if (services[MONGO_SERVICE]) return MONGO_SERVICE;
  const variable =
    uses.map((text) => /process\.env\.(\w*MONGO\w*)/.exec(text)?.[1]).find(Boolean) ??
    uses.map((text) => /\b(MONGO(?:DB)?_UR[IL])\b/.exec(text)?.[1]).find(Boolean) ??
    'MONGODB_URI';
  const url = uses
    .map((text) => /mongodb:\/\/(?:[^@/\s'"`]*@)?[^/:\s'"`]+(?::(\d+))?\/?([\w-]*)/.exec(text))
    .find(Boolean);
  const port = Number(url?.[1] ?? 27017);
  const database = url?.[2] || `${context.detection.name}-test`;
  const env = { [variable]: `mongodb://127.0.0.1:${port}/${database}` };
  const script = databaseScript(manifest.scripts ?? {});
  const about = [
    `The tests read ${variable}: waggle starts this service before the suites that list it, hands`,
    'them its env, and stops it when the run ends.',
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
