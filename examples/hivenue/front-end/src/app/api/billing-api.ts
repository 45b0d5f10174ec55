import { HttpParams } from '@angular/common/http';
import { Injectable } from '@angular/core';
import { Observable } from 'rxjs';
import { BackendApi } from './backend-api';

export interface InvoiceLine {
  description: string;
  quantity: number;
  unitCents: number;
}

/** Amounts are integer cents, as billing stores them, so no rounding happens in transit. */
export interface Invoice {
  _id: string;
  customer: string;
  lines: InvoiceLine[];
  subtotalCents: number;
  taxCents: number;
  totalCents: number;
}

@Injectable({ providedIn: 'root' })
export class BillingApi extends BackendApi {
  readonly service = 'billing';

  invoices(customer: string): Observable<Invoice[]> {
    const params = new HttpParams().set('customer', customer);
    return this.http.get<Invoice[]>(this.url('/invoices'), { params });
  }
}
