import { parseNewUserRequest } from '../src/new-user-request';

describe('parseNewUserRequest', () => {
  it('lower-cases the email and makes new users members by default', () => {
    expect(parseNewUserRequest({ email: ' Ada@Example.COM ', name: 'Ada Lovelace' })).toEqual({
      email: 'ada@example.com',
      name: 'Ada Lovelace',
      role: 'member',
    });
  });

  it('rejects a bad email, a missing name or an unknown role with a 400', () => {
    const bodies = [
      { email: 'not-an-address', name: 'Ada' },
      { email: 'ada@example.com' },
      { email: 'ada@example.com', name: 'Ada', role: 'root' },
    ];
    for (const body of bodies) {
      expect(() => parseNewUserRequest(body)).toThrow(expect.objectContaining({ status: 400 }));
    }
  });
});
