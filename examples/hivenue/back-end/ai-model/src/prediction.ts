import type { ObjectId } from 'mongodb';
import type { SentimentPrediction } from './sentiment-model';

/** A prediction as stored in the `predictions` collection. */
export interface Prediction extends SentimentPrediction {
  _id: ObjectId;
  text: string;
  createdAt: Date;
}
