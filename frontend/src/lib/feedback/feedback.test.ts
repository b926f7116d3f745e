import { describe, expect, it } from 'vitest';
import { feedbackProblem } from './api';

describe('feedbackProblem', () => {
	it('names the missing text and its language', () => {
		expect(feedbackProblem({ status: 422, code: 'feedback_incomplete', param: 'texts.hu.easyRead' })).toEqual({
			key: 'feedback.missing.easyRead',
			language: 'hu'
		});
		expect(feedbackProblem({ status: 422, code: 'feedback_incomplete', param: 'texts.en.text' })).toEqual({
			key: 'feedback.missing.text',
			language: 'en'
		});
	});
	it('tells the author that another adult approves', () => {
		expect(feedbackProblem({ status: 403, code: 'second_adult_required' }).key).toBe('feedback.error.secondAdult');
		expect(feedbackProblem({ status: 409, code: 'changed_meanwhile' }).key).toBe('feedback.error.changed');
	});
});
