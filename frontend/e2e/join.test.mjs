// Joining a session with a code: validation, the server's answer, the
// keyboard, and what the page costs a cheap phone to download.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { eventually, expectPage, expectText, focused, HEADINGS, tabTo } from './expect.mjs';
import { expectNoAxeViolations, PHONE, useVoci } from './server.mjs';

const { scenario } = useVoci();

const MESSAGES = {
	invalid: { ro: 'Codul are 6 cifre.', en: 'The code has 6 digits.', hu: 'A kód 6 számjegyből áll.' },
	notFound: {
		ro: 'Nu este deschisă nicio sesiune cu acest cod. Verifică codul cu facilitatorul tău.',
		en: 'No session with this code is open. Check the code with your facilitator.',
		hu: 'Ezzel a kóddal nincs nyitott foglalkozás. Ellenőrizd a kódot a foglalkozásvezetővel.'
	}
};
const LABELS = { ro: 'Codul sesiunii', en: 'Session code', hu: 'A foglalkozás kódja' };
const SUBMIT = { ro: 'Intră', en: 'Join', hu: 'Belépés' };

/** Counts the join requests the page sends. */
function watchJoins(page) {
	const joins = [];
	page.on('request', (request) => {
		if (new URL(request.url()).pathname === '/api/v1/join') joins.push(request.postDataJSON());
	});
	return joins;
}

describe('joining a session', () => {
	for (const lang of ['ro', 'en', 'hu']) {
		scenario(`checks the code before asking the server, then shows its answer (${lang})`, async ({ page, url }) => {
			const joins = watchJoins(page);
			await page.goto(url(`/join?lang=${lang}`));
			await expectPage(page, lang, HEADINGS['/join'][lang]);
			const code = page.getByLabel(LABELS[lang]);
			const status = page.locator('#join-status');

			await code.fill('12345');
			await page.getByRole('button', { name: SUBMIT[lang], exact: true }).click();
			await expectText(status, MESSAGES.invalid[lang]);
			assert.equal(await code.getAttribute('aria-invalid'), 'true');
			assert.equal(await focused(page), 'input#join-code');
			assert.equal(joins.length, 0, 'an invalid code is not sent');
			await expectNoAxeViolations(page, `the invalid-code message (${lang})`);

			await code.fill('123456');
			await page.getByRole('button', { name: SUBMIT[lang], exact: true }).click();
			await expectText(status, MESSAGES.notFound[lang]);
			// The language picks the words of the child's generated alias.
			assert.deepEqual(joins, [{ code: '123456', lang }]);
			assert.equal(await status.getAttribute('aria-live'), 'polite');
			assert.equal(await focused(page), 'input#join-code');
			await expectNoAxeViolations(page, `the no-session message (${lang})`);
		});
	}

	scenario(
		'works with the keyboard alone, from the home page',
		async ({ page, url }) => {
			await page.goto(url('/'));
			await expectPage(page, 'ro', HEADINGS['/'].ro);
			await tabTo(page, (f) => f === 'a "Intră într-o sesiune"');
			await page.keyboard.press('Enter');
			await expectPage(page, 'ro', HEADINGS['/join'].ro);

			await tabTo(page, (f) => f === 'input#join-code');
			const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
			assert.notEqual(outline, 'none', 'focus is visible');
			await page.keyboard.type('12345');
			await page.keyboard.press('Enter');
			await expectText(page.locator('#join-status'), MESSAGES.invalid.ro);
			assert.equal(await focused(page), 'input#join-code');

			// The wrong code is selected, so typing replaces it.
			await page.keyboard.type('123 456');
			await page.keyboard.press('Enter');
			await expectText(page.locator('#join-status'), MESSAGES.notFound.ro);
			assert.equal(await focused(page), 'input#join-code');

			// The button is reachable too.
			await tabTo(page, (f) => f === 'button "Intră"', { max: 3 });
			await page.keyboard.press('Enter');
			await expectText(page.locator('#join-status'), MESSAGES.notFound.ro);
		},
		{ viewport: PHONE }
	);

	scenario('skips the header with the skip link', async ({ page, url }) => {
		await page.goto(url('/join'));
		await expectPage(page, 'ro', HEADINGS['/join'].ro);
		await page.keyboard.press('Tab');
		assert.equal(await focused(page), 'a "Sari la conținut"');
		assert.ok(await page.getByRole('link', { name: 'Sari la conținut' }).isVisible(), 'visible when focused');
		await page.keyboard.press('Enter');
		await eventually(async () => assert.match(await focused(page), /^main#main/));
		await page.keyboard.press('Tab');
		assert.equal(await focused(page), 'input#join-code');
	});

	scenario('takes the code from a link or QR code', async ({ page, url }) => {
		await page.goto(url('/join?code=654321'));
		// The form comes with the page; the code is put in once its scripts have run.
		await eventually(async () => assert.equal(await page.getByLabel(LABELS.ro).inputValue(), '654321'));
		const input = page.getByLabel(LABELS.ro);
		assert.equal(await input.getAttribute('inputmode'), 'numeric');
		assert.equal(await input.getAttribute('autocomplete'), 'off');
	});

	scenario('explains throttling', async ({ page, url }) => {
		await page.route('**/api/v1/join', (route) =>
			route.fulfill({
				status: 429,
				contentType: 'application/problem+json',
				body: JSON.stringify({ type: 'about:blank', title: 'Too Many Requests', status: 429, code: 'rate_limited' })
			})
		);
		await page.goto(url('/join?lang=en'));
		// The English form shows before the page's scripts have run; wait until it can be used.
		const join = page.getByRole('button', { name: 'Join', exact: true });
		await eventually(async () => assert.equal(await join.isEnabled(), true));
		await page.getByLabel(LABELS.en).fill('123456');
		await join.click();
		await expectText(page.locator('#join-status'), 'Too many tries, wait a minute.');
		assert.equal(await page.getByLabel(LABELS.en).getAttribute('aria-invalid'), 'false');
	});

	scenario('keeps the answer for the tab and opens the session when a code is accepted', async ({ page, url }) => {
		// A stand-in for the server's 201 and its websocket; live.test.mjs runs the real thing.
		const answer = {
			session: { id: 's1', state: 'lobby', consultationTitle: 'Parcul nou', consultationEasyRead: '' },
			alias: 'Vulpea Albastră',
			participant: { id: 'p1', alias: 'Vulpea Albastră', lang: 'en', ageBand: '', gender: '' },
			participantToken: 'token',
			websocket: '/api/v1/live/participant'
		};
		await page.route('**/api/v1/join', (route) =>
			route.fulfill({ status: 201, contentType: 'application/json', body: JSON.stringify(answer) })
		);
		await page.routeWebSocket('**/api/v1/live/participant', (ws) => {
			ws.send(JSON.stringify({ type: 'welcome', data: { protocol: 'voci-live/1', role: 'participant', sessionId: 's1', participant: answer.participant } }));
			ws.send(JSON.stringify({ type: 'session.state', data: { sessionId: 's1', state: 'lobby', question: null, revealed: false, trustText: false } }));
		});
		await page.goto(url('/join?lang=en'));
		await page.getByLabel(LABELS.en).fill('123456');
		await page.getByRole('button', { name: 'Join', exact: true }).click();
		// The phone shows the session alone, under the consultation's title.
		await expectPage(page, 'en', 'Parcul nou');
		assert.equal(new URL(page.url()).pathname, '/session');
		assert.deepEqual(await page.evaluate(() => JSON.parse(sessionStorage.getItem('voci.participant') ?? 'null')), answer);
		await expectText(page.locator('.alias__name'), 'Vulpea Albastră');
		await expectText(page.locator('#lobby-heading'), 'Waiting to start');
	});

	scenario('ships little JavaScript to a child’s phone', async ({ page, url }) => {
		const sizes = [];
		const sources = [];
		page.on('requestfinished', (request) => {
			if (!new URL(request.url()).pathname.endsWith('.js')) return;
			sizes.push(request.sizes());
			sources.push(request.response().then((response) => response?.text() ?? ''));
		});
		await page.goto(url('/join'), { waitUntil: 'networkidle' });
		await expectPage(page, 'ro', HEADINGS['/join'].ro);
		// What crosses the network (compressed when the server compresses).
		// Svelte and the SvelteKit router are most of it; English and Hungarian
		// are not downloaded for a Romanian page.
		const bytes = (await Promise.all(sizes)).reduce((sum, size) => sum + size.responseBodySize, 0);
		console.log(`# the join page loads ${bytes} bytes of JavaScript (compressed)`);
		// About 49 KB today; the budget leaves some 20% for what comes next.
		const BUDGET = 60 * 1024;
		assert.ok(bytes > 0 && bytes < BUDGET, `the join page loads ${bytes} bytes of JavaScript (budget ${BUDGET})`);
		const code = (await Promise.all(sources)).join('\n');
		assert.match(code, /Intră într-o sesiune/);
		assert.doesNotMatch(code, /Join a session|Csatlakozás egy foglalkozáshoz/, 'no other dictionary');
		assert.doesNotMatch(code, /Verificarea în doi pași|Jurnalul schimbărilor|Consola facilitatorului|Ecranul pentru proiector/, "no adults' messages");
	});
});
