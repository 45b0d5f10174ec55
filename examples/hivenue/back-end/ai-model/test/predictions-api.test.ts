import { createServiceApp } from '@hivenue/shared';
import type { Express } from 'express';
import request from 'supertest';
import { openTestDatabase, type TestDatabase } from '../../../tools/jest/test-database';
import { createPredictionRoutes } from '../src/prediction-routes';

describe('predictions API', () => {
  let database: TestDatabase;
  let app: Express;

  beforeAll(async () => {
    database = await openTestDatabase('ai-model-predictions');
    app = createServiceApp({ name: 'ai-model', routes: await createPredictionRoutes(database.db) });
  });
  afterAll(() => database.dispose());

  it('scores a text and keeps the prediction', async () => {
    const response = await request(app).post('/predict').send({ text: 'I love it' }).expect(201);

    expect(response.body).toMatchObject({ id: expect.any(String), text: 'I love it', label: 'positive', score: 1 });
    expect(await database.db.collection('predictions').countDocuments({ text: 'I love it' })).toBe(1);
  });

  it('lists the latest predictions first, as many as asked for', async () => {
    for (const text of ['first: good', 'second: bad', 'third: fine']) {
      await request(app).post('/predict').send({ text }).expect(201);
    }

    const response = await request(app).get('/predictions').query({ limit: 2 }).expect(200);

    expect(response.body.map((prediction: { text: string }) => prediction.text)).toEqual(['third: fine', 'second: bad']);
  });

  it('answers 400 when there is no text to score', async () => {
    await request(app).post('/predict').send({ text: '   ' }).expect(400, { error: 'text is required' });
    await request(app).post('/predict').send({}).expect(400);
  });

  it('answers 400 for a limit out of bounds', async () => {
    await request(app).get('/predictions').query({ limit: 1000 }).expect(400);
  });
});
