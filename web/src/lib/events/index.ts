/** Major events 重大活动 on the command map: the board, the draft being drawn up, the replay. */
export { EventBoards } from './board.svelte';
export { EventDraft, type DraftPost, type Picking } from './draft.svelte';
export { EventReplayState, EVENT_SPEEDS, type EventSpeed } from './replay.svelte';
