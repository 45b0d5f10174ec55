import { createServiceApp } from '@hivenue/shared';
import type { Express } from 'express';
import request from 'supertest';
import { openTestDatabase, type TestDatabase } from '../../../tools/jest/test-database';
import { createUserRoutes } from '../src/user-routes';

describe('users API', () => {
  let database: TestDatabase;
  let app: Express;

  beforeAll(async () => {
    database = await openTestDatabase('admin-users');
    app = createServiceApp({ name: 'admin', routes: await createUserRoutes(database.db) });
    for (const [email, role] of [
      ['grace@example.com', 'admin'],
      ['alan@example.com', 'member'],
      ['edsger@example.com', 'member'],
    ]) {
      await request(app).post('/users').send({ email, name: email.split('@')[0], role }).expect(201);
    }
  });
  afterAll(() => database.dispose());

  it('lists users by email, optionally of one role', async () => {
    const all = await request(app).get('/users').expect(200);
    const members = await request(app).get('/users').query({ role: 'member' }).expect(200);

    expect(all.body.map((user: { email: string }) => user.email)).toEqual([
      'alan@example.com',
      'edsger@example.com',
      'grace@example.com',
    ]);
    expect(members.body.map((user: { email: string }) => user.email)).toEqual(['alan@example.com', 'edsger@example.com']);
  });

  it('answers 409 for an email that is already taken, whatever its case', async () => {
    await request(app)
      .post('/users')
      .send({ email: 'GRACE@example.com', name: 'Impostor' })
      .expect(409, { error: 'a user with email grace@example.com already exists' });
  });

  it('answers 400 for an invalid user', async () => {
    await request(app).post('/users').send({ email: 'nobody', name: 'Nobody' }).expect(400);
  });

  it('counts users per role', async () => {
    await request(app)
      .get('/stats')
      .expect(200, { total: 3, byRole: { admin: 1, member: 2, viewer: 0 } });
  });
});
