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

  // As billing answers POST /invoices with
  // { customer: 'acme', taxRateBasisPoints: 2000, lineItems: [{ description, quantity, unitPriceCents }] }.
  const invoice: Invoice = {
    id: '65a1b2c3d4e5f60718293a4b',
    customer: DEFAULT_CUSTOMER,
    currency: 'USD',
    taxRateBasisPoints: 2000,
    lines: [
      { description: 'Hive inspection', quantity: 2, unitPriceCents: 45000, amountCents: 90000 },
      { description: 'Queen bee', quantity: 1, unitPriceCents: 2500, amountCents: 2500 },
    ],
    subtotalCents: 92500,
    taxCents: 18500,
    totalCents: 111000,
    createdAt: '2024-03-01T10:00:00.000Z',
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

  const textOf = (element: Element | null | undefined) =>
    element?.textContent?.replace(/\s+/g, ' ').trim();

  it("loads the default customer's invoices and shows amounts formatted from cents", async () => {
    invoicesFor(DEFAULT_CUSTOMER).flush([
      invoice,
      { ...invoice, id: '65a1b2c3d4e5f60718293a4c', totalCents: 999 },
    ]);
    await fixture.whenStable();

    const rows = page().querySelectorAll('[data-testid="invoice-row"]');
    expect(rows.length).toBe(2);
    expect(textOf(rows[0].querySelector('[data-testid="invoice-id"]'))).toBe(invoice.id);
    expect(rows[0].textContent).toContain('Mar 1, 2024');
    const lines = rows[0].querySelectorAll('[data-testid="invoice-line"]');
    expect(textOf(lines[0])).toBe('2 × Hive inspection at $450.00 = $900.00');
    expect(textOf(lines[1])).toBe('1 × Queen bee at $25.00 = $25.00');
    expect(rows[0].textContent).toContain('$925.00');
    expect(rows[0].textContent).toContain('$185.00');
    expect(textOf(rows[0].querySelector('[data-testid="invoice-tax-rate"]'))).toBe('20%');
    expect(rows[0].querySelector('[data-testid="invoice-total"]')?.textContent?.trim()).toBe(
      '$1,110.00',
    );
    expect(page().querySelector('[data-testid="invoices-grand-total"]')?.textContent).toContain(
      '$1,119.99',
    );
    expect(textOf(page().querySelector('tfoot th'))).toBe('All invoices');
  });

  it('formats each invoice in its own currency and totals each currency apart', async () => {
    invoicesFor(DEFAULT_CUSTOMER).flush([
      { ...invoice, id: '65a1b2c3d4e5f60718293a4c', currency: 'EUR' },
      invoice,
      { ...invoice, id: '65a1b2c3d4e5f60718293a4d', totalCents: 1 },
    ]);
    await fixture.whenStable();

    const rows = page().querySelectorAll('[data-testid="invoice-row"]');
    expect(textOf(rows[0].querySelector('[data-testid="invoice-total"]'))).toBe('€1,110.00');
    expect(textOf(rows[1].querySelector('[data-testid="invoice-total"]'))).toBe('$1,110.00');
    const totals = [...page().querySelectorAll('[data-testid="invoices-grand-total"]')];
    expect(totals.map((total) => total.getAttribute('data-currency'))).toEqual(['EUR', 'USD']);
    expect(totals.map(textOf)).toEqual(['€1,110.00', '$1,110.01']);
    expect(textOf(page().querySelector('tfoot th'))).toBe('All invoices in EUR');
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
