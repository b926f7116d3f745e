import type { ModerationData } from './protocol';

/** A question's texts in the moderation queue: those screening held apart from the others. */
export interface ModerationGroup {
	readonly questionId: string;
	readonly held: readonly ModerationData[];
	readonly ordinary: readonly ModerationData[];
}

/** Whether screening flagged the text: approving it takes a second, explicit step. */
export function isFlagged(item: Pick<ModerationData, 'flags'>): boolean {
	return item.flags.length > 0;
}

/**
 * Groups the queue by question, the question on screen first and the others in the order
 * their first text came, so that texts held for an earlier question do not stay on top when
 * the next one opens. Within a group, texts screening holds now are apart from the others.
 */
export function groupModeration(items: readonly ModerationData[], currentQuestionId = ''): ModerationGroup[] {
	const order: string[] = [];
	const byQuestion = new Map<string, { held: ModerationData[]; ordinary: ModerationData[] }>();
	for (const item of items) {
		let group = byQuestion.get(item.questionId);
		if (!group) {
			group = { held: [], ordinary: [] };
			byQuestion.set(item.questionId, group);
			order.push(item.questionId);
		}
		(item.moderation === 'held' ? group.held : group.ordinary).push(item);
	}
	const current = order.indexOf(currentQuestionId);
	if (current > 0) order.unshift(...order.splice(current, 1));
	return order.map((questionId) => ({ questionId, ...byQuestion.get(questionId)! }));
}
