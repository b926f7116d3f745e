import { describe, expect, it } from 'vitest';
import { networkProblem, NETWORK_ERROR, problemMessageKey, toProblem, UNKNOWN_ERROR } from './problem';

describe('toProblem', () => {
	it('reads an RFC 9457 body', () => {
		expect(
			toProblem(400, {
				type: 'about:blank',
				title: 'Bad Request',
				status: 400,
				detail: 'page must be a positive integer',
				code: 'invalid_parameter',
				param: 'page'
			})
		).toEqual({
			status: 400,
			code: 'invalid_parameter',
			title: 'Bad Request',
			detail: 'page must be a positive integer',
			param: 'page'
		});
	});

	it('uses the HTTP status, not the body, as the status', () => {
		expect(toProblem(502, { status: 200, code: 'x' }).status).toBe(502);
	});

	it.each([undefined, null, 'Bad gateway', 42, [], { code: 7 }, { code: '' }])(
		'survives a body that is not a problem: %j',
		(body) => {
			expect(toProblem(502, body)).toMatchObject({ status: 502, code: UNKNOWN_ERROR });
		}
	);

	it('describes a request that got no answer', () => {
		expect(networkProblem()).toEqual({ status: 0, code: NETWORK_ERROR });
	});
});

describe('problemMessageKey', () => {
	it.each([
		['rate_limited', 'errors.rateLimited'],
		['invalid_parameter', 'errors.invalidRequest'],
		['invalid_body', 'errors.invalidRequest'],
		['not_found', 'errors.notFound'],
		[NETWORK_ERROR, 'errors.network'],
		['internal', 'errors.generic'],
		['session_not_found', 'errors.generic'],
		[UNKNOWN_ERROR, 'errors.generic']
	])('maps %s to %s by default', (code, key) => {
		expect(problemMessageKey(code)).toBe(key);
	});

	it('lets a page say something more specific', () => {
		expect(problemMessageKey('not_found', { not_found: 'notFound.text' })).toBe('notFound.text');
		expect(problemMessageKey('rate_limited', { not_found: 'notFound.text' })).toBe('errors.rateLimited');
	});
});
