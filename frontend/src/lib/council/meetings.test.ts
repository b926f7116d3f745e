import { describe, expect, it } from 'vitest';
import { instantOf, localOf, meetingErrorKey } from './meetings';
import { proposalErrorKey } from './member';

describe('meeting times', () => {
	it('turns a datetime-local value into an instant and back', () => {
		const local = '2026-12-12T15:30';
		expect(localOf(instantOf(local))).toBe(local);
		expect(instantOf('')).toBe('');
		expect(localOf('not a time')).toBe('');
	});
});

describe('meetingErrorKey', () => {
	it('says why a change to a meeting or a document was refused', () => {
		expect(meetingErrorKey({ code: 'meeting_not_scheduled', status: 409 } as never)).toBe('meetings.error.notScheduled');
		expect(meetingErrorKey({ code: 'attachment_type_mismatch', status: 415 } as never)).toBe('meetings.error.mismatch');
		expect(meetingErrorKey({ code: 'attachment_type_not_allowed', status: 415 } as never)).toBe('meetings.error.type');
		expect(meetingErrorKey({ code: 'attachment_too_large', status: 413 } as never)).toBe('meetings.error.tooLarge');
		expect(meetingErrorKey({ code: 'invalid_parameter', param: 'startsAt', status: 400 } as never)).toBe('meetings.error.startsAt');
	});
});

describe('proposalErrorKey', () => {
	it('speaks to a child about a refused proposal', () => {
		expect(proposalErrorKey('meeting_not_scheduled')).toBe('councilPhone.agenda.error.closed');
		expect(proposalErrorKey('conflict')).toBe('councilPhone.agenda.error.tooMany');
		expect(proposalErrorKey('unauthorized')).toBe('councilPhone.signedOut');
	});
});
