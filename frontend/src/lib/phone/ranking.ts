// A ranking on a phone: the child taps the options in order of preference (tapping a placed
// one takes it out, to place it again later). Nothing is placed
// at first, so that an untouched list is never sent as if it were the child's order.

/** Places `id` next, or, when it is placed already, takes it out (the later ones move up). */
export function tap(placed: readonly string[], id: string): string[] {
	return placed.includes(id) ? placed.filter((p) => p !== id) : [...placed, id];
}

/** Whether every option is placed once: only then may the ranking be sent. */
export function isComplete(placed: readonly string[], optionIds: readonly string[]): boolean {
	return placed.length === optionIds.length && optionIds.every((id) => placed.includes(id));
}
