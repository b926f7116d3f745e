import { getJSON, type ApiResult } from '$lib/api/client';

/** The four dimensions of the Lundy model, in its order. */
export const DIMENSIONS = ['space', 'voice', 'audience', 'influence'] as const;
export type DimensionKey = (typeof DIMENSIONS)[number];

/** The checks Voci computes, by dimension. */
export const CHECKS = {
	space: ['accessibleSession', 'waysToTakePart', 'representativeness'],
	voice: ['easyRead', 'questionKinds', 'freeText'],
	audience: ['namedAudience', 'councilReview'],
	influence: ['decisionLinked', 'feedbackOnTime', 'receiptsOpened']
} as const;
export type CheckKey = (typeof CHECKS)[DimensionKey][number];

/** One check: met, not met, or null while it cannot be judged yet. A roll-up adds metCount of `of`. */
export interface ScorecardCheck {
	readonly key: CheckKey;
	readonly met: boolean | null;
	readonly source: string;
	readonly evidence: string;
	readonly metCount?: number;
	readonly of?: number;
}

export interface ScorecardDimension {
	readonly key: DimensionKey;
	readonly checks: readonly ScorecardCheck[];
	readonly met: number;
	readonly of: number;
}

/** A consultation's scorecard, or a municipality's roll-up (with `consultations`). */
export interface Scorecard {
	readonly consultation?: { readonly id: string; readonly title: string };
	readonly consultations?: number;
	readonly dimensions: readonly ScorecardDimension[];
}

export type CheckState = 'met' | 'notMet' | 'notYet';

/** A check's state, as words and icons show it. */
export function checkState(met: boolean | null): CheckState {
	return met === null ? 'notYet' : met ? 'met' : 'notMet';
}

/** The icon beside a state's words; never alone, and hidden from screen readers. */
export const STATE_ICONS: Record<CheckState, string> = { met: '✓', notMet: '✗', notYet: '…' };

/** The address of a consultation's scorecard, or of the municipality's roll-up. */
export function scorecardPath(siruta: number, consultationId?: string, lang?: string): string {
	const base = consultationId
		? `/api/v1/municipalities/${siruta}/consultations/${encodeURIComponent(consultationId)}/scorecard`
		: `/api/v1/municipalities/${siruta}/scorecard`;
	return lang ? `${base}?lang=${encodeURIComponent(lang)}` : base;
}

/** Loads a scorecard, its sentences in lang. */
export function loadScorecard(siruta: number, consultationId: string | undefined, lang: string): Promise<ApiResult<Scorecard>> {
	return getJSON<Scorecard>(scorecardPath(siruta, consultationId, lang));
}
