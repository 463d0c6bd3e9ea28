/**
 * Finding teams on the team screen and the map's search box: by call sign (十字巡01, also typed
 * 十字巡1 or with spaces) and, where the caller may see them, by member name. Pure functions.
 */

/** Text as compared: no spaces, Latin letters lower-cased, full-width digits and letters made ASCII. */
export function normalise(text: string): string {
  return text
    .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\s+/g, '')
    .toLowerCase();
}

/** The same text with leading zeros of every number dropped, so 十字巡1 finds 十字巡01. */
function withoutLeadingZeros(text: string): string {
  return text.replace(/\d+/g, (n) => String(Number(n)));
}

/** Does `callSign` hold `q` once leading zeros are dropped (十字巡1 → 十字巡01), a number matched whole (not 十字巡10)? */
function sameNumbers(callSign: string, q: string): boolean {
  const wanted = withoutLeadingZeros(q).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(/\d$/.test(wanted) ? `${wanted}(?!\\d)` : wanted).test(withoutLeadingZeros(callSign));
}

export interface Searchable {
  callSign: string;
  members?: readonly { name: string }[] | null;
}

/**
 * How well `team` answers `query`: 3 call sign starts with it, 2 call sign contains it, 1 a
 * member's name contains it, 0 not at all.
 */
export function matchTeam(team: Searchable, query: string): number {
  const q = normalise(query);
  if (!q) return 3;
  const callSign = normalise(team.callSign);
  if (callSign.startsWith(q)) return 3;
  if (callSign.includes(q) || sameNumbers(callSign, q)) return 2;
  if (team.members?.some((m) => normalise(m.name).includes(q))) return 1;
  return 0;
}

/** The teams answering `query`, best first, then by call sign (Chinese collation). */
export function searchTeams<T extends Searchable>(teams: readonly T[], query: string): T[] {
  return teams
    .map((team) => ({ team, score: matchTeam(team, query) }))
    .filter((m) => m.score > 0)
    .sort((a, b) => b.score - a.score || a.team.callSign.localeCompare(b.team.callSign, 'zh-CN', { numeric: true }))
    .map((m) => m.team);
}
