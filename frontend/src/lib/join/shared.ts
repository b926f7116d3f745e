import { session } from '$lib/storage';
import { isValidCode } from './code';

/**
 * Shared-device mode: a group answers from one tablet, one child after the
 * other. Each turn is a new join with the session's code, so every child is
 * one participant with their own alias and token, and the next child never
 * sees the previous one's answers. This tab remembers only that it is shared
 * and the session's code (never anything about a child), in session storage:
 * closing the tab ends the mode.
 */
export const SHARED_STORAGE_KEY = 'voci.sharedDevice';

/** The join code of the session this tab takes turns in, or null when the device is not shared. */
export function sharedCode(): string | null {
	const raw = session.get(SHARED_STORAGE_KEY);
	return raw !== null && isValidCode(raw) ? raw : null;
}

export function startSharing(code: string): void {
	session.set(SHARED_STORAGE_KEY, code);
}

export function stopSharing(): void {
	session.remove(SHARED_STORAGE_KEY);
}
