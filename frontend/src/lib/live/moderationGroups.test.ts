import { describe, expect, it } from 'vitest';
import { groupModeration, isFlagged } from './moderationGroups';
import type { ModerationData } from './protocol';

function text(answerId: string, questionId: string, moderation: ModerationData['moderation'], flags: string[] = []): ModerationData {
	return { answerId, questionId, text: answerId, moderation, flags, revision: 1 };
}

describe('groupModeration', () => {
	const queue = [
		text('phone', 'q1', 'held', ['phone']),
		text('trees', 'q1', 'pending'),
		text('bench', 'q2', 'pending'),
		text('address', 'q2', 'held', ['address'])
	];

	it('keeps held texts apart from ordinary ones, question by question', () => {
		const groups = groupModeration(queue);
		expect(groups.map((g) => g.questionId)).toEqual(['q1', 'q2']);
		expect(groups[0]?.held.map((i) => i.answerId)).toEqual(['phone']);
		expect(groups[0]?.ordinary.map((i) => i.answerId)).toEqual(['trees']);
		expect(groups[1]?.held.map((i) => i.answerId)).toEqual(['address']);
	});

	it('puts the question on screen first, so that older held texts do not stay on top', () => {
		expect(groupModeration(queue, 'q2').map((g) => g.questionId)).toEqual(['q2', 'q1']);
		expect(groupModeration(queue, 'q9').map((g) => g.questionId)).toEqual(['q1', 'q2']);
	});

	it('knows a flagged text, held or decided', () => {
		expect(isFlagged(text('x', 'q', 'rejected', ['phone']))).toBe(true);
		expect(isFlagged(text('y', 'q', 'pending'))).toBe(false);
	});
});
