import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { ServiceStatusPanel } from './service-status-panel';

describe('ServiceStatusPanel', () => {
  let fixture: ComponentFixture<ServiceStatusPanel>;
  let http: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({
      imports: [ServiceStatusPanel],
      providers: [provideHttpClient(), provideHttpClientTesting()],
    });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(ServiceStatusPanel);
  });

  afterEach(() => http.verify());

  const page = () => fixture.nativeElement as HTMLElement;
  const stateOf = (service: string) =>
    page().querySelector(`[data-testid="service-status-${service}"]`)?.getAttribute('data-state');
  const summary = () => page().querySelector('[data-testid="services-summary"]')?.textContent;

  it('shows every service as checking until it answers', async () => {
    await fixture.whenStable();

    for (const service of ['ai-model', 'platform', 'billing', 'admin']) {
      expect(stateOf(service)).withContext(service).toBe('checking');
    }
    http.match(() => true).forEach((request) => request.flush({ status: 'ok' }));
  });

  it('marks a failing service down and the others up', async () => {
    http.expectOne('/api/ai-model/healthz').flush({ status: 'ok' });
    http.expectOne('/api/platform/healthz').flush({ status: 'ok' });
    http
      .expectOne('/api/billing/healthz')
      .flush('no upstream', { status: 502, statusText: 'Bad Gateway' });
    // What a service answers when it cannot reach its database.
    http
      .expectOne('/api/admin/healthz')
      .flush({ status: 'unavailable' }, { status: 503, statusText: 'Service Unavailable' });
    await fixture.whenStable();

    expect(stateOf('ai-model')).toBe('ok');
    expect(stateOf('platform')).toBe('ok');
    expect(stateOf('billing')).toBe('down');
    expect(stateOf('admin')).withContext('answered, but unavailable').toBe('down');
    expect(summary()).toBe('Not all services up');
  });

  it('reports all services up once each says ok, and checks again on demand', async () => {
    http.match((req) => req.url.endsWith('/healthz')).forEach((r) => r.flush({ status: 'ok' }));
    await fixture.whenStable();
    expect(summary()).toBe('All services up');

    page().querySelector<HTMLButtonElement>('[data-testid="services-recheck"]')!.click();
    const rechecks = http.match((req) => req.url.endsWith('/healthz'));
    expect(rechecks.length).toBe(4);
    rechecks.forEach((r) => r.flush({ status: 'ok' }));
  });
});
