import { Injectable } from '@angular/core';
import { Observable } from 'rxjs';
import { BackendApi } from './backend-api';

export interface Prediction {
  label: string;
  /** Confidence between 0 and 1. */
  score: number;
}

@Injectable({ providedIn: 'root' })
export class AiModelApi extends BackendApi {
  readonly service = 'ai-model';

  predict(text: string): Observable<Prediction> {
    return this.http.post<Prediction>(this.url('/predict'), { text });
  }
}
