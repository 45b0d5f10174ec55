import { MODEL_VERSION, predictSentiment } from '../src/sentiment-model';

describe('predictSentiment', () => {
  it('scores praise as positive', () => {
    expect(predictSentiment('Great product, fast and reliable!')).toEqual({
      label: 'positive',
      score: 1,
      modelVersion: MODEL_VERSION,
    });
  });

  it('scores complaints as negative, whatever their case', () => {
    expect(predictSentiment('SLOW, BUGGY and expensive')).toMatchObject({ label: 'negative', score: -1 });
  });

  it('flips a sentiment word that follows a negation', () => {
    expect(predictSentiment('This is not good')).toMatchObject({ label: 'negative', score: -1 });
    expect(predictSentiment("It doesn't crash anymore")).toMatchObject({ label: 'positive', score: 1 });
  });

  it('calls mixed or opinion-free text neutral', () => {
    expect(predictSentiment('Good docs, bad pricing')).toMatchObject({ label: 'neutral', score: 0 });
    expect(predictSentiment('The invoice arrived on Tuesday')).toMatchObject({ label: 'neutral', score: 0 });
  });

  it('weighs the words it finds', () => {
    expect(predictSentiment('Easy setup, helpful support, slow dashboard')).toMatchObject({
      label: 'positive',
      score: 0.333,
    });
  });
});
