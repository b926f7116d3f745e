import { describe, expect, it } from 'vitest';
import { mayBeNotified, safeLink, type Notification } from './api';

const base: Notification = {
	id: 'n1',
	kind: 'input_ready',
	municipality: 20297,
	consultationId: 'c1',
	recommendationId: '',
	title: 'Parcul nostru',
	dueAt: null,
	createdAt: '2026-06-01T09:00:00Z',
	readAt: null,
	link: '/m/20297/consultations/c1/review',
	mail: 'none'
};

describe('notifications', () => {
	it('tells council members and coordinators only', () => {
		const me = (role: string) => ({ roles: [{ role, municipality: 20297 }] }) as never;
		expect(mayBeNotified(me('council_member'))).toBe(true);
		expect(mayBeNotified(me('coordinator'))).toBe(true);
		expect(mayBeNotified(me('facilitator'))).toBe(false);
		expect(mayBeNotified(null)).toBe(false);
	});

	it('follows only links of this site', () => {
		expect(safeLink(base)).toBe('/m/20297/consultations/c1/review');
		expect(safeLink({ ...base, link: 'https://evil.example/' })).toBe('/notifications');
		expect(safeLink({ ...base, link: '//evil.example/' })).toBe('/notifications');
	});
});
