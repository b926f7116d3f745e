// The first screens of /p/KEY and /session come before the page's scripts: the shell's inline
// script asks for the data while they download, and fills in the first screen written out with
// the shell; the page, once started, takes over that answer or that live connection rather
// than asking again. These tests hold every script back to see the shell on its own, under the
// server's real Content-Security-Policy (which must allow the inline script), then let them
// through.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe } from 'node:test';
import { api, signIn } from './adult.mjs';
import { eventually, expectText } from './expect.mjs';
import { PHONE, expectNoAxeViolations, useVoci } from './server.mjs';

/** axe-core, given to the page from outside: the real policy forbids inline scripts. */
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** The shell's first screen passes axe-core, as every page does. */
async function expectAccessibleShell(page, label) {
	await page.evaluate(AXE);
	await expectNoAxeViolations(page, label);
}

const { scenario } = useVoci();
const BACAU = 20297;
const HOUR = 3_600_000;
const base = `/api/v1/municipalities/${BACAU}/consultations`;

/** A consultation open live and on a self-paced link, with one question. */
async function openConsultation(adult) {
	const c = await api(adult, 'POST', base, {
		title: 'Curtea școlii',
		purpose: 'Ce schimbăm în curte?',
		audienceBody: 'Consiliul Local Bacău',
		answerBy: '2027-06-30T12:00:00Z',
		modes: ['live', 'self_paced'],
		selfPacedFrom: new Date(Date.now() - HOUR).toISOString(),
		selfPacedUntil: new Date(Date.now() + 24 * HOUR).toISOString()
	});
	assert.equal(c.status, 201, JSON.stringify(c.data));
	await api(adult, 'POST', `${base}/${c.data.id}/questions`, { kind: 'single', prompt: 'Ce vrei în curte?', options: [{ label: 'Bănci' }, { label: 'Copaci' }] });
	await api(adult, 'POST', `${base}/${c.data.id}/status`, { status: 'open' });
	return c.data.id;
}

/**
 * Holds back every script of the app in this page's browser context until `release()` is
 * called (routing also turns off the browser's cache, so a reload asks again).
 */
async function holdScripts(context) {
	let release = () => {};
	const released = new Promise((resolve) => (release = resolve));
	await context.route('**/_app/immutable/**/*.js', async (route) => {
		await released;
		await route.continue();
	});
	return release;
}

/** The shell's screen, as a person sees it: its visible text, in order. */
const shownText = (page, selector) =>
	page.locator(selector).evaluateAll((elements) => elements.filter((e) => e.checkVisibility()).map((e) => e.textContent.replace(/\s+/g, ' ').trim()));

describe('the first screen before the scripts', () => {
	scenario(
		'a self-paced link shows its introduction from the shell, and the page uses the answer the shell asked for',
		async ({ page, url, newPage }) => {
			await signIn(page, url);
			const id = await openConsultation(page);
			const link = (await api(page, 'GET', `${base}/${id}/self-paced-link`)).data;

			const child = await newPage({ viewport: PHONE, label: 'child' });
			const asked = [];
			child.on('request', (request) => {
				if (new URL(request.url()).pathname === `/api/v1/self-paced/${link.key}`) asked.push(request.url());
			});
			const release = await holdScripts(child.context());
			await child.goto(url(`/p/${link.key}`), { waitUntil: 'domcontentloaded' });

			// No script of the app has arrived: the introduction is the shell's, filled in from
			// the consultation by its inline script.
			await expectText(child.getByRole('heading', { level: 1 }), 'Curtea școlii');
			const start = child.getByRole('button', { name: 'Începe', exact: true });
			assert.ok(await start.isVisible(), 'Start is on the first screen');
			assert.ok(await start.isDisabled(), 'Start waits for the scripts');
			const help = child.locator('.help__button');
			assert.ok(await help.isVisible(), 'the help button is on the first screen');
			const early = await shownText(child, 'main h1, main .lead, main .facts li');
			assert.equal(early[1], 'Ce schimbăm în curte?');
			assert.match(early[2], /Consiliul Local Bacău.*30 iunie 2027/);
			assert.ok(!early.join(' ').includes('{'), `no placeholder is left: ${early.join(' | ')}`);
			assert.equal(asked.length, 1, 'the shell asked for the consultation once');
			await expectAccessibleShell(child, 'the shell of /p/KEY');

			// The page starts, shows the same introduction, and did not ask again.
			release();
			await eventually(async () => assert.ok(await start.isEnabled(), 'Start works once the page has started'));
			assert.equal(await child.locator('[data-early-screen]').count(), 0, 'the page drew its own screen');
			assert.deepEqual(await shownText(child, 'main h1, main .lead, main .facts li'), early, 'the page shows what the shell showed');
			assert.equal(asked.length, 1, 'the page used the answer the shell asked for');
			assert.ok(await child.locator('.help__button').isEnabled(), 'the help button works once the page has started');

			await start.click();
			await expectText(child.locator('#question-heading'), 'Ce vrei în curte?');
		},
		{ bypassCSP: false }
	);

	scenario(
		'a live session shows its lobby from the shell, and the page takes over the connection the shell opened',
		async ({ page, url, newPage }) => {
			await signIn(page, url);
			const id = await openConsultation(page);
			const live = (await api(page, 'POST', `${base}/${id}/live-sessions`)).data;

			const child = await newPage({ viewport: PHONE, label: 'child' });
			await child.goto(url(`/join?code=${live.joinCode}`));
			await child.getByRole('button', { name: 'Intră', exact: true }).click();
			await child.locator('#lobby-heading').waitFor();
			const alias = (await child.locator('.alias__name').textContent())?.trim();
			assert.ok(alias, 'the child has an alias');

			// A reload (the phone came back to the page) with the scripts held back.
			const sockets = [];
			child.on('websocket', (socket) => sockets.push(socket.url()));
			const release = await holdScripts(child.context());
			await child.reload({ waitUntil: 'domcontentloaded' });

			await expectText(child.getByRole('heading', { level: 1 }), 'Curtea școlii');
			await child.locator('#lobby-heading').waitFor();
			await expectText(child.locator('.alias__name'), alias);
			assert.ok(await child.locator('.help__button').isVisible(), 'the help button is on the first screen');
			assert.equal(sockets.length, 1, 'the shell opened the live connection');
			await expectAccessibleShell(child, 'the shell of /session');

			release();
			const reroll = child.getByRole('button', { name: /Alt nume/ });
			await eventually(async () => assert.ok(await reroll.isEnabled(), 'the page has started'));
			assert.equal(await child.locator('[data-early-screen]').count(), 0, 'the page drew its own screen');
			await expectText(child.locator('.alias__name'), alias);
			// A request and its reply travel on the connection the shell opened: there is no other.
			await reroll.click();
			await eventually(async () => assert.notEqual((await child.locator('.alias__name').textContent())?.trim(), alias, 'a new alias'));
			assert.equal(sockets.length, 1, 'the page used the connection the shell opened');
		},
		{ bypassCSP: false }
	);

	/** The page is shown (app.html no longer hides it) in `lang`, before any of its scripts. */
	async function expectShownIn(page, lang) {
		assert.equal(await page.locator('html').getAttribute('lang'), lang, '<html lang>');
		assert.equal(await page.locator('html').getAttribute('data-lang-pending'), null, 'the page is no longer hidden');
		assert.ok(await page.locator('main h1').evaluateAll((all) => all.some((e) => e.checkVisibility({ visibilityProperty: true }))), 'the first screen is shown');
	}

	scenario(
		'a self-paced link asked for in Hungarian shows its first screen in Hungarian before the scripts',
		async ({ page, url, newPage }) => {
			await signIn(page, url);
			const id = await openConsultation(page);
			const link = (await api(page, 'GET', `${base}/${id}/self-paced-link`)).data;

			const child = await newPage({ viewport: PHONE, label: 'child' });
			const release = await holdScripts(child.context());
			await child.goto(url(`/p/${link.key}?lang=hu`), { waitUntil: 'domcontentloaded' });

			// The content is the consultation's (in Romanian, its only language); the page's own
			// words are Hungarian, from the shell.
			await expectText(child.getByRole('heading', { level: 1 }), 'Curtea școlii');
			await expectShownIn(child, 'hu');
			const start = child.getByRole('button', { name: 'Kezdjük', exact: true });
			assert.ok(await start.isVisible(), 'Start, in Hungarian, is on the first screen');
			assert.ok(await start.isDisabled(), 'Start waits for the scripts');
			await expectText(child.locator('.help__button'), /Beszélnem kell valakivel/);
			const early = await shownText(child, 'main h1, main .lead, main .facts li');
			assert.match(early[2], /^A véleményeteket megkapja: Consiliul Local Bacău\. .*2027\. június 30\./);
			assert.match(early[3], /^Akkor válaszolsz, amikor szeretnél/);
			const all = (await child.locator('main').innerText()).replace(/\s+/g, ' ');
			for (const romanian of ['Începe', 'Ajutor', 'Părerile', 'Răspunzi', 'Nu ai nevoie']) assert.ok(!all.includes(romanian), `no Romanian "${romanian}" in: ${all}`);
			await expectAccessibleShell(child, 'the shell of /p/KEY in Hungarian');

			release();
			await eventually(async () => assert.ok(await start.isEnabled(), 'Start works once the page has started'));
			assert.equal(await child.locator('[data-early-screen]').count(), 0, 'the page drew its own screen');
			assert.deepEqual(await shownText(child, 'main h1, main .lead, main .facts li'), early, 'the page shows what the shell showed');
			assert.equal(await child.locator('html').getAttribute('lang'), 'hu');
		},
		{ bypassCSP: false }
	);

	scenario(
		'a phone set to Hungarian sees /join and its lobby in Hungarian before the scripts',
		async ({ page, url, newPage }) => {
			await signIn(page, url);
			const id = await openConsultation(page);
			const live = (await api(page, 'POST', `${base}/${id}/live-sessions`)).data;

			// Chromium's locale gives both navigator.languages and Accept-Language.
			const child = await newPage({ viewport: PHONE, locale: 'hu-HU', label: 'child' });
			let release = await holdScripts(child.context());
			await child.goto(url(`/join?code=${live.joinCode}`), { waitUntil: 'domcontentloaded' });
			await expectText(child.getByRole('heading', { level: 1 }), 'Csatlakozás egy foglalkozáshoz');
			await expectShownIn(child, 'hu');
			assert.equal(await child.getByLabel('A foglalkozás kódja').count(), 1, 'the code field is labelled in Hungarian');
			// "Intră" is both the menu's link and the form's button, each translated its own way.
			assert.ok(await child.getByRole('button', { name: 'Belépés', exact: true }).isVisible(), 'the button, in Hungarian');
			await expectAccessibleShell(child, 'the shell of /join in Hungarian');

			release();
			await child.context().unrouteAll({ behavior: 'wait' });
			const join = child.getByRole('button', { name: 'Belépés', exact: true });
			await eventually(async () => assert.ok(await join.isEnabled(), 'the page has started'));
			await join.click();
			await expectText(child.locator('#lobby-heading'), 'Várjuk a kezdést');
			const alias = (await child.locator('.alias__name').textContent())?.trim();

			// Back on the page (a reload) with the scripts held back: the lobby, in Hungarian.
			release = await holdScripts(child.context());
			await child.reload({ waitUntil: 'domcontentloaded' });
			await expectText(child.locator('#lobby-heading'), 'Várjuk a kezdést');
			await expectText(child.locator('.alias__name'), alias);
			await expectShownIn(child, 'hu');
			await expectText(child.locator('[data-early-screen]'), /A foglalkozás hamarosan kezdődik/);
			await expectAccessibleShell(child, 'the shell of /session in Hungarian');

			release();
			await eventually(async () => assert.equal(await child.locator('[data-early-screen]').count(), 0, 'the page drew its own screen'));
			await expectText(child.locator('#lobby-heading'), 'Várjuk a kezdést');
			assert.equal(await child.locator('html').getAttribute('lang'), 'hu');
		},
		{ bypassCSP: false }
	);
	scenario(
		'a child who tabs and types the code before the scripts arrive keeps the focus and the code',
		async ({ page, url, newPage }) => {
			await signIn(page, url);
			const id = await openConsultation(page);
			const live = (await api(page, 'POST', `${base}/${id}/live-sessions`)).data;

			for (const [lang, label, button] of [
				['ro', 'Codul sesiunii', 'Intră'],
				['hu', 'A foglalkozás kódja', 'Belépés']
			]) {
				const child = await newPage({ viewport: PHONE, label: `child (${lang})` });
				const release = await holdScripts(child.context());
				await child.goto(url(`/join?lang=${lang}`), { waitUntil: 'domcontentloaded' });
				await expectShownIn(child, lang);
				await child.getByLabel(label).focus();
				await child.keyboard.type(live.joinCode);

				release();
				await child.context().unrouteAll({ behavior: 'wait' });
				const join = child.getByRole('button', { name: button, exact: true });
				await eventually(async () => assert.ok(await join.isEnabled(), 'the page has started'));
				assert.equal(await child.getByLabel(label).inputValue(), live.joinCode, `the code typed early stays (${lang})`);
				assert.equal(await child.evaluate(() => document.activeElement?.id), 'join-code', `the field keeps the focus (${lang})`);
				await child.keyboard.press('Enter');
				await eventually(async () => assert.equal(new URL(child.url()).pathname, '/session'));
				await child.close();
			}

			// The skip link focused before the scripts stays focused once they have run.
			const child = await newPage({ viewport: PHONE, label: 'child (skip link)' });
			const release = await holdScripts(child.context());
			await child.goto(url('/join'), { waitUntil: 'domcontentloaded' });
			await child.keyboard.press('Tab');
			assert.equal(await child.evaluate(() => document.activeElement?.textContent?.trim()), 'Sari la conținut');
			release();
			await child.context().unrouteAll({ behavior: 'wait' });
			await eventually(async () => assert.ok(await child.getByRole('button', { name: 'Intră', exact: true }).isEnabled(), 'the page has started'));
			assert.equal(await child.evaluate(() => document.activeElement?.textContent?.trim()), 'Sari la conținut');
		},
		{ bypassCSP: false }
	);
});
