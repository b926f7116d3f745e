import { describe, expect, it } from 'vitest';
import type { Envelope, ModerationData } from './protocol';
import { addText, initialRoomView, reactionsOf, reduceRoom, textsOf, upsertModeration } from './roomState';

const item = (answerId: string, moderation: ModerationData['moderation'], revision = 1): ModerationData => ({
	answerId,
	questionId: 'q',
	text: `text ${answerId}`,
	moderation,
	flags: moderation === 'held' ? ['phone'] : [],
	revision
});

describe('the moderation queue', () => {
	it('adds waiting text and drops decided text', () => {
		let queue = upsertModeration([], item('a', 'held'));
		queue = upsertModeration(queue, item('b', 'pending'));
		expect(queue.map((q) => q.answerId)).toEqual(['a', 'b']);
		queue = upsertModeration(queue, item('a', 'approved', 2));
		expect(queue.map((q) => q.answerId)).toEqual(['b']);
		expect(upsertModeration(queue, item('c', 'approved'))).toEqual(queue);
	});

	it('replaces an edited text, but never with an older revision', () => {
		let queue = upsertModeration([], item('a', 'pending', 2));
		queue = upsertModeration(queue, { ...item('a', 'held', 3), text: 'new' });
		expect(queue).toEqual([{ ...item('a', 'held', 3), text: 'new' }]);
		expect(upsertModeration(queue, item('a', 'pending', 1))).toEqual(queue);
	});
});

describe('the room view', () => {
	it('takes the join code from the welcome, and state and tallies after', () => {
		const messages: Envelope[] = [
			{ type: 'welcome', data: { protocol: 'voci-live/1', role: 'presenter', sessionId: 's', joinCode: '482913' } },
			{ type: 'session.state', data: { sessionId: 's', state: 'question_open', question: { id: 'q', kind: 'single', prompt: 'p', options: [] }, revealed: false, trustText: true } },
			{ type: 'tally', data: { questionId: 'q', respondents: 2, connected: 5, options: [], at: '' } }
		];
		const view = messages.reduce(reduceRoom, initialRoomView);
		expect(view.joinCode).toBe('482913');
		expect(view.state).toBe('question_open');
		expect(view.trustText).toBe(true);
		expect(view.joinsLocked).toBe(false);
		const locked = reduceRoom(view, { type: 'session.state', data: { sessionId: 's', state: 'lobby', question: null, revealed: false, trustText: false, joinsLocked: true } });
		expect(locked.joinsLocked).toBe(true);
		expect(view.tally?.connected).toBe(5);
		// A new question starts with no tally until the server sends one.
		const next = reduceRoom(view, { type: 'session.state', data: { sessionId: 's', state: 'question_open', question: { id: 'q2', kind: 'single', prompt: 'p', options: [] }, revealed: false, trustText: true } });
		expect(next.tally).toBeNull();
	});

	it('collects approved texts once each, by question', () => {
		let view = reduceRoom(initialRoomView, { type: 'text.approved', data: { answerId: 'a', questionId: 'q1', text: 'x' } });
		view = reduceRoom(view, { type: 'text.approved', data: { answerId: 'a', questionId: 'q1', text: 'x2' } });
		view = reduceRoom(view, { type: 'text.approved', data: { answerId: 'b', questionId: 'q2', text: 'y' } });
		expect(textsOf(view, 'q1')).toEqual([{ answerId: 'a', questionId: 'q1', text: 'x2' }]);
		expect(textsOf(view, undefined)).toEqual([]);
		expect(addText([], { answerId: 'c', questionId: 'q', text: 'z' })).toHaveLength(1);
	});

	it('puts new text in the queue', () => {
		const view = reduceRoom(initialRoomView, { type: 'moderation.new', data: item('a', 'held') });
		expect(view.queue).toEqual([item('a', 'held')]);
	});

	it('takes a withdrawn text off the screen', () => {
		let view = reduceRoom(initialRoomView, { type: 'text.approved', data: { answerId: 'a', questionId: 'q1', text: 'x' } });
		view = reduceRoom(view, { type: 'text.approved', data: { answerId: 'b', questionId: 'q1', text: 'y' } });
		view = reduceRoom(view, { type: 'text.withdrawn', data: { answerId: 'a', questionId: 'q1' } });
		expect(textsOf(view, 'q1').map((t) => t.answerId)).toEqual(['b']);
	});

	it('reads the reactions to an idea from its board\'s tally', () => {
		const tally = { questionId: 'q', respondents: 2, connected: 3, options: [], reactions: [{ ideaId: 'a', agree: 2, disagree: 1, pass: 0 }], at: '' };
		expect(reactionsOf(tally, 'q', 'a')).toEqual({ ideaId: 'a', agree: 2, disagree: 1, pass: 0 });
		expect(reactionsOf(tally, 'q', 'b')).toEqual({ ideaId: 'b', agree: 0, disagree: 0, pass: 0 });
		expect(reactionsOf(tally, 'other', 'a').agree).toBe(0);
		expect(reactionsOf(null, 'q', 'a').agree).toBe(0);
	});

	it('keeps a ranking\'s average places and points through the tallies after its results', () => {
		const ranking = [{ id: 'a', averageRank: 1, points: 2 }];
		const tally = { questionId: 'q', respondents: 1, connected: 2, options: [{ id: 'a', count: 1 }], at: '' };
		let view = reduceRoom(initialRoomView, { type: 'results', data: { ...tally, ranking, texts: [] } } as Envelope);
		view = reduceRoom(view, { type: 'tally', data: { ...tally, connected: 3 } } as Envelope);
		expect(view.tally?.ranking).toEqual(ranking);
		expect(view.tally?.connected).toBe(3);
		view = reduceRoom(view, { type: 'tally', data: { ...tally, questionId: 'next' } } as Envelope);
		expect(view.tally?.ranking).toBeUndefined();
	});

	it('remembers when someone in the room asked for help, and nothing of who', () => {
		const first = reduceRoom(initialRoomView, { type: 'help.requested', data: { at: '2026-12-06T10:00:00Z' } } as Envelope);
		expect(first.helpRequestedAt).toBe('2026-12-06T10:00:00Z');
		const again = reduceRoom(first, { type: 'help.requested', data: { at: '2026-12-06T10:05:00Z' } } as Envelope);
		expect(again.helpRequestedAt).toBe('2026-12-06T10:05:00Z');
		expect(initialRoomView.helpRequestedAt).toBeNull();
	});
});
