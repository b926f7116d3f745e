// Helpers for tests that need a signed-in adult.
import assert from 'node:assert/strict';
import { DEMO_PASSWORD } from './server.mjs';

/** The demo facilitator of Bacău (SIRUTA 20297). */
export const FACILITATOR = 'facilitator.bacau@demo.voci.ro';

/** Signs in through the API from the page, as the sign-in page will. */
export async function signIn(page, url, email = FACILITATOR) {
	// English is remembered for the pages that follow, once the app has started.
	await page.goto(url('/?lang=en'));
	await page.waitForFunction(() => document.documentElement.lang === 'en' && localStorage.getItem('voci.lang') === 'en');
	const status = await page.evaluate(
		async ({ email, password }) => {
			const response = await fetch('/api/v1/auth/login', {
				method: 'POST',
				headers: { 'Content-Type': 'application/json' },
				body: JSON.stringify({ email, password })
			});
			return response.status;
		},
		{ email, password: DEMO_PASSWORD }
	);
	assert.equal(status, 200, 'signed in');
}

/** Calls the API from the signed-in adult's page, with the session's CSRF token: `{status, data}`. */
export async function api(page, method, path, body) {
	return page.evaluate(
		async ({ method, path, body }) => {
			const me = await (await fetch('/api/v1/me')).json();
			const response = await fetch(path, {
				method,
				headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrfToken },
				body: body === undefined ? undefined : JSON.stringify(body)
			});
			return { status: response.status, data: await response.json().catch(() => null) };
		},
		{ method, path, body }
	);
}
