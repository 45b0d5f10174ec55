import { computeInvoiceTotals } from '../src/invoice-totals';

describe('computeInvoiceTotals', () => {
  it('prices each line and sums them into the subtotal', () => {
    const totals = computeInvoiceTotals(
      [
        { description: 'GPU hours', quantity: 3, unitPriceCents: 250 },
        { description: 'Storage', quantity: 1, unitPriceCents: 999 },
      ],
      0,
    );

    expect(totals.lines.map((line) => line.amountCents)).toEqual([750, 999]);
    expect(totals).toMatchObject({ subtotalCents: 1749, taxCents: 0, totalCents: 1749 });
  });

  it('applies the tax rate once to the subtotal, rounding half up to the cent', () => {
    // 8.25 % of 1000 cents is 82.5 cents.
    expect(computeInvoiceTotals([{ description: 'Seat', quantity: 1, unitPriceCents: 1000 }], 825)).toMatchObject({
      subtotalCents: 1000,
      taxCents: 83,
      totalCents: 1083,
    });
    // 8.25 % of 1001 cents is 82.58 cents; of 999 cents, 82.42.
    expect(computeInvoiceTotals([{ description: 'Seat', quantity: 1, unitPriceCents: 1001 }], 825).taxCents).toBe(83);
    expect(computeInvoiceTotals([{ description: 'Seat', quantity: 1, unitPriceCents: 999 }], 825).taxCents).toBe(82);
  });

  it('stays exact for the largest invoices', () => {
    const hundredLines = Array.from({ length: 100 }, () => ({
      description: 'Dedicated cluster',
      quantity: 10_000,
      unitPriceCents: 100_000_000,
    }));

    const totals = computeInvoiceTotals(hundredLines, 1999);

    expect(totals.subtotalCents).toBe(100_000_000_000_000);
    expect(totals.taxCents).toBe(19_990_000_000_000);
    expect(totals.totalCents).toBe(119_990_000_000_000);
  });
});
