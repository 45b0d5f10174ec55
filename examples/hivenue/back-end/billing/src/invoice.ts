import type { ObjectId } from 'mongodb';
import type { InvoiceTotals } from './invoice-totals';

/** An invoice as stored in the `invoices` collection. */
export interface Invoice extends InvoiceTotals {
  _id: ObjectId;
  customer: string;
  currency: string;
  taxRateBasisPoints: number;
  createdAt: Date;
}
