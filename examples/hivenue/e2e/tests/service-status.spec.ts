import { expect, test } from '@playwright/test';

test('the status panel shows every service up', async ({ page }) => {
  await page.goto('/');

  for (const service of ['ai-model', 'platform', 'billing', 'admin']) {
    await expect(page.getByTestId(`service-status-${service}`)).toHaveAttribute('data-state', 'ok');
  }
  await expect(page.getByTestId('services-summary')).toHaveText('All services up');
});
