import { CentsPipe } from './cents-pipe';

describe('CentsPipe', () => {
  const pipe = new CentsPipe();

  it('formats cents as dollars with two decimals and thousands separators', () => {
    expect(pipe.transform(123450)).toBe('$1,234.50');
    expect(pipe.transform(5)).toBe('$0.05');
    expect(pipe.transform(0)).toBe('$0.00');
  });

  it('keeps the sign of credit notes', () => {
    expect(pipe.transform(-1999)).toBe('-$19.99');
  });
});
