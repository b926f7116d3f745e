import { getJSON, putJSON, type ApiResult } from '$lib/api/client';

/** Counts about a live session's group as a whole (GET/PUT …/live-sessions/{sid}/group-facts). */
export interface GroupFacts {
	readonly sessionId: string;
	/** Children in the room, with a phone or not; 0 when not counted. */
	readonly present: number;
	/** Children counted in each category; a category absent was not recorded. */
	readonly counts: Readonly<Record<string, number>>;
	readonly adaptations: readonly string[];
	/** Null while nothing was recorded. */
	readonly recordedAt: string | null;
	readonly categories: readonly string[];
	readonly adaptationsKnown: readonly string[];
}

export interface GroupFactsInput {
	present: number;
	counts: Record<string, number>;
	adaptations: string[];
}

export function groupFactsPath(siruta: number | string, sessionId: string): string {
	return `/api/v1/municipalities/${siruta}/live-sessions/${encodeURIComponent(sessionId)}/group-facts`;
}

export const groupFactsApi = {
	get: (siruta: number | string, sessionId: string): Promise<ApiResult<GroupFacts>> => getJSON(groupFactsPath(siruta, sessionId)),
	set: (siruta: number | string, sessionId: string, input: GroupFactsInput): Promise<ApiResult<GroupFacts>> =>
		putJSON(groupFactsPath(siruta, sessionId), input)
};

/**
 * Turns the form's fields into what the API takes: an empty field is a
 * category not recorded; the others must be whole numbers from 0.
 * Returns the name of the first bad field instead when there is one.
 */
export function toGroupFactsInput(
	present: string,
	counts: Readonly<Record<string, string>>,
	adaptations: readonly string[]
): GroupFactsInput | { invalid: string } {
	const whole = (v: string) => /^\d{1,6}$/.test(v.trim());
	if (present.trim() !== '' && !whole(present)) return { invalid: 'present' };
	const out: GroupFactsInput = { present: present.trim() === '' ? 0 : Number(present), counts: {}, adaptations: [...adaptations] };
	for (const [category, value] of Object.entries(counts)) {
		if (value.trim() === '') continue;
		if (!whole(value)) return { invalid: category };
		out.counts[category] = Number(value);
	}
	return out;
}
