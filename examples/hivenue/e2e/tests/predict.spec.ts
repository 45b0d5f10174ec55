import { expect, test } from '@playwright/test';

test('a prediction made from the form shows a label and a score', async ({ page }) => {
  await page.goto('/');

  await page.getByTestId('predict-input').fill('The bees are busy and the honey is sweet');
  await page.getByTestId('predict-submit').click();

  await expect(page.getByTestId('predict-result')).toBeVisible();
  await expect(page.getByTestId('predict-label')).not.toBeEmpty();
  await expect(page.getByTestId('predict-score')).toHaveText(/^\d+(\.\d)?%$/);
  await expect(page.getByTestId('predict-error')).toHaveCount(0);
});
