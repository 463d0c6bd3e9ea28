/** An incident as a read-only display may hold it: the resident who called stays off a public screen. */
export const withoutReporter = <V extends { reporter: unknown }>(view: V): V => ({ ...view, reporter: null });
