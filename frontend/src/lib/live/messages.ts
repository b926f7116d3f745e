import type { MessageKey } from '$lib/i18n/types';
import type { ClosedReason } from './connection';

/** What a child reads when an answer is refused, by the server's code. */
export function answerErrorKey(code: string): MessageKey {
	switch (code) {
		case 'question_not_open':
			return 'child.error.closed';
		case 'text_too_long':
			return 'child.error.tooLong';
		case 'rate_limited':
			return 'child.error.slowDown';
		case 'network_error':
			return 'errors.network';
		case 'invalid_parameter':
			return 'child.error.invalid';
		default:
			return 'errors.generic';
	}
}

/** What a child reads when the connection is over for good. */
export function closedKey(reason: ClosedReason): MessageKey {
	switch (reason) {
		case 'ended':
			return 'child.closed.ended';
		case 'removed':
			return 'child.closed.removed';
		case 'replaced':
			return 'child.closed.replaced';
		default:
			return 'child.closed.refused';
	}
}
