import { describe, expect, it } from 'vitest';
import { BadInputError } from '../errors.js';
import { mongoTarget } from './mongo-uri.js';

describe('MongoDB URIs in messages', () => {
  it('names host:port and database, never the password', () => {
    const target = mongoTarget('mongodb://app:s3cret%2Fpass@10.77.0.4/hivenue?authSource=admin');
    expect(target.hosts).toBe('10.77.0.4:27017');
    expect(target.database).toBe('hivenue');
    expect(target.display).toBe('mongodb://app@10.77.0.4/hivenue');
    expect(target.redact('auth failed for s3cret/pass (s3cret%2Fpass)')).toBe(
      'auth failed for [REDACTED] ([REDACTED])',
    );
  });

  it('reads replica sets, IPv6 hosts and URIs without a database', () => {
    const set = mongoTarget('mongodb://u:longpassword@a:27018,b,[::1]:27019/db?replicaSet=rs0');
    expect(set.hosts).toBe('a:27018,b:27017,[::1]:27019');
    expect(set.database).toBe('db');
    expect(mongoTarget('mongodb://127.0.0.1:4000').database).toBeUndefined();
    expect(mongoTarget('mongodb+srv://u:p4ssword@cluster.example/app').hosts).toBe('cluster.example');
  });

  it('refuses what is not a MongoDB URI without repeating it', () => {
    for (const uri of ['postgres://u:hunter22@h/db', 'mongodb://u:hunter22@/db']) {
      let error: unknown;
      try {
        mongoTarget(uri);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(BadInputError);
      expect((error as Error).message).not.toContain('hunter22');
    }
  });
});
