import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { PredictForm } from './predict-form';

describe('PredictForm', () => {
  let fixture: ComponentFixture<PredictForm>;
  let http: HttpTestingController;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      imports: [PredictForm],
      providers: [provideHttpClient(), provideHttpClientTesting()],
    });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(PredictForm);
    await fixture.whenStable();
  });

  afterEach(() => http.verify());

  const page = () => fixture.nativeElement as HTMLElement;
  const submitButton = () =>
    page().querySelector<HTMLButtonElement>('[data-testid="predict-submit"]')!;

  async function type(text: string): Promise<void> {
    const input = page().querySelector<HTMLTextAreaElement>('[data-testid="predict-input"]')!;
    input.value = text;
    input.dispatchEvent(new Event('input'));
    await fixture.whenStable();
  }

  it('keeps the button disabled until there is text to send', async () => {
    expect(submitButton().disabled).toBeTrue();
    await type('   ');
    expect(submitButton().disabled).toBeTrue();
    await type('busy hive');
    expect(submitButton().disabled).toBeFalse();
  });

  const prediction = (text: string, label: string, score: number) => ({
    id: '65a1b2c3d4e5f60718293a4b',
    text,
    label,
    score,
    modelVersion: 'wordlist-sentiment-1',
    createdAt: '2024-03-01T10:00:00.000Z',
  });
  const shown = (testId: string) =>
    page().querySelector(`[data-testid="${testId}"]`)?.textContent?.trim();

  it('limits the text to what the model accepts', () => {
    const input = page().querySelector<HTMLTextAreaElement>('[data-testid="predict-input"]')!;
    expect(input.maxLength).toBe(5000);
  });

  it('sends the text and shows the label, the score and the model', async () => {
    await type('  the colony is thriving ');
    submitButton().click();

    const request = http.expectOne('/api/ai-model/predict');
    expect(request.request.body).toEqual({ text: 'the colony is thriving' });
    await fixture.whenStable();
    expect(submitButton().disabled).withContext('disabled while waiting').toBeTrue();

    request.flush(prediction('the colony is thriving', 'positive', 0.873));
    await fixture.whenStable();

    expect(shown('predict-label')).toBe('positive');
    expect(shown('predict-score')).toBe('0.873');
    expect(shown('predict-model')).toBe('wordlist-sentiment-1');
    expect(submitButton().disabled).toBeFalse();
  });

  it('shows a negative score with its sign, not as a percentage', async () => {
    await type('slow and buggy');
    submitButton().click();
    http.expectOne('/api/ai-model/predict').flush(prediction('slow and buggy', 'negative', -0.5));
    await fixture.whenStable();

    expect(shown('predict-label')).toBe('negative');
    expect(shown('predict-score')).toBe('-0.50');
  });

  it("shows the model's reason when it rejects the text", async () => {
    await type('anything');
    submitButton().click();
    http
      .expectOne('/api/ai-model/predict')
      .flush(
        { error: 'text must be at most 5000 characters' },
        { status: 400, statusText: 'Bad Request' },
      );
    await fixture.whenStable();

    expect(shown('predict-error')).toBe('text must be at most 5000 characters');
    expect(page().querySelector('[data-testid="predict-result"]')).toBeNull();
  });

  it('shows an error when the model fails', async () => {
    await type('anything');
    submitButton().click();
    http
      .expectOne('/api/ai-model/predict')
      .flush({ error: 'internal server error' }, { status: 500, statusText: 'Server Error' });
    await fixture.whenStable();

    expect(shown('predict-error')).toBe('The model could not answer. Try again.');
    expect(page().querySelector('[data-testid="predict-result"]')).toBeNull();
  });
});
