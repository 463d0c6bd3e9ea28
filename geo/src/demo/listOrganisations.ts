/**
 * The organisations taking part in the demo county's joint patrols: a police station (派出所),
 * an office and a volunteer team per township, a committee per village, a few security companies
 * and the county volunteer association.
 */
import type { Organisation, Township, Village } from '../types.ts';
import { shortName } from './names.ts';

const SECURITY_COMPANIES = [
  '沭阳县保安服务有限公司',
  '沭阳苏盾保安服务有限公司',
  '沭阳安邦保安服务有限公司',
  '沭阳金盾保安服务有限公司',
  '沭阳华安保安服务有限公司',
  '沭阳中卫保安服务有限公司',
];

export interface OrganisationDirectory {
  organisations: Organisation[];
  policeStation: string[];
  townshipOffice: string[];
  volunteerTeam: string[];
  villageCommittee: string[];
  securityCompanies: string[];
  countyVolunteers: string;
}

/**
 * Lists every organisation with ids O0001…, and which one serves each township and village.
 *
 * @example
 * const { organisations, policeStation } = listOrganisations(townships, villages);
 */
export function listOrganisations(townships: readonly Township[], villages: readonly Village[]): OrganisationDirectory {
  const organisations: Organisation[] = [];
  const add = (name: string, kind: Organisation['kind'], townshipId?: string): string => {
    const id = 'O' + String(organisations.length + 1).padStart(4, '0');
    organisations.push(townshipId ? { id, name, kind, townshipId } : { id, name, kind });
    return id;
  };
  const countyVolunteers = add('沭阳县社会治安志愿者协会', 'volunteer_association');
  const securityCompanies = SECURITY_COMPANIES.map((name) => add(name, 'security_company'));
  const policeStation: string[] = [];
  const townshipOffice: string[] = [];
  const volunteerTeam: string[] = [];
  for (const t of townships) {
    const short = shortName(t.name);
    policeStation.push(add(`沭阳县公安局${short}派出所`, 'police_station', t.id));
    townshipOffice.push(add(t.kind === 'street' ? `${t.name}办事处` : `${t.name}人民政府`, 'township_office', t.id));
    volunteerTeam.push(add(`${short}红袖章志愿服务队`, 'volunteer_association', t.id));
  }
  const villageCommittee = villages.map((v) => add(`${v.name}${v.kind === 'community' ? '居民委员会' : '村民委员会'}`, 'village_committee', v.townshipId));
  return { organisations, policeStation, townshipOffice, volunteerTeam, villageCommittee, securityCompanies, countyVolunteers };
}
