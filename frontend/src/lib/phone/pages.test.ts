import { describe, expect, it } from 'vitest';
import { hasSiteChrome, isChildrensPage, isFocusedRoute, isShellRoute } from './pages';

describe('children’s pages', () => {
	it('are joining, a live session, a self-paced link, a receipt and a council member’s page', () => {
		for (const p of ['/join', '/join/next', '/session', '/p/abcd1234', '/r', '/council', '/council/meeting', '/meeting/gallery']) expect(isChildrensPage(p)).toBe(true);
		for (const p of ['/', '/account', '/m/20297/live/x', '/joined', '/presenter', '/results']) expect(isChildrensPage(p)).toBe(false);
	});
	it('show the session alone while a child takes part', () => {
		expect(isFocusedRoute('/session')).toBe(true);
		expect(isFocusedRoute('/p/[key]')).toBe(true);
		expect(isFocusedRoute('/join')).toBe(false);
		expect(isFocusedRoute(null)).toBe(false);
	});
	it('that need this device or the server before showing anything are written out as shells', () => {
		for (const r of ['/session', '/p/[key]', '/join/next']) expect(isShellRoute(r)).toBe(true);
		for (const r of ['/join', '/', null]) expect(isShellRoute(r)).toBe(false);
	});
	it('all but a child’s session and the projector show the site’s header, menu and footer', () => {
		for (const r of ['/', '/join', '/(adult)/login', '/m/[siruta]/live/[sid]', null]) expect(hasSiteChrome(r)).toBe(true);
		for (const r of ['/session', '/p/[key]', '/m/[siruta]/live/[sid]/presenter']) expect(hasSiteChrome(r)).toBe(false);
	});
});
