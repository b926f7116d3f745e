import type {
	Envelope,
	IdeaReactions,
	LiveQuestion,
	LiveState,
	ModerationData,
	StateData,
	TallyData,
	TextData,
	WelcomeData,
	WithdrawnData
} from './protocol';

/** What the facilitator's console and the presenter screen know about the room. */
export interface RoomView {
	readonly welcomed: boolean;
	readonly joinCode: string;
	readonly state: LiveState | null;
	readonly question: LiveQuestion | null;
	readonly deadline: string | null;
	readonly revealed: boolean;
	readonly trustText: boolean;
	readonly joinsLocked: boolean;
	readonly tally: TallyData | null;
	/** Text waiting for the facilitator (held or pending), oldest first. Facilitator only. */
	readonly queue: readonly ModerationData[];
	/** Approved texts, by answer, in the order they were approved. */
	readonly texts: readonly TextData[];
	/** When someone in the room last asked for help (never who). Facilitator only. */
	readonly helpRequestedAt: string | null;
	/** The language of `question`; adults also get the consultation's languages and the question in the others. */
	readonly lang?: string;
	readonly languages?: readonly string[];
	readonly translations?: Readonly<Record<string, LiveQuestion>>;
}

export const initialRoomView: RoomView = {
	welcomed: false,
	joinCode: '',
	state: null,
	question: null,
	deadline: null,
	revealed: false,
	trustText: false,
	joinsLocked: false,
	tally: null,
	queue: [],
	texts: [],
	helpRequestedAt: null
};

/** Adds or replaces an item of the moderation queue, dropping it once decided. */
export function upsertModeration(queue: readonly ModerationData[], item: ModerationData): ModerationData[] {
	const index = queue.findIndex((q) => q.answerId === item.answerId);
	const waiting = item.moderation === 'held' || item.moderation === 'pending';
	if (index === -1) return waiting ? [...queue, item] : [...queue];
	if ((queue[index]?.revision ?? 0) > item.revision) return [...queue];
	const next = [...queue];
	if (waiting) next[index] = item;
	else next.splice(index, 1);
	return next;
}

/** Adds an approved text unless it is already there (a text edited by the child replaces its old version). */
export function addText(texts: readonly TextData[], text: TextData): TextData[] {
	const index = texts.findIndex((t) => t.answerId === text.answerId);
	if (index === -1) return [...texts, text];
	const next = [...texts];
	next[index] = text;
	return next;
}

export function reduceRoom(view: RoomView, message: Envelope): RoomView {
	switch (message.type) {
		case 'welcome': {
			const data = message.data as WelcomeData;
			return { ...view, welcomed: true, joinCode: data.joinCode ?? view.joinCode };
		}
		case 'session.state': {
			const data = message.data as StateData;
			const changed = data.question?.id !== view.question?.id;
			return {
				...view,
				state: data.state,
				question: data.question,
				deadline: data.deadline ?? null,
				revealed: data.revealed,
				trustText: data.trustText,
				joinsLocked: data.joinsLocked ?? false,
				lang: data.lang,
				languages: data.languages,
				translations: data.translations,
				tally: changed ? null : view.tally
			};
		}
		case 'tally':
		case 'results': {
			const data = message.data as TallyData;
			// A tally after a ranking's results keeps their average places and points (a tally
			// never carries them; the next results bring new ones).
			const ranking = !data.ranking && view.tally?.questionId === data.questionId ? view.tally.ranking : undefined;
			// The tally of the lobby has no question; it still carries who is connected.
			return { ...view, tally: ranking ? { ...data, ranking } : data };
		}
		case 'moderation.new':
			return { ...view, queue: upsertModeration(view.queue, message.data as ModerationData) };
		case 'help.requested':
			return { ...view, helpRequestedAt: (message.data as { at?: string } | undefined)?.at ?? new Date().toISOString() };
		case 'text.approved':
			return { ...view, texts: addText(view.texts, message.data as TextData) };
		case 'text.withdrawn': {
			const gone = (message.data as WithdrawnData).answerId;
			return { ...view, texts: view.texts.filter((t) => t.answerId !== gone) };
		}
		default:
			return view;
	}
}

/** The approved texts of one question. */
export function textsOf(view: RoomView, questionId: string | undefined): TextData[] {
	return questionId === undefined ? [] : view.texts.filter((t) => t.questionId === questionId);
}

/** The reactions to one idea, from the tally of its idea board (none yet: all zero). */
export function reactionsOf(tally: TallyData | null, questionId: string, ideaId: string): IdeaReactions {
	const found = tally?.questionId === questionId ? tally.reactions?.find((r) => r.ideaId === ideaId) : undefined;
	return found ?? { ideaId, agree: 0, disagree: 0, pass: 0 };
}
