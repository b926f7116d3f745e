import { getJSON, type ApiResult } from '$lib/api/client';
import type { Stage } from '$lib/cfci/stages';
import type { StartPlanned } from '$lib/planned/api';

/** The JSON of `GET /api/v1/me/start`: what needs the signed-in adult now, per role and municipality. */
export interface StartPlace {
	readonly municipality: number;
	readonly municipalityName: string;
}

export interface StartConsultation {
	readonly id: string;
	readonly title: string;
	readonly status: 'draft' | 'open' | 'closed';
	readonly answerBy: string | null;
	readonly updatedAt: string;
}

export interface StartSession {
	readonly id: string;
	readonly consultationId: string;
	readonly consultationTitle: string;
	readonly joinCode: string;
	readonly state: string;
	readonly startedAt: string;
}

export interface ModerationCount {
	readonly consultationId: string;
	readonly consultationTitle: string;
	/** Empty for texts from the self-paced link and paper forms. */
	readonly sessionId: string;
	readonly joinCode: string;
	readonly pending: number;
	readonly held: number;
}

export interface StartMunicipality {
	readonly siruta: number;
	readonly name: string;
	readonly county: string;
	readonly stage: Stage | null;
	readonly stageSince: string | null;
}

export interface StartPage {
	readonly facilitator: readonly (StartPlace & {
		sessions: readonly StartSession[];
		moderation: readonly ModerationCount[];
		/** The next planned sessions from today on, soonest first. */
		planned: readonly StartPlanned[];
	})[];
	readonly coordinator: readonly (StartPlace & {
		openConsultations: readonly StartConsultation[];
		openConsultationsTotal: number;
		pendingInvitations: number;
		/** Empty when the adult facilitates there too: that part lists them. */
		planned: readonly StartPlanned[];
	})[];
	readonly councilMember: readonly (StartPlace & { consultations: readonly StartConsultation[] })[];
	readonly safeguardingLead: readonly StartPlace[];
	/** Null for adults without a platform-wide role. */
	readonly municipalities: readonly StartMunicipality[] | null;
	readonly municipalitiesTotal: number;
}

export function loadStartPage(): Promise<ApiResult<StartPage>> {
	return getJSON<StartPage>('/api/v1/me/start');
}

/** Whether the page has nothing for the adult: no part for any role. */
export function isEmpty(page: StartPage): boolean {
	return (
		page.facilitator.length + page.coordinator.length + page.councilMember.length + page.safeguardingLead.length === 0 &&
		page.municipalities === null
	);
}

/** The live console of a session. */
export function consolePath(siruta: number, sessionId: string): string {
	return `/m/${siruta}/live/${encodeURIComponent(sessionId)}`;
}

/** A consultation's page, where its moderation queue is. */
export function consultationPath(siruta: number, id: string): string {
	return `/m/${siruta}/consultations/${encodeURIComponent(id)}`;
}

/** Where a count of waiting texts leads: the session's console while it runs, else the consultation's page. */
export function moderationPath(siruta: number, count: ModerationCount, running: readonly StartSession[]): string {
	if (count.sessionId !== '' && running.some((s) => s.id === count.sessionId)) return consolePath(siruta, count.sessionId);
	return consultationPath(siruta, count.consultationId);
}
