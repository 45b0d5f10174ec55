import { HttpParams } from '@angular/common/http';
import { Injectable } from '@angular/core';
import { Observable } from 'rxjs';
import { BackendApi } from './backend-api';

/** One priced line of an invoice: `amountCents` is `quantity * unitPriceCents`, computed by billing. */
export interface InvoiceLine {
  description: string;
  quantity: number;
  unitPriceCents: number;
  amountCents: number;
}

/**
 * An invoice as billing serves it. Amounts are integer cents (hundredths of `currency`), as
 * billing stores them, so no rounding happens in transit.
 */
export interface Invoice {
  /** The document's ObjectId as a hex string. */
  id: string;
  customer: string;
  /** Three-letter ISO 4217 code; billing defaults it to USD. */
  currency: string;
  /** Tax rate in basis points: 825 = 8.25 %. */
  taxRateBasisPoints: number;
  lines: InvoiceLine[];
  subtotalCents: number;
  taxCents: number;
  totalCents: number;
  /** ISO 8601 timestamp. */
  createdAt: string;
}

@Injectable({ providedIn: 'root' })
export class BillingApi extends BackendApi {
  readonly service = 'billing';

  /** One customer's invoices, newest first (billing returns at most 50 unless asked for more). */
  invoices(customer: string): Observable<Invoice[]> {
    const params = new HttpParams().set('customer', customer);
    return this.http.get<Invoice[]>(this.url('/invoices'), { params });
  }
}
