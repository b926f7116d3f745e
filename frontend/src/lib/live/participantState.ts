import type {
	AckData,
	Envelope,
	HelpAckData,
	LiveQuestion,
	LiveState,
	ModerationState,
	ParticipantData,
	ResultsData,
	StateData,
	StoredAnswer,
	WelcomeData
} from './protocol';

/** An answer the server has acknowledged: only these are confirmed to the child. */
export interface ConfirmedAnswer {
	readonly choices: readonly string[];
	readonly text: string;
	readonly moderation: ModerationState;
}

/** What a child's phone shows, built only from what the server said. */
export interface ParticipantView {
	/** False until the first welcome: nothing to show but "connecting". */
	readonly welcomed: boolean;
	readonly state: LiveState | null;
	readonly question: LiveQuestion | null;
	readonly deadline: string | null;
	readonly revealed: boolean;
	readonly me: ParticipantData | null;
	readonly answers: Readonly<Record<string, ConfirmedAnswer>>;
	/** The revealed results of the question on screen, if any. */
	readonly results: ResultsData | null;
	/** The server's answer to a help request: who will come, and which lines to call. */
	readonly help: HelpAckData | null;
	readonly removed: boolean;
}

export const initialParticipantView: ParticipantView = {
	welcomed: false,
	state: null,
	question: null,
	deadline: null,
	revealed: false,
	me: null,
	answers: {},
	results: null,
	help: null,
	removed: false
};

function confirmed(answer: StoredAnswer): ConfirmedAnswer {
	return { choices: answer.choices ?? [], text: answer.text ?? '', moderation: answer.moderation ?? '' };
}

/**
 * Folds one server message into the view. A reconnection starts with a
 * welcome that carries the child's earlier answers, so the view comes back
 * as it was, without a second vote.
 */
export function reduceParticipant(view: ParticipantView, message: Envelope): ParticipantView {
	switch (message.type) {
		case 'welcome': {
			const data = message.data as WelcomeData;
			const answers: Record<string, ConfirmedAnswer> = {};
			for (const answer of data.answers ?? []) answers[answer.questionId] = confirmed(answer);
			return { ...view, welcomed: true, me: data.participant ?? view.me, answers };
		}
		case 'session.state': {
			const data = message.data as StateData;
			const sameQuestion = data.question?.id === view.question?.id;
			return {
				...view,
				state: data.state,
				question: data.question,
				deadline: data.deadline ?? null,
				revealed: data.revealed,
				results: sameQuestion && data.revealed ? view.results : null
			};
		}
		case 'results': {
			const data = message.data as ResultsData;
			return data.questionId === view.question?.id ? { ...view, results: data } : view;
		}
		case 'alias':
		case 'profile.ok':
			return { ...view, me: message.data as ParticipantData };
		case 'help.ack':
			return { ...view, help: message.data as HelpAckData };
		case 'error':
			return (message.data as { code?: string })?.code === 'participant_removed' ? { ...view, removed: true } : view;
		default:
			return view;
	}
}

/** Records an acknowledged answer; `sent` is what the child sent under that key. */
export function acknowledge(
	view: ParticipantView,
	ack: AckData,
	sent: { choices?: readonly string[]; text?: string }
): ParticipantView {
	const answer: ConfirmedAnswer = { choices: sent.choices ?? [], text: sent.text ?? '', moderation: ack.moderation ?? '' };
	return { ...view, answers: { ...view.answers, [ack.questionId]: answer } };
}

/** What the child's screen is about: one of a few phases, in the order of a session. */
export type Phase = 'connecting' | 'lobby' | 'question' | 'locked' | 'results' | 'ended' | 'removed';

export function phaseOf(view: ParticipantView): Phase {
	if (view.removed) return 'removed';
	if (!view.welcomed || view.state === null) return 'connecting';
	switch (view.state) {
		case 'lobby':
			return 'lobby';
		case 'question_open':
			return view.question ? 'question' : 'lobby';
		case 'question_locked':
			return 'locked';
		case 'results_revealed':
			return 'results';
		case 'ended':
			return 'ended';
	}
}

/** A fresh idempotency key for one answer (kept across retries of that answer). */
export function newIdempotencyKey(): string {
	// getRandomValues works on plain http too (a laptop on a community centre's network).
	const bytes = crypto.getRandomValues(new Uint8Array(16));
	return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
