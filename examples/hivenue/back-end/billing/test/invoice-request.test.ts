import { parseInvoiceRequest } from '../src/invoice-request';

const validBody = {
  customer: 'acme',
  lineItems: [{ description: 'GPU hours', quantity: 2, unitPriceCents: 1250 }],
};

describe('parseInvoiceRequest', () => {
  it('accepts a valid body and fills in the defaults', () => {
    expect(parseInvoiceRequest(validBody)).toEqual({
      customer: 'acme',
      currency: 'USD',
      taxRateBasisPoints: 0,
      lineItems: [{ description: 'GPU hours', quantity: 2, unitPriceCents: 1250 }],
    });
  });

  it('rejects amounts that are not whole cents, with a 400 naming the field', () => {
    const body = { ...validBody, lineItems: [{ description: 'GPU hours', quantity: 2, unitPriceCents: 12.5 }] };

    expect(() => parseInvoiceRequest(body)).toThrow(
      expect.objectContaining({ status: 400, message: expect.stringContaining('lineItems[0].unitPriceCents') }),
    );
  });

  it('rejects bodies without a customer or without line items', () => {
    for (const body of [null, { lineItems: validBody.lineItems }, { customer: 'acme', lineItems: [] }]) {
      expect(() => parseInvoiceRequest(body)).toThrow(expect.objectContaining({ status: 400 }));
    }
  });
});
