// The timer of an open question. Its bar shrinks every second; a screen reader hears the
// seconds only at a few moments, not every second, which would drown out everything else.

/** The seconds left at which a screen reader is told. */
export const ANNOUNCE_AT = [60, 30, 10, 5] as const;

/**
 * What to announce when the seconds left go from `before` to `now`: the threshold just passed,
 * or null. The first reading (before === null) is not announced: the question is.
 */
export function thresholdPassed(before: number | null, now: number | null, at: readonly number[] = ANNOUNCE_AT): number | null {
	if (before === null || now === null || now >= before) return null;
	let passed: number | null = null;
	for (const t of at) if (now <= t && before > t) passed = passed === null ? t : Math.min(passed, t);
	return passed;
}

/** How much of the bar is left, between 0 and 1, when `left` of `total` seconds remain. */
export function barFraction(left: number | null, total: number | null): number {
	if (left === null || total === null || total <= 0) return 1;
	return Math.max(0, Math.min(1, left / total));
}
