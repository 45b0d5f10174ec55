import { provideHttpClient } from '@angular/common/http';
import {
  HttpTestingController,
  TestRequest,
  provideHttpClientTesting,
} from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { Invoice } from '../api/billing-api';
import { DEFAULT_CUSTOMER, InvoicesTable } from './invoices-table';

describe('InvoicesTable', () => {
  let fixture: ComponentFixture<InvoicesTable>;
  let http: HttpTestingController;

  const invoice: Invoice = {
    _id: 'inv-1',
    customer: DEFAULT_CUSTOMER,
    lines: [
      { description: 'Hive inspection', quantity: 2, unitCents: 45000 },
      { description: 'Queen bee', quantity: 1, unitCents: 2500 },
    ],
    subtotalCents: 92500,
    taxCents: 18500,
    totalCents: 111000,
  };

  beforeEach(() => {
    TestBed.configureTestingModule({
      imports: [InvoicesTable],
      providers: [provideHttpClient(), provideHttpClientTesting()],
    });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(InvoicesTable);
  });

  afterEach(() => http.verify());

  const page = () => fixture.nativeElement as HTMLElement;
  const invoicesFor = (customer: string): TestRequest =>
    http.expectOne(
      (req) => req.url === '/api/billing/invoices' && req.params.get('customer') === customer,
    );

  it("loads the default customer's invoices and shows amounts formatted from cents", async () => {
    invoicesFor(DEFAULT_CUSTOMER).flush([invoice, { ...invoice, _id: 'inv-2', totalCents: 999 }]);
    await fixture.whenStable();

    const rows = page().querySelectorAll('[data-testid="invoice-row"]');
    expect(rows.length).toBe(2);
    expect(rows[0].textContent).toContain('2 × Hive inspection');
    expect(rows[0].textContent).toContain('$925.00');
    expect(rows[0].textContent).toContain('$185.00');
    expect(rows[0].querySelector('[data-testid="invoice-total"]')?.textContent?.trim()).toBe(
      '$1,110.00',
    );
    expect(page().querySelector('[data-testid="invoices-grand-total"]')?.textContent).toContain(
      '$1,119.99',
    );
  });

  it('looks up the customer typed into the form, ignoring stale answers', async () => {
    const first = invoicesFor(DEFAULT_CUSTOMER);
    await fixture.whenStable();

    const input = page().querySelector<HTMLInputElement>('[data-testid="invoice-customer"]')!;
    input.value = 'beeline';
    input.dispatchEvent(new Event('input'));
    page().querySelector<HTMLButtonElement>('[data-testid="invoice-load"]')!.click();

    expect(first.cancelled).toBeTrue();
    invoicesFor('beeline').flush([]);
    await fixture.whenStable();

    expect(page().querySelector('[data-testid="invoices-empty"]')?.textContent).toContain(
      'beeline',
    );
  });

  it('shows an error when billing fails', async () => {
    invoicesFor(DEFAULT_CUSTOMER).flush('boom', { status: 500, statusText: 'Server Error' });
    await fixture.whenStable();

    expect(page().querySelector('[data-testid="invoices-error"]')).not.toBeNull();
    expect(page().querySelector('[data-testid="invoices-table"]')).toBeNull();
  });
});
