import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectRepository, initialConfig } from '../detect.js';
import { parseEnvFile } from './env-files.js';

/** A Jest package holding `files`. */
function repo(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'waggle-mongo-'));
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'api', scripts: { test: 'jest' } }));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe('the variable a MongoDB service hands the tests', () => {
  it('is the one the code under test reads, with the URL its .env gives, when the tests never name it', () => {
    const root = repo({
      'server/mongo.ts': [
        'export const connectToMongo = () => connect(',
        "  process.env.NODE_ENV === 'test' ? process.env.MONGODB_TEST_URI : process.env.MONGODB_URI,",
        ');',
      ].join('\n'),
      'server/test/cats.spec.ts': "import { connectToMongo } from '../mongo';\nbeforeAll(connectToMongo);",
      '.env':
        'MONGODB_URI=mongodb://localhost:27017/cats\nMONGODB_TEST_URI="mongodb://user:secret@localhost:27018/cats-test" # tests\n',
    });
    expect(detectRepository(root).services.mongodb?.env).toEqual({
      MONGODB_TEST_URI: 'mongodb://127.0.0.1:27018/cats-test',
    });
    const text = initialConfig(root, 'main');
    expect(text).toContain('# The tests use server/mongo.ts, which reads MONGODB_TEST_URI: waggle starts');
    expect(text).not.toContain('secret');
  });

  it('is a variable of any name that .env or a fallback gives a mongodb:// URL', () => {
    const dbUri = repo({
      'src/db.js': "module.exports = () => mongoose.connect(process.env['DB_URI']);",
      'test/notes.test.js': "const mongoose = require('mongoose');\nrequire('../src/db')();",
      '.env.test': 'DB_URI=mongodb://127.0.0.1:27017/notes',
    });
    expect(detectRepository(dbUri).services.mongodb?.env).toEqual({
      DB_URI: 'mongodb://127.0.0.1:27017/notes',
    });
    const fallback = repo({
      'src/db.js':
        "const { PORT } = process.env;\nconnect(process.env.DATABASE ?? 'mongodb://localhost:27020/x');",
      'test/x.test.js': "require('../src/db'); // mongoose",
    });
    expect(detectRepository(fallback).services.mongodb?.env).toEqual({
      DATABASE: 'mongodb://127.0.0.1:27020/x',
    });
  });

  it('is no service when the tests mock mongoose, or the URL is no MongoDB one', () => {
    const mocked = repo({
      'src/db.js': 'connect(process.env.MONGODB_URI);',
      'test/db.test.js': "jest.mock('mongoose');\nrequire('../src/db');",
    });
    expect(detectRepository(mocked).services).toEqual({});
    const postgres = repo({
      'src/db.js': 'connect(process.env.DB_URI);',
      'test/db.test.js': "require('../src/db'); // not mongo-backed",
      '.env': 'DB_URI=postgres://localhost/db',
    });
    expect(detectRepository(postgres).services).toEqual({});
  });

  it('reads .env as dotenv does', () => {
    expect(
      parseEnvFile(
        '# local\nexport A=1\nB = "two words" # note\nC=x # note\nD=\'q#z\'\nnot a line\nE=mongodb://h/db',
      ),
    ).toEqual([
      ['A', '1'],
      ['B', 'two words'],
      ['C', 'x'],
      ['D', 'q#z'],
      ['E', 'mongodb://h/db'],
    ]);
  });
});
