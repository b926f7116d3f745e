// A scale in words and faces, not "3 of 5": each language has five words, from "not at all"
// to "very much", and a scale of three points uses the first, the middle and the last.
import type { MessageKey } from '$lib/i18n';

/** The faces of a five-point scale, saddest first (as internal/voci's ScaleFaces). */
export const SCALE_FACES = ['😞', '🙁', '😐', '🙂', '😄'] as const;

const WORDS: readonly MessageKey[] = ['phone.scale.1', 'phone.scale.2', 'phone.scale.3', 'phone.scale.4', 'phone.scale.5'];

/** Which of the five words and faces the points of a scale of `n` points take. */
function fivePointIndex(index: number, n: number): number | null {
	if (n === 5) return index;
	if (n === 3) return index * 2;
	return null;
}

/** The word of a scale's point, or null for a scale that is neither of 3 nor of 5 points. */
export function scaleWord(index: number, n: number): MessageKey | null {
	const at = fivePointIndex(index, n);
	return at === null ? null : (WORDS[at] ?? null);
}

/** The face of a scale's point: the option's own, or the one for its place. */
export function scaleFace(index: number, n: number, emoji?: string): string {
	if (emoji) return emoji;
	const at = fivePointIndex(index, n);
	return at === null ? '' : (SCALE_FACES[at] ?? '');
}
