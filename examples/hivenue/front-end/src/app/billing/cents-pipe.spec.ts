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

  it("uses the invoice's currency", () => {
    expect(pipe.transform(123450, 'USD')).toBe('$1,234.50');
    expect(pipe.transform(123450, 'EUR')).toBe('€1,234.50');
    expect(pipe.transform(2000, 'GBP')).toBe('£20.00');
  });

  it('never rounds away the cents billing counted, whatever the currency', () => {
    expect(pipe.transform(12345, 'JPY')).toBe('¥123.45');
  });
});
