import { getJSON, postJSON, putJSON, type ApiResult } from '$lib/api/client';
import { problemMessageKey, type Problem } from '$lib/api/problem';
import type { LiveSession } from '$lib/consultations/types';
import { TIME_ZONE } from '$lib/format';
import type { AdultMessageKey } from '$lib/i18n/types';

/** A live session planned ahead (`…/consultations/{id}/planned-sessions`). */
export interface PlannedSession {
	readonly id: string;
	readonly consultationId: string;
	readonly municipality: number;
	/** Romania's wall-clock time, `YYYY-MM-DDTHH:MM`, as a datetime-local field takes it. */
	readonly start: string;
	readonly startsAt: string;
	readonly minutes: number;
	readonly group: string;
	readonly place: string;
	readonly facilitatorId: string;
	readonly facilitatorName: string;
	readonly revision: number;
	readonly status: 'planned' | 'cancelled' | 'started';
	/** Its time has come and it has not started. */
	readonly due: boolean;
	readonly liveSessionId?: string;
	readonly startedAt: string | null;
}

/** A planned session as the start page lists it. */
export interface StartPlanned extends PlannedSession {
	readonly consultationTitle: string;
	/** The reader runs it. */
	readonly mine: boolean;
}

export interface PlannedInput {
	start: string;
	minutes: number;
	group: string;
	place: string;
	facilitatorId: string;
}

export interface SessionRunner {
	readonly id: string;
	readonly name: string;
}

export interface PlannedStart {
	readonly planned: PlannedSession;
	readonly session: LiveSession;
	readonly started: boolean;
}

export function plannedApi(siruta: number, consultationId: string, csrfToken: string) {
	const base = `/api/v1/municipalities/${siruta}/consultations/${encodeURIComponent(consultationId)}/planned-sessions`;
	const one = (pid: string) => `${base}/${encodeURIComponent(pid)}`;
	const opts = { csrfToken };
	return {
		list: (): Promise<ApiResult<{ items: PlannedSession[]; facilitators: SessionRunner[] }>> => getJSON(base),
		plan: (input: PlannedInput): Promise<ApiResult<PlannedSession>> => postJSON(base, input, opts),
		update: (pid: string, revision: number, input: PlannedInput): Promise<ApiResult<PlannedSession>> =>
			putJSON(one(pid), { revision, ...input }, opts),
		cancel: (pid: string, revision: number): Promise<ApiResult<PlannedSession>> => postJSON(`${one(pid)}/cancel`, { revision }, opts),
		start: (pid: string): Promise<ApiResult<PlannedStart>> => postJSON(`${one(pid)}/start`, undefined, opts)
	};
}

const PARAM_KEYS: Readonly<Record<string, AdultMessageKey>> = {
	start: 'planned.error.start',
	minutes: 'planned.error.minutes',
	group: 'planned.error.group',
	place: 'planned.error.place',
	facilitatorId: 'planned.error.facilitator'
};

/** What an adult reads when a planned session's request fails. */
export function plannedErrorKey(problem: Pick<Problem, 'code' | 'param'>): AdultMessageKey {
	const param = problem.code === 'invalid_parameter' ? PARAM_KEYS[problem.param ?? ''] : undefined;
	if (param !== undefined) return param;
	if (problem.code === 'consultation_not_ready') return 'planned.error.notReady';
	return problemMessageKey(problem.code, {
		changed_meanwhile: 'planned.error.changed',
		planned_session_cancelled: 'planned.error.cancelled',
		planned_session_started: 'planned.error.started',
		planned_session_starting: 'planned.error.starting',
		conflict: 'planned.error.closed',
		unauthorized: 'adult.signedOut',
		forbidden: 'adult.forbidden'
	});
}

function dayKey(date: Date): string {
	return new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(date);
}

/** Which day a planned session falls on, seen from now in Romania: today, tomorrow or later. */
export function plannedDay(startsAt: string, now: Date = new Date()): 'today' | 'tomorrow' | 'later' {
	const day = dayKey(new Date(startsAt));
	if (day === dayKey(now)) return 'today';
	// Noon avoids the hour a change of clocks adds or takes.
	const noon = new Date(`${dayKey(now)}T12:00:00Z`);
	if (day === dayKey(new Date(noon.getTime() + 24 * 3600 * 1000))) return 'tomorrow';
	return 'later';
}

/** "10:00" in Romania. */
export function plannedTime(startsAt: string, locale: string): string {
	return new Intl.DateTimeFormat(locale, { timeStyle: 'short', timeZone: TIME_ZONE }).format(new Date(startsAt));
}

/** "marți, 8 decembrie 2026, 10:00" in Romania. */
export function plannedWhen(startsAt: string, locale: string): string {
	return new Intl.DateTimeFormat(locale, { dateStyle: 'full', timeStyle: 'short', timeZone: TIME_ZONE }).format(new Date(startsAt));
}

/** The console of the live session a planned session started. */
export function plannedConsolePath(siruta: number, sessionId: string): string {
	return `/m/${siruta}/live/${encodeURIComponent(sessionId)}`;
}
