import type { AdultMessageKey } from '$lib/i18n/types';

/** Where a municipality stands in the Child Friendly Cities Initiative, in the order of its cycle. */
export const STAGES = [
	'interested',
	'memorandum_signed',
	'situation_analysis',
	'action_plan_adopted',
	'implementation',
	'evaluation',
	'recognised',
	'paused'
] as const;

export type Stage = (typeof STAGES)[number];

export function isStage(value: unknown): value is Stage {
	return typeof value === 'string' && (STAGES as readonly string[]).includes(value);
}

export function stageKey(stage: Stage): AdultMessageKey {
	return `stage.${stage}`;
}

/**
 * Where a municipality may go next, as the server decides it: one step
 * along the cycle, or a pause from anywhere; from a pause, back to any stage;
 * evaluation may send it back to implementation, recognition starts a new
 * situation analysis. Enrolling (no stage yet, or paused) may start anywhere
 * but paused.
 */
const NEXT: Readonly<Record<Stage, readonly Stage[]>> = {
	interested: ['memorandum_signed'],
	memorandum_signed: ['situation_analysis'],
	situation_analysis: ['action_plan_adopted'],
	action_plan_adopted: ['implementation'],
	implementation: ['evaluation'],
	evaluation: ['recognised', 'implementation'],
	recognised: ['situation_analysis'],
	paused: []
};

export function nextStages(current: Stage | null): Stage[] {
	if (current === null || current === 'paused') return STAGES.filter((s) => s !== 'paused');
	return [...NEXT[current], 'paused'];
}

/**
 * The active stages outside the cycle's order from `current` (a skipped
 * step, a step back): the server records them only with a note giving the
 * reason. None while the municipality is not enrolled (never, or paused),
 * since then every active stage is offered already.
 */
export function outOfOrderStages(current: Stage | null, offered: readonly Stage[]): Stage[] {
	if (current === null || current === 'paused') return [];
	return STAGES.filter((s) => s !== 'paused' && s !== current && !offered.includes(s));
}

/** One entry of a municipality's history. */
export interface StageChange {
	readonly id: string;
	readonly stage: Stage;
	/** The day the stage took effect, `YYYY-MM-DD`. */
	readonly date: string;
	readonly note: string;
	readonly recordedAt: string;
	/** Null when the platform recorded it (the pilots' first stage). */
	readonly recordedBy: { readonly id: string; readonly email: string } | null;
}

/** `GET /api/v1/municipalities/:siruta/stage-history`. */
export interface StageHistory {
	readonly siruta: number;
	/** False when never enrolled, and while paused. */
	readonly enrolled: boolean;
	/** Null when never enrolled. */
	readonly stage: Stage | null;
	readonly stageSince: string | null;
	/** What may be recorded now, as the server decides it. */
	readonly nextStages: readonly Stage[];
	/** Most recently recorded first. */
	readonly items: readonly StageChange[];
}

/**
 * The stages to offer: the server's list when it sent one, else the same
 * rule computed here. Unknown names are dropped, so a stage added on the
 * server later is not shown untranslated.
 */
export function offeredStages(history: Pick<StageHistory, 'stage' | 'nextStages'>): Stage[] {
	const fromServer = (history.nextStages ?? []).filter(isStage);
	return fromServer.length > 0 ? fromServer : nextStages(history.stage);
}
