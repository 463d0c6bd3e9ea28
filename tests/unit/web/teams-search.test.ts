import { describe, expect, it } from 'vitest';
import { searchTeams } from '../../../web/src/lib/teams/search.ts';

const teams = [
  { callSign: '十字巡01', members: [{ name: '郭春伟' }] },
  { callSign: '十字巡10', members: null },
  { callSign: '十字巡02', members: [{ name: '夏浩亮' }] },
  { callSign: '沭城巡01', members: [] },
];
const find = (q: string) => searchTeams(teams, q).map((t) => t.callSign);

describe(searchTeams.name, () => {
  it('finds 十字巡01 by its call sign, a part of it, or with full-width digits and spaces', () => {
    expect(find('十字巡01')).toEqual(['十字巡01']);
    expect(find('巡01')).toEqual(['十字巡01', '沭城巡01']);
    expect(find(' 十字巡 ０１ ')).toEqual(['十字巡01']);
  });

  it('reads 十字巡1 as 十字巡01 too, but 十字巡01 never as 十字巡10', () => {
    expect(find('十字巡1')).toEqual(['十字巡10', '十字巡01']);
    expect(find('十字巡01')).not.toContain('十字巡10');
  });

  it('finds a team by a member it shows, after the call signs', () => {
    expect(find('郭春')).toEqual(['十字巡01']);
    expect(find('十字')).toEqual(['十字巡01', '十字巡02', '十字巡10']);
  });
});
