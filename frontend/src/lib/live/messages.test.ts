import { describe, expect, it } from 'vitest';
import { answerErrorKey, closedKey } from './messages';

describe('what a child reads', () => {
	it.each([
		['question_not_open', 'child.error.closed'],
		['text_too_long', 'child.error.tooLong'],
		['rate_limited', 'child.error.slowDown'],
		['network_error', 'errors.network'],
		['invalid_parameter', 'child.error.invalid'],
		['internal', 'errors.generic']
	])('when an answer is refused with %s', (code, key) => {
		expect(answerErrorKey(code)).toBe(key);
	});

	it('when the session is over for them', () => {
		expect(closedKey('ended')).toBe('child.closed.ended');
		expect(closedKey('removed')).toBe('child.closed.removed');
		expect(closedKey('replaced')).toBe('child.closed.replaced');
		expect(closedKey('refused')).toBe('child.closed.refused');
	});
});
