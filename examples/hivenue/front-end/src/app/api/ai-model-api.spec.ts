import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { AiModelApi, Prediction } from './ai-model-api';

describe('AiModelApi', () => {
  let api: AiModelApi;
  let http: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting()],
    });
    api = TestBed.inject(AiModelApi);
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => http.verify());

  it('posts the text to /api/ai-model/predict and returns the prediction', () => {
    let prediction: Prediction | undefined;

    api.predict('the bees are calm').subscribe((body) => (prediction = body));
    const request = http.expectOne('/api/ai-model/predict');

    expect(request.request.method).toBe('POST');
    expect(request.request.body).toEqual({ text: 'the bees are calm' });
    const answer: Prediction = {
      id: '65a1b2c3d4e5f60718293a4b',
      text: 'the bees are calm',
      label: 'neutral',
      score: 0,
      modelVersion: 'wordlist-sentiment-1',
      createdAt: '2024-03-01T10:00:00.000Z',
    };
    request.flush(answer, { status: 201, statusText: 'Created' });
    expect(prediction).toEqual(answer);
  });
});
