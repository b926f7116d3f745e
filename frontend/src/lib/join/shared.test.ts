import { afterEach, describe, expect, it } from 'vitest';
import { session } from '$lib/storage';
import { SHARED_STORAGE_KEY, sharedCode, startSharing, stopSharing } from './shared';

describe('shared-device mode', () => {
	afterEach(() => stopSharing());

	it('is off until started, and keeps only the session code', () => {
		expect(sharedCode()).toBeNull();
		startSharing('482913');
		expect(sharedCode()).toBe('482913');
		expect(session.get(SHARED_STORAGE_KEY)).toBe('482913');
		stopSharing();
		expect(sharedCode()).toBeNull();
	});

	it('ignores a stored value that is not a join code', () => {
		session.set(SHARED_STORAGE_KEY, '{"alias":"x"}');
		expect(sharedCode()).toBeNull();
	});
});
