import { describe, expect, it } from 'vitest';
import { NETWORK_ERROR, toProblem } from '$lib/api/problem';
import type { LiveQuestion } from '$lib/live/protocol';
import { safeStorage } from '$lib/storage';
import { answerProblemKey, confirmedAnswers, firstUnanswered, tokenStore, unavailable } from './state';

const question = (id: string): LiveQuestion => ({ id, kind: 'single', prompt: id, options: [] });

describe('firstUnanswered', () => {
	const qs = [question('a'), question('b'), question('c')];
	it('starts at the first question without an answer', () => {
		expect(firstUnanswered(qs, {})).toBe(0);
		expect(firstUnanswered(qs, { a: 1, c: 1 })).toBe(1);
	});
	it('goes to the end when every question is answered', () => {
		expect(firstUnanswered(qs, { a: 1, b: 1, c: 1 })).toBe(3);
		expect(firstUnanswered([], {})).toBe(0);
	});
});

describe('confirmedAnswers', () => {
	it('keys the stored answers by question, with defaults', () => {
		expect(confirmedAnswers([{ questionId: 'a', choices: ['x'] }, { questionId: 'b', text: 'hi', moderation: 'pending' }])).toEqual({
			a: { choices: ['x'], text: '', moderation: '' },
			b: { choices: [], text: 'hi', moderation: 'pending' }
		});
	});
});

describe('unavailable', () => {
	const problem = (code: string, status: number, extra = {}) =>
		toProblem(status, { type: 'about:blank', title: 't', status, detail: 'English', code, ...extra });
	it('keeps the dates of a link used too early or too late', () => {
		expect(unavailable(problem('self_paced_not_yet_open', 409, { opensAt: '2026-04-01T08:00:00Z', closesAt: '2026-04-15T20:00:00Z' }))).toEqual({
			kind: 'not_yet',
			opensAt: '2026-04-01T08:00:00Z',
			closesAt: '2026-04-15T20:00:00Z'
		});
		expect(unavailable(problem('self_paced_closed', 410, { closesAt: '2026-04-15T20:00:00Z' }))).toEqual({
			kind: 'closed',
			closesAt: '2026-04-15T20:00:00Z'
		});
	});
	it('tells an unknown link from other trouble', () => {
		expect(unavailable(problem('self_paced_link_unknown', 404))).toEqual({ kind: 'unknown' });
		expect(unavailable(problem('rate_limited', 429))).toEqual({ kind: 'error', message: 'errors.rateLimited' });
		expect(unavailable(toProblem(0, { code: NETWORK_ERROR }))).toEqual({ kind: 'error', message: 'errors.network' });
	});
});

describe('answerProblemKey', () => {
	it.each([
		['text_too_long', 'child.error.tooLong'],
		['option_not_in_question', 'child.error.invalid'],
		['rate_limited', 'child.error.slowDown'],
		[NETWORK_ERROR, 'errors.network'],
		['internal', 'errors.generic']
	])('maps %s to %s', (code, key) => {
		expect(answerProblemKey(toProblem(400, { code }))).toBe(key);
	});
});

describe('tokenStore', () => {
	it('keeps one token per link', () => {
		const memory = new Map<string, string>();
		const storage = safeStorage(() => ({
			getItem: (k: string) => memory.get(k) ?? null,
			setItem: (k: string, v: string) => void memory.set(k, v),
			removeItem: (k: string) => void memory.delete(k)
		}) as unknown as Storage);
		const a = tokenStore('aaaa', storage);
		const b = tokenStore('bbbb', storage);
		a.set('token-a');
		expect(a.get()).toBe('token-a');
		expect(b.get()).toBeNull();
		a.clear();
		expect(a.get()).toBeNull();
	});
});
