import { describe, expect, it } from 'vitest';
import { consolePath, isEmpty, moderationPath, type StartPage } from './api';

const empty: StartPage = {
	facilitator: [],
	coordinator: [],
	councilMember: [],
	safeguardingLead: [],
	municipalities: null,
	municipalitiesTotal: 0
};

describe('start page', () => {
	it('is empty only without any part', () => {
		expect(isEmpty(empty)).toBe(true);
		expect(isEmpty({ ...empty, municipalities: [] })).toBe(false);
		expect(isEmpty({ ...empty, safeguardingLead: [{ municipality: 20297, municipalityName: 'Bacău' }] })).toBe(false);
	});

	it('leads waiting texts to the console while the session runs, else to the consultation', () => {
		const count = { consultationId: 'c1', consultationTitle: 'Parc', sessionId: 's1', joinCode: '123456', pending: 1, held: 1 };
		const running = [{ id: 's1', consultationId: 'c1', consultationTitle: 'Parc', joinCode: '123456', state: 'lobby', startedAt: '' }];
		expect(moderationPath(20297, count, running)).toBe('/m/20297/live/s1');
		expect(moderationPath(20297, count, [])).toBe('/m/20297/consultations/c1');
		expect(moderationPath(20297, { ...count, sessionId: '' }, running)).toBe('/m/20297/consultations/c1');
		expect(consolePath(1, 'a/b')).toBe('/m/1/live/a%2Fb');
	});
});
