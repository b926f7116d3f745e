import { describe, expect, it } from 'vitest';
import { acknowledge, initialParticipantView, newIdempotencyKey, phaseOf, reactTo, reduceParticipant, type ParticipantView } from './participantState';
import type { Envelope, LiveQuestion, StateData } from './protocol';

const question: LiveQuestion = {
	id: 'q1',
	kind: 'single',
	prompt: 'What first?',
	options: [
		{ id: 'a', label: 'Swings' },
		{ id: 'b', label: 'Trees' }
	]
};
const me = { id: 'p1', alias: 'Vulpea Albastră 7', lang: 'ro', ageBand: '', gender: '' };

function state(data: Partial<StateData>): Envelope {
	return { type: 'session.state', data: { sessionId: 's', state: 'lobby', question: null, revealed: false, trustText: false, ...data } };
}

function run(...messages: Envelope[]): ParticipantView {
	return messages.reduce(reduceParticipant, initialParticipantView);
}

const welcome = (answers: unknown[] = []): Envelope => ({
	type: 'welcome',
	data: { protocol: 'voci-live/1', role: 'participant', sessionId: 's', participant: me, answers }
});

describe('the participant view', () => {
	it('is connecting until welcomed and told the state', () => {
		expect(phaseOf(initialParticipantView)).toBe('connecting');
		expect(phaseOf(run(welcome()))).toBe('connecting');
		expect(phaseOf(run(welcome(), state({ state: 'lobby' })))).toBe('lobby');
	});

	it('follows the session through a question', () => {
		const open = run(welcome(), state({ state: 'question_open', question }));
		expect(phaseOf(open)).toBe('question');
		expect(open.question).toEqual(question);
		expect(phaseOf(reduceParticipant(open, state({ state: 'question_locked', question })))).toBe('locked');
		const revealed = reduceParticipant(open, state({ state: 'results_revealed', question, revealed: true }));
		expect(phaseOf(revealed)).toBe('results');
		expect(phaseOf(reduceParticipant(revealed, state({ state: 'ended' })))).toBe('ended');
	});

	it('restores earlier answers from the welcome of a reconnection', () => {
		const view = run(
			welcome([
				{ questionId: 'q1', choices: ['b'] },
				{ questionId: 'q2', text: 'Mai mulți copaci', moderation: 'pending' }
			]),
			state({ state: 'question_open', question })
		);
		expect(view.me).toEqual(me);
		expect(view.answers).toEqual({
			q1: { choices: ['b'], text: '', moderation: '' },
			q2: { choices: [], text: 'Mai mulți copaci', moderation: 'pending' }
		});
	});

	it('confirms an answer only with the acknowledgement, and a new one replaces it', () => {
		let view = run(welcome(), state({ state: 'question_open', question }));
		expect(view.answers.q1).toBeUndefined();
		view = acknowledge(view, { questionId: 'q1', idempotencyKey: 'k', acceptedAt: '', replayed: false }, { choices: ['a'] });
		expect(view.answers.q1).toEqual({ choices: ['a'], text: '', moderation: '' });
		view = acknowledge(view, { questionId: 'q1', idempotencyKey: 'k2', acceptedAt: '', replayed: false }, { choices: ['b'] });
		expect(Object.keys(view.answers)).toEqual(['q1']);
		expect(view.answers.q1?.choices).toEqual(['b']);
	});

	it('keeps a text held for moderation marked as such', () => {
		const view = acknowledge(initialParticipantView, { questionId: 'q2', idempotencyKey: 'k', acceptedAt: '', moderation: 'held', replayed: false }, { text: 'x' });
		expect(view.answers.q2?.moderation).toBe('held');
	});

	it('shows revealed results of the question on screen only, and forgets them on the next question', () => {
		const results: Envelope = { type: 'results', data: { questionId: 'q1', respondents: 3, connected: 3, options: [{ id: 'a', count: 2 }], at: '', texts: [] } };
		let view = run(welcome(), state({ state: 'results_revealed', question, revealed: true }), results);
		expect(view.results?.respondents).toBe(3);
		expect(reduceParticipant(view, { ...results, data: { ...(results.data as object), questionId: 'other' } }).results?.questionId).toBe('q1');
		view = reduceParticipant(view, state({ state: 'question_open', question: { ...question, id: 'q2' } }));
		expect(view.results).toBeNull();
	});

	it('takes a new alias and profile from the server', () => {
		const view = run(welcome(), { type: 'alias', id: 'c1', data: { ...me, alias: 'Ursul Vesel 2' } }, { type: 'profile.ok', id: 'c2', data: { ...me, alias: 'Ursul Vesel 2', ageBand: '10_12' } });
		expect(view.me?.alias).toBe('Ursul Vesel 2');
		expect(view.me?.ageBand).toBe('10_12');
	});

	it('keeps the help acknowledgement: who will come and which lines to call', () => {
		const data = {
			message: 'Mulțumim că ne-ai spus.',
			contact: { name: 'Elena Ionescu', phone: '0234 581 849' },
			helplines: [{ number: '119', kind: 'abuse_report' }]
		};
		expect(run({ type: 'help.ack', id: 'c3', data }).help).toEqual(data);
	});

	it('knows when the facilitator removed the child', () => {
		const view = run(welcome(), state({}), { type: 'error', data: { code: 'participant_removed', message: '' } });
		expect(phaseOf(view)).toBe('removed');
		expect(phaseOf(run(welcome(), state({}), { type: 'error', data: { code: 'rate_limited', message: '' } }))).toBe('lobby');
	});
});

describe('newIdempotencyKey', () => {
	it('is 128 random bits, different every time', () => {
		const a = newIdempotencyKey();
		expect(a).toMatch(/^[0-9a-f]{32}$/);
		expect(newIdempotencyKey()).not.toBe(a);
	});
});

describe('the ideas of an idea board', () => {
	const board: LiveQuestion = { id: 'b1', kind: 'idea_board', prompt: 'Your idea for the park?', options: [] };
	const open = (): ParticipantView => run(welcome(), state({ state: 'question_open', question: board }));

	it('starts from the board the server sends, with the child\'s own idea and reactions marked', () => {
		const view = reduceParticipant(open(), {
			type: 'ideas',
			data: {
				questionId: 'b1',
				ideas: [
					{ answerId: 'i1', questionId: 'b1', text: 'A fountain', own: true },
					{ answerId: 'i2', questionId: 'b1', text: 'More benches', reaction: 'agree' }
				]
			}
		});
		expect(view.ideas).toEqual([
			{ answerId: 'i1', text: 'A fountain', own: true, reaction: null },
			{ answerId: 'i2', text: 'More benches', own: false, reaction: 'agree' }
		]);
	});

	it('adds approved ideas, keeps a reaction while the words stay, and drops withdrawn ones', () => {
		let view = reduceParticipant(open(), { type: 'text.approved', data: { answerId: 'i2', questionId: 'b1', text: 'Benches' } });
		view = reactTo(view, 'i2', 'disagree');
		view = reduceParticipant(view, { type: 'text.approved', data: { answerId: 'i2', questionId: 'b1', text: 'Benches' } });
		expect(view.ideas).toEqual([{ answerId: 'i2', text: 'Benches', own: false, reaction: 'disagree' }]);
		// Its author changed it: a new version, judged afresh.
		view = reduceParticipant(view, { type: 'text.approved', data: { answerId: 'i2', questionId: 'b1', text: 'Benches in the shade' } });
		expect(view.ideas).toEqual([{ answerId: 'i2', text: 'Benches in the shade', own: false, reaction: null }]);
		view = reduceParticipant(view, { type: 'text.approved', data: { answerId: 'i3', questionId: 'other', text: 'Not this board' } });
		expect(view.ideas).toHaveLength(1);
		view = reduceParticipant(view, { type: 'text.withdrawn', data: { answerId: 'i2', questionId: 'b1' } });
		expect(view.ideas).toEqual([]);
	});

	it('ignores approved texts of questions that are not idea boards, and forgets ideas on a new question', () => {
		const single = run(welcome(), state({ state: 'question_open', question }));
		expect(reduceParticipant(single, { type: 'text.approved', data: { answerId: 'x', questionId: 'q1', text: 't' } }).ideas).toEqual([]);
		let view = reduceParticipant(open(), { type: 'text.approved', data: { answerId: 'i1', questionId: 'b1', text: 'A pond' } });
		view = reduceParticipant(view, state({ state: 'question_locked', question: board }));
		expect(view.ideas).toHaveLength(1);
		view = reduceParticipant(view, state({ state: 'question_open', question }));
		expect(view.ideas).toEqual([]);
	});
});
