import { describe, expect, it } from 'vitest';
import { answerIn, type CouncilMotion } from './answers';

const motion = (texts: Record<string, { text: string; easyRead: string }> | null): CouncilMotion => ({
	meetingId: 'm',
	meetingTitle: 'Ședința',
	meetingDate: '2026-12-01T16:00:00Z',
	number: 'M-2026-1',
	title: 'Bănci',
	text: 'Zece bănci.',
	motionState: 'adopted',
	vote: null,
	sent: true,
	answer: 'answered',
	decisions: [],
	feedback: texts === null ? null : { version: 1, publishedAt: '2026-12-02T10:00:00Z', texts }
});

describe('answerIn', () => {
	const ro = { text: 'Consiliul a aprobat.', easyRead: 'Da.' };
	const hu = { text: 'A tanács jóváhagyta.', easyRead: 'Igen.' };
	it("gives the reader's language when written", () => {
		expect(answerIn(motion({ ro, hu }), 'hu')).toEqual({ text: hu, fallback: false });
	});
	it('falls back to Romanian, saying so', () => {
		expect(answerIn(motion({ ro }), 'en')).toEqual({ text: ro, fallback: true });
		expect(answerIn(motion({ ro }), 'ro')).toEqual({ text: ro, fallback: false });
	});
	it('has nothing before feedback is published', () => {
		expect(answerIn(motion(null), 'ro')).toBeNull();
	});
});
