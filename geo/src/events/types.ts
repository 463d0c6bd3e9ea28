/**
 * Major events 重大活动: a named window of time over an area (the perimeter 警戒范围), with posts
 * 岗位 where teams must stand. The shapes the staffing and replay logic share.
 */
import type { Polygon } from 'geojson';

/** The event's area: whole grids, or a polygon drawn on the map. */
export interface EventPerimeter {
  gridIds?: string[];
  polygon?: Polygon;
}

/** A post 岗位: a place with a radius, a required headcount (teams) and the teams assigned to it. */
export interface EventPost {
  id: string;
  name: string;
  lon: number;
  lat: number;
  /** Metres: a team within this of the post stands at it. */
  radius: number;
  /** Teams needed there for the post to be staffed. */
  headcount: number;
  teamIds: string[];
}

/** A team's latest fix, as staffing reads it. */
export interface TeamFix {
  teamId: string;
  lon: number;
  lat: number;
  time: number;
}

/** Staffed 满岗 (enough teams there) or short 缺岗. */
export type PostState = 'staffed' | 'short';
