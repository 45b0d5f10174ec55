/**
 * A deliberately small, deterministic sentiment model: it counts words from two lists and
 * flips a word's polarity after a negation ("not good"). The same text always gets the same
 * score, which is what a reference service needs from its model.
 */
export const MODEL_VERSION = 'wordlist-sentiment-1';

export type SentimentLabel = 'positive' | 'negative' | 'neutral';

export interface SentimentPrediction {
  label: SentimentLabel;
  /** From -1 (all negative) to 1 (all positive); 0 when no sentiment word is found. */
  score: number;
  modelVersion: string;
}

const POSITIVE_WORDS = new Set([
  'good', 'great', 'excellent', 'amazing', 'love', 'like', 'happy', 'fast', 'reliable', 'easy',
  'helpful', 'awesome', 'fantastic', 'pleased', 'recommend', 'smooth', 'perfect', 'nice',
]);
const NEGATIVE_WORDS = new Set([
  'bad', 'terrible', 'awful', 'hate', 'slow', 'broken', 'bug', 'buggy', 'crash', 'crashes',
  'confusing', 'expensive', 'poor', 'useless', 'angry', 'disappointed', 'fail', 'fails',
]);
const NEGATIONS = new Set(['not', 'no', 'never', "isn't", "wasn't", "don't", "doesn't", "didn't", "can't", 'hardly']);

// Scores this close to zero are mixed feelings rather than an opinion.
const NEUTRAL_BAND = 0.2;

export function predictSentiment(text: string): SentimentPrediction {
  const words = text.toLowerCase().match(/[a-z']+/g) ?? [];
  let positive = 0;
  let negative = 0;

  words.forEach((word, index) => {
    const polarity = POSITIVE_WORDS.has(word) ? 1 : NEGATIVE_WORDS.has(word) ? -1 : 0;
    if (polarity === 0) return;
    const negated = index > 0 && NEGATIONS.has(words[index - 1]);
    if ((polarity > 0) !== negated) positive += 1;
    else negative += 1;
  });

  const matched = positive + negative;
  const score = matched === 0 ? 0 : Math.round(((positive - negative) / matched) * 1000) / 1000;
  return { label: labelFor(score), score, modelVersion: MODEL_VERSION };
}

function labelFor(score: number): SentimentLabel {
  if (score > NEUTRAL_BAND) return 'positive';
  if (score < -NEUTRAL_BAND) return 'negative';
  return 'neutral';
}
