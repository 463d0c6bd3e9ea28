/**
 * Domain types shared by every package. Pure data, GeoJSON geometry in WGS-84 (lon, lat).
 */
import type { MultiPolygon, Point, Polygon } from 'geojson';

/** A position in WGS-84: [longitude, latitude]. */
export type LonLat = [number, number];

/** Township or street (乡镇 / 街道): second administrative level of the county. */
export interface Township {
  id: string;
  name: string;
  /** Pinyin of the name, for search. */
  pinyin?: string;
  kind: 'town' | 'township' | 'street';
}

/** Village or community (村 / 社区): third level; groups grids. */
export interface Village {
  id: string;
  name: string;
  townshipId: string;
  kind: 'village' | 'community';
}

/** A person residents can phone: grid leader (网格长) or grid worker (网格员). */
export interface Contact {
  name: string;
  phone: string;
}

/** Grid (网格): the smallest governed area. */
export interface Grid {
  id: string;
  name: string;
  townshipId: string;
  villageId?: string;
  /** Grid leader 网格长. */
  leader?: Contact;
  /** Grid workers 网格员. */
  workers: Contact[];
  /** Key grid 重点网格: raises the coverage level of every location in it. */
  key?: boolean;
  geometry: Polygon | MultiPolygon;
}

export const LOCATION_CATEGORIES = [
  'station',
  'hotel',
  'residential',
  'enterprise',
  'school',
  'market',
  'hospital',
  'crowded',
  'other',
] as const;
/** Category of a key location. */
export type LocationCategory = (typeof LOCATION_CATEGORIES)[number];

/** Key location (重点部位): a place patrols must visit. */
export interface KeyLocation {
  id: string;
  name: string;
  category: LocationCategory;
  /** 1 = highest. */
  priority: 1 | 2 | 3;
  /** Point with a radius in metres, or a polygon (radius then pads the polygon). */
  geometry: Point | Polygon;
  radius: number;
  gridId?: string;
  townshipId?: string;
  /** Optional opening hours, "08:00-22:00" style, local time. */
  openingHours?: string;
  address?: string;
}

export const ORGANISATION_KINDS = [
  'police_station',
  'security_company',
  'township_office',
  'village_committee',
  'volunteer_association',
] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];

/** An organisation taking part in joint patrols (派出所, 保安公司, 乡镇, 村委会, 志愿者协会). */
export interface Organisation {
  id: string;
  name: string;
  kind: OrganisationKind;
  townshipId?: string;
}

/** Agency of a patrol team: decides its colour on the map. */
export const AGENCIES = ['police', 'security', 'grid', 'volunteer', 'joint'] as const;
export type Agency = (typeof AGENCIES)[number];

export const MEMBER_ROLES = ['police_officer', 'security_guard', 'grid_worker', 'volunteer', 'joint_defence'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

export interface TeamMember {
  name: string;
  phone: string;
  role: MemberRole;
  organisationId?: string;
}

/** Patrol team (巡逻队). */
export interface Team {
  id: string;
  callSign: string;
  agency: Agency;
  organisationId: string;
  townshipId?: string;
  members: TeamMember[];
  /** Grids the team is assigned to patrol. */
  gridIds: string[];
}

/** The latest known position of a team. */
export interface TeamPosition {
  teamId: string;
  lon: number;
  lat: number;
  /** Fix time, epoch milliseconds. */
  time: number;
  /** Degrees clockwise from north, 0–360. */
  heading?: number;
  /** Metres per second. */
  speed?: number;
  /** Horizontal accuracy, metres. */
  accuracy?: number;
  /** Battery in percent at the team's last report that carried one. */
  battery?: number;
}

/** A township of the demo county, with what the map needs to draw and label it. */
export type DemoTownship = Township & {
  geometry: Polygon | MultiPolygon;
  /** A point well inside the township, for its label. */
  label: LonLat;
  /** 0–7; neighbouring townships never share one. */
  colour: number;
};

/** The whole generated demo county (演示县): what the server loads when it starts with demo data. */
export interface DemoCounty {
  county: { name: string; geometry: Polygon };
  townships: DemoTownship[];
  villages: Village[];
  grids: Grid[];
  locations: KeyLocation[];
  organisations: Organisation[];
  teams: Team[];
}

/**
 * One problem found in imported data. `index` is the feature's index in the collection, or the CSV
 * row number (the header is row 1), or -1 when the issue is about the input as a whole.
 */
export interface ValidationIssue {
  index: number;
  id?: string;
  field?: string;
  reason: string;
}

/** Result of validating an import: every item, or every error (capped), never both. */
export type ValidationResult<T> =
  | { ok: true; items: T[]; warnings: ValidationIssue[] }
  | { ok: false; errors: ValidationIssue[] };

/** Coordinate reference system of imported coordinates: GPS (WGS-84), Gaode/Tencent (GCJ-02), Baidu (BD-09). */
export type Crs = 'wgs84' | 'gcj02' | 'bd09';
