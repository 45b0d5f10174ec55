import { expect, test } from '@playwright/test';

const cents = (amount: number, currency: string) =>
  new Intl.NumberFormat('en-US', {
    style: 'currency',
    currency,
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  }).format(amount / 100);

test("the default customer's invoices are the ones billing lists", async ({ page, request }) => {
  await page.goto('/');
  // The table's first lookup, for its default customer, fills the form.
  const customer = await page.getByTestId('invoice-customer').inputValue();
  const response = await request.get('/api/billing/invoices', { params: { customer } });
  expect(response.status()).toBe(200);
  const invoices: { id: string; currency: string; totalCents: number }[] = await response.json();

  await expect(page.getByTestId('invoices-error')).toHaveCount(0);
  if (invoices.length === 0) {
    await expect(page.getByTestId('invoices-empty')).toBeVisible();
    return;
  }
  const rows = page.getByTestId('invoice-row');
  await expect(rows.getByTestId('invoice-id')).toHaveText(invoices.map((invoice) => invoice.id));
  await expect(rows.getByTestId('invoice-total')).toHaveText(
    invoices.map((invoice) => cents(invoice.totalCents, invoice.currency)),
  );
});

test('an invoice created in billing shows its lines, tax and total', async ({ page, request }) => {
  // A customer of its own, so the test depends on no data and no other run.
  const customer = `e2e-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
  const response = await request.post('/api/billing/invoices', {
    data: {
      customer,
      taxRateBasisPoints: 825,
      lineItems: [
        { description: 'Hive inspection', quantity: 3, unitPriceCents: 4500 },
        { description: 'Queen bee', quantity: 1, unitPriceCents: 2599 },
      ],
    },
  });
  expect(response.status()).toBe(201);
  const invoice = await response.json();
  // 3 × 45.00 + 25.99 = 160.99; 8.25 % of it is 13.2817, rounded to 13.28.
  expect(invoice).toMatchObject({ subtotalCents: 16099, taxCents: 1328, totalCents: 17427 });

  await page.goto('/');
  await page.getByTestId('invoice-customer').fill(customer);
  await page.getByTestId('invoice-load').click();

  const row = page.getByTestId('invoice-row');
  await expect(row).toHaveCount(1);
  await expect(row.getByTestId('invoice-id')).toHaveText(invoice.id);
  await expect(row.getByTestId('invoice-line')).toHaveText([
    '3 × Hive inspection at $45.00 = $135.00',
    '1 × Queen bee at $25.99 = $25.99',
  ]);
  await expect(row).toContainText('$160.99');
  await expect(row).toContainText('$13.28');
  await expect(row.getByTestId('invoice-tax-rate')).toHaveText('8.25%');
  await expect(row.getByTestId('invoice-total')).toHaveText('$174.27');
  await expect(page.getByTestId('invoices-grand-total')).toHaveText('$174.27');
});
