import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { BillingApi } from './billing-api';

describe('BillingApi', () => {
  let api: BillingApi;
  let http: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting()],
    });
    api = TestBed.inject(BillingApi);
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => http.verify());

  it('asks for one customer and encodes the name in the query string', () => {
    api.invoices('Bee & Co').subscribe();

    const request = http.expectOne((req) => req.url === '/api/billing/invoices');
    expect(request.request.method).toBe('GET');
    expect(request.request.params.get('customer')).toBe('Bee & Co');
    expect(request.request.urlWithParams).toBe('/api/billing/invoices?customer=Bee%20%26%20Co');
    request.flush([]);
  });
});
