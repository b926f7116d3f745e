// Helpers for the browser tests of adults' pages: demo sign-ins and the words
// the tests look for, in each language.
import assert from 'node:assert/strict';
import { eventually, expectPage } from './expect.mjs';
import { DEMO_PASSWORD } from './server.mjs';

export const LOGIN = {
	heading: { ro: 'Autentificare pentru adulți', en: 'Sign in for adults', hu: 'Bejelentkezés felnőtteknek' },
	email: { ro: 'Adresa de email', en: 'Email address', hu: 'E-mail-cím' },
	password: { ro: 'Parola', en: 'Password', hu: 'Jelszó' },
	submit: { ro: 'Intră în cont', en: 'Sign in', hu: 'Belépés' },
	wrong: {
		ro: 'Adresa de email sau parola nu este corectă.',
		en: 'The email address or the password is not right.',
		hu: 'Az e-mail-cím vagy a jelszó nem helyes.'
	},
	signOut: { ro: 'Ieșire', en: 'Sign out', hu: 'Kijelentkezés' },
	signedOut: { ro: 'Ai ieșit din cont.', en: 'You have signed out.', hu: 'Kijelentkeztél.' },
	totpLabel: { ro: 'Codul de verificare', en: 'Verification code', hu: 'Ellenőrző kód' },
	totpSubmit: { ro: 'Verifică', en: 'Verify', hu: 'Ellenőrzés' }
};

export const ACCOUNT_HEADING = { ro: 'Contul meu', en: 'My account', hu: 'Fiókom' };

/** Where an adult lands after signing in. */
export const START_HEADING = { ro: 'Ce te așteaptă', en: 'What needs you now', hu: 'Ami most rád vár' };

/** The demo account for a role: `demo('coordinator', 'bacau')`, `demo('admin')`. */
export function demo(role, place) {
	return place ? `${role}.${place}@demo.voci.ro` : `${role}@demo.voci.ro`;
}

/**
 * Signs in through the form at /login (in `lang`) and waits for the page it
 * leads to: `landing` if given, else `next`, else the start page.
 */
export async function signIn(page, url, email, { lang = 'en', password = DEMO_PASSWORD, next, landing } = {}) {
	const query = new URLSearchParams({ lang });
	if (next) query.set('next', next);
	await page.goto(url(`/login?${query}`));
	await expectPage(page, lang, LOGIN.heading[lang]);
	await page.getByLabel(LOGIN.email[lang], { exact: true }).fill(email);
	await page.getByLabel(LOGIN.password[lang], { exact: true }).fill(password);
	await page.getByRole('button', { name: LOGIN.submit[lang], exact: true }).click();
	const expected = landing ?? next ?? '/start';
	await eventually(() => assert.equal(new URL(page.url()).pathname, expected.split('?')[0]));
}

/** The names of the links in the main menu. */
export function menuLinks(page) {
	return page.locator('nav.nav a').allTextContents().then((names) => names.map((n) => n.trim()));
}
