import { expect, test } from '@playwright/test';

test('the users card shows the counts admin reports', async ({ page, request }) => {
  await page.goto('/');

  const stats: { total: number; byRole: Record<string, number> } = await (
    await request.get('/api/admin/stats')
  ).json();

  await expect(page.getByTestId('users-error')).toHaveCount(0);
  await expect(page.getByTestId('users-total')).toHaveText(String(stats.total));
  for (const [role, count] of Object.entries(stats.byRole)) {
    await expect(page.getByTestId(`users-role-${role}`)).toHaveText(String(count));
  }
});
