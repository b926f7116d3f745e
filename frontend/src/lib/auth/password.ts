import type { AdultMessageKey } from '$lib/i18n/types';

/** The server's bounds for a password (internal/password/policy.go). */
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 128;

/**
 * What can be checked before asking the server: the length, counted in
 * characters as the server counts them, and that both copies match. The
 * server also refuses common passwords and the email's name; its answer is
 * shown then.
 */
export function checkNewPassword(password: string, confirmation: string): AdultMessageKey | null {
	const length = [...password].length;
	if (length < MIN_PASSWORD_LENGTH) return 'password.error.tooShort';
	if (length > MAX_PASSWORD_LENGTH) return 'password.error.tooLong';
	if (password !== confirmation) return 'password.error.mismatch';
	return null;
}
