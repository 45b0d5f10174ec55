import { HttpError } from '@hivenue/shared';
import type { LineItem } from './invoice-totals';

export interface InvoiceRequest {
  customer: string;
  currency: string;
  taxRateBasisPoints: number;
  lineItems: LineItem[];
}

// Bounds keep every amount, and the subtotal of the largest invoice, a safe integer.
const MAX_LINE_ITEMS = 100;
const MAX_QUANTITY = 10_000;
const MAX_UNIT_PRICE_CENTS = 100_000_000;
const MAX_TAX_RATE_BASIS_POINTS = 10_000;

/** Validates the body of POST /invoices; anything unexpected is a 400 that says what is wrong. */
export function parseInvoiceRequest(body: unknown): InvoiceRequest {
  if (typeof body !== 'object' || body === null) throw invalid('body must be a JSON object');
  const { customer, currency = 'USD', taxRateBasisPoints = 0, lineItems } = body as Record<string, unknown>;

  if (typeof customer !== 'string' || customer.trim() === '') throw invalid('customer is required');
  if (typeof currency !== 'string' || !/^[A-Z]{3}$/.test(currency)) {
    throw invalid('currency must be a three-letter ISO 4217 code');
  }
  if (!isIntegerWithin(taxRateBasisPoints, 0, MAX_TAX_RATE_BASIS_POINTS)) {
    throw invalid(`taxRateBasisPoints must be an integer from 0 to ${MAX_TAX_RATE_BASIS_POINTS}`);
  }
  if (!Array.isArray(lineItems) || lineItems.length === 0 || lineItems.length > MAX_LINE_ITEMS) {
    throw invalid(`lineItems must list 1 to ${MAX_LINE_ITEMS} items`);
  }

  return {
    customer: customer.trim(),
    currency,
    taxRateBasisPoints,
    lineItems: lineItems.map(parseLineItem),
  };
}

function parseLineItem(item: unknown, index: number): LineItem {
  const { description, quantity, unitPriceCents } = (item ?? {}) as Record<string, unknown>;
  if (typeof description !== 'string' || description.trim() === '') {
    throw invalid(`lineItems[${index}].description is required`);
  }
  if (!isIntegerWithin(quantity, 1, MAX_QUANTITY)) {
    throw invalid(`lineItems[${index}].quantity must be an integer from 1 to ${MAX_QUANTITY}`);
  }
  if (!isIntegerWithin(unitPriceCents, 0, MAX_UNIT_PRICE_CENTS)) {
    throw invalid(`lineItems[${index}].unitPriceCents must be an integer number of cents from 0 to ${MAX_UNIT_PRICE_CENTS}`);
  }
  return { description: description.trim(), quantity, unitPriceCents };
}

function isIntegerWithin(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

function invalid(message: string): HttpError {
  return new HttpError(400, message);
}
