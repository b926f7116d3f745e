import { afterEach, describe, expect, it, vi } from 'vitest';
import { NETWORK_ERROR, toProblem } from '$lib/api/problem';
import { checkNewPassword } from './password';
import { isTotpCode, logIn, loginErrorKey, normalizeTotp } from './login';
import { passwordChangeErrorKey, totpErrorKey } from './account';

const problem = (status: number, code: string, param?: string) =>
	toProblem(status, { status, code, param, detail: 'English detail' });

describe('signing in', () => {
	afterEach(() => {
		vi.unstubAllGlobals();
	});

	it('sends the language the page is shown in, at both steps', async () => {
		const fetch = vi.fn().mockResolvedValue(
			new Response(JSON.stringify({ code: 'totp_required', status: 401 }), {
				status: 401,
				headers: { 'Content-Type': 'application/problem+json' }
			})
		);
		vi.stubGlobal('fetch', fetch);
		await logIn({ email: 'ana@example.ro', password: 'piros alma a kertben' }, 'hu');
		await logIn({ email: 'ana@example.ro', password: 'piros alma a kertben', totp: '123456' }, 'en');
		const bodies = (fetch.mock.calls as [string, RequestInit][]).map(([path, init]) => {
			expect(path).toBe('/api/v1/auth/login');
			return JSON.parse(init.body as string);
		});
		expect(bodies).toEqual([
			{ email: 'ana@example.ro', password: 'piros alma a kertben', lang: 'hu' },
			{ email: 'ana@example.ro', password: 'piros alma a kertben', totp: '123456', lang: 'en' }
		]);
	});
});

describe('sign-in messages', () => {
	it.each([
		['invalid_credentials', 401, 'login.error.invalidCredentials'],
		['account_disabled', 403, 'login.error.disabled'],
		['invalid_totp', 401, 'login.error.invalidTotp'],
		['rate_limited', 429, 'login.error.rateLimited'],
		['invalid_parameter', 400, 'login.error.invalidCredentials'],
		[NETWORK_ERROR, 0, 'errors.network'],
		['internal', 500, 'errors.generic']
	])('%s → %s', (code, status, key) => {
		expect(loginErrorKey(problem(status, code))).toBe(key);
	});
});

describe('one-time codes', () => {
	it('accepts six digits as typed or pasted', () => {
		expect(normalizeTotp(' 123 456 ')).toBe('123456');
		expect(normalizeTotp('123-456')).toBe('123456');
		expect(isTotpCode('123456')).toBe(true);
		expect(isTotpCode('12345')).toBe(false);
		expect(isTotpCode('12345a')).toBe(false);
	});

	it('explains a refused code', () => {
		expect(totpErrorKey(problem(401, 'invalid_totp', 'code'))).toBe('account.totp.invalid');
		expect(totpErrorKey(problem(403, 'forbidden'))).toBe('account.totp.required');
		expect(totpErrorKey(problem(403, 'csrf_failed'))).toBe('errors.csrf');
	});
});

describe('new passwords', () => {
	it('checks the length in characters, as the server does', () => {
		expect(checkNewPassword('ăăăăăăăăăăă', 'ăăăăăăăăăăă')).toBe('password.error.tooShort');
		expect(checkNewPassword('ăăăăăăăăăăăă', 'ăăăăăăăăăăăă')).toBeNull();
		expect(checkNewPassword('x'.repeat(129), 'x'.repeat(129))).toBe('password.error.tooLong');
		expect(checkNewPassword('plum orchard ferry', 'plum orchard ferrY')).toBe('password.error.mismatch');
	});

	it('explains the server refusing a change by code and parameter, never by its English detail', () => {
		expect(passwordChangeErrorKey(problem(401, 'invalid_credentials', 'currentPassword'))).toBe(
			'account.password.wrongCurrent'
		);
		expect(passwordChangeErrorKey(problem(400, 'invalid_parameter', 'newPassword'))).toBe('password.error.rejected');
		expect(passwordChangeErrorKey(problem(400, 'invalid_parameter', 'other'))).toBe('errors.invalidRequest');
		expect(passwordChangeErrorKey(problem(429, 'rate_limited'))).toBe('errors.rateLimited');
	});
});
