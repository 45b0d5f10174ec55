import { expect, test } from '@playwright/test';

test('a prediction made from the form shows what the model says', async ({ page, request }) => {
  const text = 'The bees are busy and the honey is great';
  await page.goto('/');

  await page.getByTestId('predict-input').fill(text);
  await page.getByTestId('predict-submit').click();

  await expect(page.getByTestId('predict-result')).toBeVisible();
  await expect(page.getByTestId('predict-error')).toHaveCount(0);
  // A sentiment score from -1 to 1 (not a confidence percentage), shown to two or three decimals.
  const score = page.getByTestId('predict-score');
  await expect(score).toHaveText(/^-?\d\.\d{2,3}$/);

  // The model is deterministic: asked the same text, the API gives the page's answer.
  const response = await request.post('/api/ai-model/predict', { data: { text } });
  expect(response.status()).toBe(201);
  const prediction = await response.json();
  await expect(page.getByTestId('predict-label')).toHaveText(prediction.label);
  await expect(page.getByTestId('predict-model')).toHaveText(prediction.modelVersion);
  expect(Number(await score.textContent())).toBe(prediction.score);
});
