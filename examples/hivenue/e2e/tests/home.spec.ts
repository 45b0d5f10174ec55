import { expect, test } from '@playwright/test';

test('the home page loads and lists projects', async ({ page }) => {
  await page.goto('/');

  await expect(page).toHaveTitle('Hivenue');
  await expect(page.getByRole('heading', { name: 'Projects' })).toBeVisible();
  await expect(page.getByTestId('project-item').first()).toBeVisible();
  await expect(page.getByTestId('projects-error')).toHaveCount(0);
});
