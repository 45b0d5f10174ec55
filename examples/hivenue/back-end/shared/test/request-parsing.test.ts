import { HttpError } from '../src/http-error';
import { parseListLimit } from '../src/list-limit';
import { parseObjectId } from '../src/object-id';

describe('parseObjectId', () => {
  it('reads a 24-digit hex id', () => {
    expect(parseObjectId('65a1b2c3d4e5f60718293a4b', 'invoice').toHexString()).toBe('65a1b2c3d4e5f60718293a4b');
  });

  it('answers 404 for ids that cannot exist, including 12-character strings', () => {
    for (const id of ['nope', 'twelve chars', '65a1b2c3d4e5f60718293a4z']) {
      expect(() => parseObjectId(id, 'invoice')).toThrow(new HttpError(404, 'invoice not found'));
    }
  });
});

describe('parseListLimit', () => {
  const bounds = { fallback: 10, max: 100 };

  it('accepts a limit within bounds and falls back when none is given', () => {
    expect(parseListLimit('25', bounds)).toBe(25);
    expect(parseListLimit(undefined, bounds)).toBe(10);
  });

  it('answers 400 for anything but an integer within bounds', () => {
    for (const value of ['0', '101', '2.5', 'ten', ['1', '2']]) {
      expect(() => parseListLimit(value, bounds)).toThrow(expect.objectContaining({ status: 400 }));
    }
  });
});
