/**
 * An event being drawn up on the command map: its perimeter (grids chosen, or a polygon whose
 * corners are clicked on the map) and its posts (each placed by a click). The map's clicks come
 * here while `picking` names what they add.
 */
import type { CreateEventBody } from '@lianfang/server/api';

export interface DraftPost {
  name: string;
  lon: number;
  lat: number;
  headcount: number;
  teamIds: string[];
}

export type Picking = 'post' | 'corner' | null;

export class EventDraft {
  open = $state(false);
  picking = $state<Picking>(null);
  mode = $state<'grids' | 'polygon'>('grids');
  gridIds = $state<string[]>([]);
  corners = $state.raw<[number, number][]>([]);
  posts = $state<DraftPost[]>([]);

  start(): void {
    this.open = true;
    this.picking = null;
    this.mode = 'grids';
    this.gridIds = [];
    this.corners = [];
    this.posts = [];
  }

  close(): void {
    this.open = false;
    this.picking = null;
  }

  /** A click on the map while picking. */
  click(at: [number, number]): void {
    if (this.picking === 'post') {
      this.posts.push({ name: '', lon: round(at[0]), lat: round(at[1]), headcount: 1, teamIds: [] });
      this.picking = null;
    } else if (this.picking === 'corner') {
      this.corners = [...this.corners, [round(at[0]), round(at[1])]];
    }
  }

  /** The perimeter as the server takes it, or null while it is incomplete. */
  perimeter(): CreateEventBody['perimeter'] | null {
    if (this.mode === 'grids') return this.gridIds.length ? { gridIds: [...this.gridIds] } : null;
    if (this.corners.length < 3) return null;
    return { polygon: { type: 'Polygon', coordinates: [[...this.corners, this.corners[0]!]] } };
  }
}

const round = (v: number) => Math.round(v * 1e6) / 1e6;
