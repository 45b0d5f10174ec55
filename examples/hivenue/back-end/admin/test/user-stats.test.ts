import { toUserStats } from '../src/user-stats';

describe('toUserStats', () => {
  it('totals the counts and lists roles that have no users', () => {
    expect(toUserStats([{ _id: 'member', count: 3 }, { _id: 'admin', count: 1 }])).toEqual({
      total: 4,
      byRole: { admin: 1, member: 3, viewer: 0 },
    });
  });

  it('ignores rows for roles the service does not know', () => {
    expect(toUserStats([{ _id: null, count: 2 }, { _id: 'viewer', count: 1 }])).toEqual({
      total: 1,
      byRole: { admin: 0, member: 0, viewer: 1 },
    });
  });
});
