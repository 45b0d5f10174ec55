import { Injectable } from '@angular/core';
import { Observable } from 'rxjs';
import { BackendApi } from './backend-api';

/** The longest text `POST /api/ai-model/predict` accepts; longer ones get a 400. */
export const MAX_PREDICT_TEXT_LENGTH = 5_000;

export type SentimentLabel = 'positive' | 'negative' | 'neutral';

/** The stored prediction that `POST /api/ai-model/predict` answers with (201). */
export interface Prediction {
  /** The document's ObjectId as a hex string. */
  id: string;
  /** The text as sent. */
  text: string;
  label: SentimentLabel;
  /**
   * Sentiment, not confidence: from -1 (all negative) to 1 (all positive), 0 when no sentiment
   * word was found. The label is neutral between -0.2 and 0.2.
   */
  score: number;
  /** Which model scored the text, e.g. `wordlist-sentiment-1`. */
  modelVersion: string;
  /** ISO 8601 timestamp. */
  createdAt: string;
}

@Injectable({ providedIn: 'root' })
export class AiModelApi extends BackendApi {
  readonly service = 'ai-model';

  predict(text: string): Observable<Prediction> {
    return this.http.post<Prediction>(this.url('/predict'), { text });
  }
}
