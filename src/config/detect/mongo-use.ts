/**
 * Whether a suite's tests use a MongoDB, which variable they take its URL from, and the URL they
 * expect. Read from the tests, from the code beside them (tests that call `connectToMongo()` never
 * name the variable: server/mongo.ts reads process.env.MONGODB_TEST_URI), and from the .env files
 * that code loads, where `DB_URI=mongodb://...` tells a Mongo URL from any other.
 */
import { posix } from 'node:path';
import { type EnvSetting, envFileSettings } from './env-files.js';
import { suiteTexts } from './test-texts.js';
import type { Context, Found } from './types.js';

/** Test helpers that start a MongoDB of their own, or mock it away: such suites need no service. */
const NO_SERVER_NEEDED =
  /MongoMemoryServer|mongodb-memory-server|CongoServer|globalSetup[^\n]*mongo|mockingoose|(jest|vi)\.mock\(\s*['"]mongoose['"]/i;
const MONGO_URL = /mongodb(\+srv)?:\/\//;
/** A variable named for a MongoDB URL: MONGO_URL, MONGODB_TEST_URI, MONGO_CONNECTION_STRING. */
const MONGO_URL_NAME = /MONGO\w*(UR[IL]|CONN)/i;
/** Host, port and database of a URL; user and password are skipped, never repeated. */
const URL_PARTS = /mongodb:\/\/(?:[^@/\s'"`]*@)?[^/:\s'"`]+(?::(\d+))?\/?([\w-]*)/;

export interface MongoUse {
  /** The variable the tests take the URL from. */
  variable: string;
  port: number;
  database?: string;
  /** Where the variable was found: "The tests read MONGODB_TEST_URI". */
  reason: string;
  /** The .env file that sets the variable to a MongoDB URL for local runs. */
  envFile?: string;
}

export function mongoUse(context: Context, folder: string, item: Found): MongoUse | undefined {
  const { tests, code } = suiteTexts(context, folder, item);
  if (tests.some((text) => NO_SERVER_NEEDED.test(text))) return undefined;
  const dotenv = envFileSettings(context.read, [
    item.area ? posix.join(folder, item.area) : folder,
    posix.join(folder, item.invocation.cwd),
    folder,
  ]);
  const mongoValued = Object.keys(dotenv).filter((name) => MONGO_URL.test(dotenv[name]?.value ?? ''));
  const isMongo = (read: EnvRead) =>
    MONGO_URL_NAME.test(read.name) || read.mongoFallback || mongoValued.includes(read.name);
  const testReads = tests.flatMap(envReads).filter(isMongo);
  const codeReads = code.flatMap(({ path, text }) =>
    envReads(text)
      .filter(isMongo)
      .map((read) => ({ ...read, path })),
  );
  const named = tests.map((text) => /\b(MONGO(?:DB)?_UR[IL])\b/.exec(text)?.[1]).find(Boolean);
  const namesUrl = testReads.length > 0 || named !== undefined || tests.some((text) => MONGO_URL.test(text));
  // Tests that only call the code (connectToMongo, a mongoose model) use the URL that code reads.
  const usesCode = codeReads.length > 0 && tests.some((text) => /mongo/i.test(text));
  if (!namesUrl && !usesCode) return undefined;

  const testish = (name: string) => /TEST/i.test(name);
  const fromCode = codeReads.find((read) => testish(read.name)) ?? codeReads[0];
  const fromTests = testReads.find((read) => testish(read.name))?.name ?? testReads[0]?.name ?? named;
  const variable =
    fromTests ??
    (usesCode ? fromCode?.name : undefined) ??
    mongoValued.find(testish) ??
    mongoValued[0] ??
    'MONGODB_URI';
  const setting: EnvSetting | undefined = dotenv[variable];
  const url = [setting?.value ?? '', ...tests, ...code.map(({ text }) => text)]
    .map((text) => URL_PARTS.exec(text))
    .find(Boolean);
  const reason =
    fromTests !== undefined
      ? `The tests read ${variable}`
      : fromCode && variable === fromCode.name
        ? `The tests use ${fromCode.path}, which reads ${variable}`
        : setting
          ? `${setting.file} sets ${variable}`
          : `The tests name a MongoDB URL (as ${variable})`;
  return {
    variable,
    port: Number(url?.[1] ?? 27017),
    ...(url?.[2] ? { database: url[2] } : {}),
    reason,
    ...(setting && MONGO_URL.test(setting.value) ? { envFile: setting.file } : {}),
  };
}

/** A variable the code reads: `process.env.X`, `process.env['X']`, `const { X } = process.env`. */
interface EnvRead {
  name: string;
  /** Read with a MongoDB URL as its fallback: `process.env.DB_URI || 'mongodb://...'`. */
  mongoFallback: boolean;
}

function envReads(text: string): EnvRead[] {
  const reads: EnvRead[] = [];
  for (const match of text.matchAll(
    /process\.env(?:\.(\w+)|\[\s*['"](\w+)['"]\s*\])(\s*(?:\|\||\?\?)\s*['"`]mongodb)?/g,
  ))
    reads.push({ name: (match[1] ?? match[2]) as string, mongoFallback: match[3] !== undefined });
  for (const match of text.matchAll(/\{([\w\s,:]+)\}\s*=\s*process\.env\b/g))
    for (const part of (match[1] as string).split(','))
      if (/^\s*\w+/.test(part))
        reads.push({ name: (/^\s*(\w+)/.exec(part) as RegExpExecArray)[1] as string, mongoFallback: false });
  return reads;
}
