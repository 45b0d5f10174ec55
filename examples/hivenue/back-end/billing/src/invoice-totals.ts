/** Money is counted in integer cents throughout: floating-point amounts drift. */
export interface LineItem {
  description: string;
  quantity: number;
  unitPriceCents: number;
}

export interface PricedLine extends LineItem {
  amountCents: number;
}

export interface InvoiceTotals {
  lines: PricedLine[];
  subtotalCents: number;
  taxCents: number;
  totalCents: number;
}

const BASIS_POINTS_PER_UNIT = 10_000n;

/**
 * Prices each line, then applies tax once to the subtotal, rounding half up to the cent.
 * The tax rate is in basis points (825 = 8.25 %), which keeps the arithmetic in integers;
 * BigInt keeps it exact for subtotals whose product with the rate exceeds 2^53.
 */
export function computeInvoiceTotals(lineItems: LineItem[], taxRateBasisPoints: number): InvoiceTotals {
  const lines = lineItems.map((item) => ({ ...item, amountCents: item.quantity * item.unitPriceCents }));
  const subtotalCents = lines.reduce((sum, line) => sum + line.amountCents, 0);
  const taxCents = Number(
    (BigInt(subtotalCents) * BigInt(taxRateBasisPoints) + BASIS_POINTS_PER_UNIT / 2n) / BASIS_POINTS_PER_UNIT,
  );
  return { lines, subtotalCents, taxCents, totalCents: subtotalCents + taxCents };
}
