import type {
	AckData,
	Envelope,
	HelpAckData,
	IdeasData,
	LiveQuestion,
	LiveState,
	ModerationState,
	ParticipantData,
	Reaction,
	ResultsData,
	StateData,
	StoredAnswer,
	TextData,
	WelcomeData,
	WithdrawnData
} from './protocol';

/** An answer the server has acknowledged: only these are confirmed to the child. */
export interface ConfirmedAnswer {
	readonly choices: readonly string[];
	readonly text: string;
	readonly moderation: ModerationState;
}

/** An approved idea of the open idea board, as this child sees it. */
export interface Idea {
	readonly answerId: string;
	readonly text: string;
	/** The child's own idea: shown, never reacted to. */
	readonly own: boolean;
	readonly reaction: Reaction | null;
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
	/** The approved ideas of the idea board on screen, oldest first. */
	readonly ideas: readonly Idea[];
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
	removed: false,
	ideas: []
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
				results: sameQuestion && data.revealed ? view.results : null,
				ideas: sameQuestion ? view.ideas : []
			};
		}
		case 'ideas': {
			const data = message.data as IdeasData;
			if (data.questionId !== view.question?.id) return view;
			return { ...view, ideas: data.ideas.map((idea) => toIdea(idea, null)) };
		}
		case 'text.approved': {
			const data = message.data as TextData;
			if (data.questionId !== view.question?.id || view.question.kind !== 'idea_board') return view;
			return { ...view, ideas: upsertIdea(view.ideas, data) };
		}
		case 'text.withdrawn': {
			const data = message.data as WithdrawnData;
			return { ...view, ideas: view.ideas.filter((idea) => idea.answerId !== data.answerId) };
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

function toIdea(data: TextData, known: Idea | null): Idea {
	return {
		answerId: data.answerId,
		text: data.text,
		own: data.own ?? known?.own ?? false,
		// A new version of an idea is judged afresh (the server forgot the reactions to the old one).
		reaction: data.reaction ?? (known !== null && known.text === data.text ? known.reaction : null)
	};
}

/** Adds an idea, or replaces its text (approved again after a change); the child's reaction stays only while the words do. */
function upsertIdea(ideas: readonly Idea[], data: TextData): Idea[] {
	const index = ideas.findIndex((idea) => idea.answerId === data.answerId);
	if (index === -1) return [...ideas, toIdea(data, null)];
	const next = [...ideas];
	next[index] = toIdea(data, ideas[index] ?? null);
	return next;
}

/** Records the child's reaction once the server has acknowledged it. */
export function reactTo(view: ParticipantView, ideaId: string, reaction: Reaction): ParticipantView {
	return { ...view, ideas: view.ideas.map((idea) => (idea.answerId === ideaId ? { ...idea, reaction } : idea)) };
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
