import { describe, expect, it } from 'vitest';
import { toProblem } from '$lib/api/problem';
import { acceptErrorKey, invitationGrants } from './invitation';
import { resetErrorKey, tokenFrom } from './recovery';

const problem = (status: number, code: string, param?: string) =>
	toProblem(status, { status, code, param, detail: 'English detail' });

describe('emailed links', () => {
	it('reads a token that looks like one, from the fragment the server writes, or the query', () => {
		const at = (path: string) => tokenFrom(new URL(path, 'http://voci.test'));
		expect(at('/invitation#token=abcDEF123_-xyz')).toBe('abcDEF123_-xyz');
		expect(at('/password-reset?token=abcDEF123_-xyz')).toBe('abcDEF123_-xyz');
		expect(at('/invitation#token=fromHash1&x=1')).toBe('fromHash1');
		expect(at('/invitation')).toBeNull();
		expect(at('/invitation#token=short')).toBeNull();
		expect(at('/invitation#token=<script>alert(1)</script>')).toBeNull();
		expect(at(`/invitation#token=${'a'.repeat(101)}`)).toBeNull();
	});

	it('tells a dead link from a refused password', () => {
		expect(resetErrorKey(problem(400, 'token_invalid'))).toBe('reset.tokenInvalid');
		expect(resetErrorKey(problem(400, 'invalid_parameter', 'token'))).toBe('reset.tokenInvalid');
		expect(resetErrorKey(problem(400, 'invalid_parameter', 'newPassword'))).toBe('password.error.rejected');
		expect(acceptErrorKey(problem(404, 'not_found'))).toBe('invitation.invalid');
		expect(acceptErrorKey(problem(400, 'invalid_parameter', 'displayName'))).toBe('account.name.error');
	});

	it('reads the roles of an invitation, skipping names it does not know', () => {
		expect(
			invitationGrants({
				roles: [{ role: 'coordinator', municipality: 20297, municipalityName: 'Bacău' }, { role: 'national_committee' }, { role: 'no_such_role' }]
			})
		).toEqual([
			{ role: 'coordinator', municipality: 20297, municipalityName: 'Bacău' },
			{ role: 'national_committee', municipality: undefined, municipalityName: undefined }
		]);
	});

	it('asks for the second factor of an existing account', () => {
		expect(acceptErrorKey(problem(401, 'invalid_credentials', 'password'))).toBe('account.password.wrongCurrent');
		expect(acceptErrorKey(problem(401, 'invalid_totp'))).toBe('login.error.invalidTotp');
		expect(acceptErrorKey(problem(403, 'account_disabled'))).toBe('login.error.disabled');
	});
});
