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

  it('sends the text and shows the label and score', async () => {
    await type('  the colony is thriving ');
    submitButton().click();

    const request = http.expectOne('/api/ai-model/predict');
    expect(request.request.body).toEqual({ text: 'the colony is thriving' });
    await fixture.whenStable();
    expect(submitButton().disabled).withContext('disabled while waiting').toBeTrue();

    request.flush({ label: 'positive', score: 0.873 });
    await fixture.whenStable();

    expect(page().querySelector('[data-testid="predict-label"]')?.textContent).toBe('positive');
    expect(page().querySelector('[data-testid="predict-score"]')?.textContent).toBe('87.3%');
    expect(submitButton().disabled).toBeFalse();
  });

  it('shows an error when the model fails', async () => {
    await type('anything');
    submitButton().click();
    http
      .expectOne('/api/ai-model/predict')
      .flush('overloaded', { status: 503, statusText: 'Service Unavailable' });
    await fixture.whenStable();

    expect(page().querySelector('[data-testid="predict-error"]')).not.toBeNull();
    expect(page().querySelector('[data-testid="predict-result"]')).toBeNull();
  });
});
