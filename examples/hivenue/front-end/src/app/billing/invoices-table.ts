import { DatePipe, PercentPipe } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  computed,
  inject,
  signal,
} from '@angular/core';
import { FormsModule } from '@angular/forms';
import { Subscription } from 'rxjs';
import { BillingApi, Invoice } from '../api/billing-api';
import { CentsPipe } from './cents-pipe';

/** The customer shown first; any other can be looked up from the form. */
export const DEFAULT_CUSTOMER = 'acme';

/** One customer's invoices from `GET /api/billing/invoices?customer=...`. */
@Component({
  selector: 'app-invoices-table',
  imports: [FormsModule, CentsPipe, DatePipe, PercentPipe],
  templateUrl: './invoices-table.html',
  styleUrl: './invoices-table.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class InvoicesTable {
  private readonly billing = inject(BillingApi);
  private pending?: Subscription;

  protected readonly customer = signal(DEFAULT_CUSTOMER);
  /** The customer whose invoices are on screen, which lags `customer` while the user types. */
  protected readonly shownCustomer = signal('');
  /** `null` while loading. */
  protected readonly invoices = signal<Invoice[] | null>(null);
  protected readonly failed = signal(false);
  /** The sum of the totals per currency, in the order the currencies first appear. */
  protected readonly grandTotals = computed(() => {
    const totals = new Map<string, number>();
    for (const { currency, totalCents } of this.invoices() ?? []) {
      totals.set(currency, (totals.get(currency) ?? 0) + totalCents);
    }
    return [...totals].map(([currency, cents]) => ({ currency, cents }));
  });

  constructor() {
    inject(DestroyRef).onDestroy(() => this.pending?.unsubscribe());
    this.load();
  }

  protected load(): void {
    const customer = this.customer().trim();
    if (!customer) {
      return;
    }
    // A slower answer for a previous customer must not overwrite the one asked for last.
    this.pending?.unsubscribe();
    this.shownCustomer.set(customer);
    this.invoices.set(null);
    this.failed.set(false);
    this.pending = this.billing.invoices(customer).subscribe({
      next: (invoices) => this.invoices.set(invoices),
      error: () => this.failed.set(true),
    });
  }
}
