import { describe, expect, it } from 'vitest';
import { isChildrensPage, isFocusedRoute } from './pages';

describe('children’s pages', () => {
	it('are joining, a live session and a self-paced link', () => {
		for (const p of ['/join', '/join/next', '/session', '/p/abcd1234', '/r']) expect(isChildrensPage(p)).toBe(true);
		for (const p of ['/', '/account', '/m/20297/live/x', '/joined', '/presenter', '/results']) expect(isChildrensPage(p)).toBe(false);
	});
	it('show the session alone while a child takes part', () => {
		expect(isFocusedRoute('/session')).toBe(true);
		expect(isFocusedRoute('/p/[key]')).toBe(true);
		expect(isFocusedRoute('/join')).toBe(false);
		expect(isFocusedRoute(null)).toBe(false);
	});
});
