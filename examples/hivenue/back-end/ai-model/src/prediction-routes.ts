import { parseListLimit, toResource } from '@hivenue/shared';
import { Router } from 'express';
import { type Db, ObjectId } from 'mongodb';
import { parsePredictRequest } from './predict-request';
import type { Prediction } from './prediction';
import { predictSentiment } from './sentiment-model';

/** POST /predict scores a text and keeps the prediction; GET /predictions lists the latest. */
export async function createPredictionRoutes(db: Db): Promise<Router> {
  const predictions = db.collection<Prediction>('predictions');
  await predictions.createIndex({ createdAt: -1 });

  const routes = Router();

  routes.post('/predict', async (req, res) => {
    const text = parsePredictRequest(req.body);
    const prediction: Prediction = { _id: new ObjectId(), text, ...predictSentiment(text), createdAt: new Date() };
    await predictions.insertOne(prediction);
    res.status(201).json(toResource(prediction));
  });

  routes.get('/predictions', async (req, res) => {
    const limit = parseListLimit(req.query.limit, { fallback: 10, max: 100 });
    const latest = await predictions.find().sort({ createdAt: -1, _id: -1 }).limit(limit).toArray();
    res.json(latest.map(toResource));
  });

  return routes;
}
