/**
 * The command map's selection, intake and menu (see selection.ts) as reactive state: components
 * read it through the getters and change it only by sending events.
 */
import { INITIAL, openIncidentId, transition, type Intake, type MapMenuAt, type SelectionEvent, type SelectionState } from './selection';

export class Selection {
  #state = $state.raw<SelectionState>(INITIAL);

  send(event: SelectionEvent): void {
    this.#state = transition(this.#state, event);
  }

  get state(): SelectionState {
    return this.#state;
  }

  /** The alert looked at in the right panel. */
  get alertId(): string | null {
    const { selected } = this.#state;
    return selected.kind === 'alert' ? selected.alertId : null;
  }

  /** In the selected township alert, the location picked from its list (null: the most overdue). */
  get alertLocationId(): string | null {
    const { selected } = this.#state;
    return selected.kind === 'alert' ? selected.locationId : null;
  }

  /** The incident open in the left panel. */
  get incidentId(): string | null {
    return openIncidentId(this.#state);
  }

  /** The team whose popup is open. */
  get teamId(): string | null {
    const { selected } = this.#state;
    return selected.kind === 'team' ? selected.teamId : null;
  }

  get intake(): Intake | null {
    return this.#state.intake;
  }

  get menu(): MapMenuAt | null {
    return this.#state.menu;
  }

  get incidentsOpen(): boolean {
    return this.#state.incidentsOpen;
  }

  get shiftTeamId(): string | null {
    return this.#state.shiftTeamId;
  }

  get links(): [number, number][] {
    return this.#state.links;
  }
}
