import { HttpError } from '@hivenue/shared';

const MAX_TEXT_LENGTH = 5_000;

/** Validates the body of POST /predict and returns the text to score. */
export function parsePredictRequest(body: unknown): string {
  const text = (body as { text?: unknown } | undefined)?.text;
  if (typeof text !== 'string' || text.trim() === '') throw new HttpError(400, 'text is required');
  if (text.length > MAX_TEXT_LENGTH) throw new HttpError(400, `text must be at most ${MAX_TEXT_LENGTH} characters`);
  return text;
}
