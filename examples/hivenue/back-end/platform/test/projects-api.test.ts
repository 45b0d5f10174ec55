import { createServiceApp } from '@hivenue/shared';
import type { Express } from 'express';
import request from 'supertest';
import { openTestDatabase, type TestDatabase } from '../../../tools/jest/test-database';
import { createProjectRoutes } from '../src/project-routes';

describe('projects API', () => {
  let database: TestDatabase;
  let app: Express;

  beforeAll(async () => {
    database = await openTestDatabase('platform-projects');
    app = createServiceApp({ name: 'platform', routes: await createProjectRoutes(database.db) });
  });
  afterAll(() => database.dispose());

  it('creates a project and serves it back by id', async () => {
    const created = await request(app).post('/projects').send({ name: 'Fraud Detection' }).expect(201);

    expect(created.body).toMatchObject({ id: expect.any(String), name: 'Fraud Detection', slug: 'fraud-detection' });
    expect(created.headers.location).toBe(`projects/${created.body.id}`);
    await request(app).get(`/projects/${created.body.id}`).expect(200, created.body);
  });

  it('lists projects, newest first', async () => {
    await request(app).post('/projects').send({ name: 'Alpha' }).expect(201);
    await request(app).post('/projects').send({ name: 'Beta' }).expect(201);

    const listed = await request(app).get('/projects').expect(200);

    expect(listed.body.slice(0, 2).map((project: { name: string }) => project.name)).toEqual(['Beta', 'Alpha']);
  });

  it('answers 409 for a second project with the same slug', async () => {
    await request(app).post('/projects').send({ name: 'Demand Forecast' }).expect(201);

    await request(app)
      .post('/projects')
      .send({ name: 'demand  forecast!' })
      .expect(409, { error: 'a project with slug "demand-forecast" already exists' });
  });

  it('answers 400 for an invalid project and 404 for an unknown one', async () => {
    await request(app).post('/projects').send({ description: 'no name' }).expect(400, { error: 'name is required' });
    await request(app).get('/projects/65a1b2c3d4e5f60718293a4b').expect(404, { error: 'project not found' });
  });
});
