import { describe, expect, it } from 'vitest';
import { NETWORK_ERROR, toProblem } from '$lib/api/problem';
import { isCodeProblem, joinErrorKey } from './join';

function problem(code: string, status = 400) {
	return toProblem(status, { type: 'about:blank', title: 't', status, detail: 'English detail', code });
}

describe('joinErrorKey', () => {
	it.each([
		['session_not_found', 404, 'join.error.sessionNotFound'],
		['session_full', 409, 'join.error.full'],
		['session_locked', 403, 'join.error.locked'],
		['too_many_joins', 429, 'join.error.tooMany'],
		['invalid_parameter', 400, 'join.error.invalidCode'],
		['rate_limited', 429, 'errors.rateLimited'],
		['internal', 500, 'errors.generic'],
		['body_too_large', 413, 'errors.generic'],
		['something_new', 400, 'errors.generic'],
		[NETWORK_ERROR, 0, 'errors.network']
	])('maps %s to %s', (code, status, key) => {
		expect(joinErrorKey(problem(code, status))).toBe(key);
	});

	it('marks only problems with the code itself as invalid input', () => {
		expect(isCodeProblem('join.error.invalidCode')).toBe(true);
		expect(isCodeProblem('join.error.sessionNotFound')).toBe(true);
		expect(isCodeProblem('errors.rateLimited')).toBe(false);
		expect(isCodeProblem('errors.network')).toBe(false);
	});
});
