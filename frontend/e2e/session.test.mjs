// A child's phone in a live session: a dropped connection and a reload
// come back to the same state without a second vote, and the page stays
// light. live.test.mjs follows a whole session.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { eventually, expectText, focused, overflowsHorizontally, smallTouchTargets } from './expect.mjs';
import { expectNoAxeViolations } from './server.mjs';
import { signIn } from './adult.mjs';
import { PHONE, useVoci } from './server.mjs';

const { scenario } = useVoci();
const BACAU = 20297;

/** Prepares an open consultation with two questions and starts a live session, through the API. */
async function startSession(page, more = []) {
	return page.evaluate(async ({ siruta, more }) => {
		const me = await (await fetch('/api/v1/me')).json();
		const send = async (method, path, body) => {
			const response = await fetch(`/api/v1/municipalities/${siruta}${path}`, {
				method,
				headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrfToken },
				body: body === undefined ? undefined : JSON.stringify(body)
			});
			if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
			return response.json();
		};
		const c = await send('POST', '/consultations', {
			title: 'Curtea școlii',
			audienceBody: 'Consiliul local',
			answerBy: '2027-06-30T12:00:00Z',
			modes: ['live']
		});
		const q1 = await send('POST', `/consultations/${c.id}/questions`, {
			kind: 'single',
			prompt: 'Ce vrei în curte?',
			options: [{ label: 'Bănci' }, { label: 'Copaci', emoji: '🌳' }]
		});
		for (const q of more) await send('POST', `/consultations/${c.id}/questions`, q);
		await send('POST', `/consultations/${c.id}/status`, { status: 'open' });
		const s = await send('POST', `/consultations/${c.id}/live-sessions`);
		return { consultationId: c.id, sessionId: s.id, code: s.joinCode, q1: q1.id };
	}, { siruta: BACAU, more });
}

describe('a child’s phone in a live session', () => {
	scenario('comes back to the same state after a dropped connection and a reload, without a second vote', async ({ page, url, newPage }) => {
		await signIn(page, url);
		const live = await startSession(page);
		await page.goto(url(`/m/${BACAU}/live/${live.sessionId}`));
		await expectText(page.getByTestId('join-code'), live.code);

		const phone = await newPage({ viewport: PHONE, label: 'child' });
		// The child's websocket goes through a proxy the test can cut.
		const routes = [];
		await phone.routeWebSocket(/\/api\/v1\/live\/participant/, (ws) => {
			ws.connectToServer();
			routes.push(ws);
		});
		await phone.goto(url(`/join?lang=hu&code=${live.code}`));
		await phone.getByRole('button', { name: 'Belépés', exact: true }).click();
		await expectText(page.getByTestId('connected'), '1 child connected');

		await page.getByRole('button', { name: /^Open\W*Question 1$/ }).click();
		// A screen reader hears the new question; the keyboard alone answers it.
		await expectText(phone.locator('p.visually-hidden[aria-live]'), 'Új kérdés: Ce vrei în curte?');
		await phone.getByRole('radio', { name: 'Bănci' }).focus();
		await phone.keyboard.press('ArrowDown');
		assert.equal(await phone.getByRole('radio', { name: 'Copaci' }).isChecked(), true);
		await phone.keyboard.press('Tab');
		assert.equal(await focused(phone), 'button "Küldés"');
		await phone.keyboard.press('Enter');
		await expectText(phone.locator('.ack__text'), 'Megkaptuk!');
		await expectText(page.locator('.answered'), '1 child answered');

		// The connection drops (a phone leaving the Wi-Fi for a moment).
		assert.equal(routes.length, 1);
		await routes[0].close({ code: 1012, reason: 'test drop' });
		await expectText(phone.locator('.connection'), /Megszakadt a kapcsolat/);
		await eventually(() => assert.equal(routes.length, 2), { timeout: 15_000 });
		await expectText(phone.locator('.connection'), '');
		await expectText(phone.locator('.ack__text'), 'Megkaptuk!');
		assert.equal(await phone.getByRole('radio', { name: 'Copaci' }).isChecked(), true, 'the earlier answer is shown');

		// A reload: same tab, same participant, same answer.
		await phone.reload();
		await expectText(phone.locator('.ack__text'), 'Megkaptuk!');
		assert.equal(await phone.getByRole('radio', { name: 'Copaci' }).isChecked(), true);

		// Changing the answer replaces it: still one child answered.
		await phone.getByRole('radio', { name: 'Bănci' }).check();
		await phone.getByRole('button', { name: 'Válasz módosítása', exact: true }).click();
		await eventually(async () => {
			const rows = await page
				.locator('table.results-table tbody tr')
				.evaluateAll((trs) => trs.map((tr) => [...tr.cells].slice(0, 2).map((c) => c.textContent.trim()).join(' ')));
			assert.deepEqual(rows, ['Bănci 1', 'Copaci 0']);
		});
		await expectText(page.locator('.answered'), '1 child answered');
	});

	scenario('tells the safeguarding lead, not the room, when a child asks to talk to someone', async ({ page, url, newPage }) => {
		// The coordinator names the municipality's safeguarding lead: the child is told who.
		const coordinator = await newPage({ label: 'coordinator' });
		await signIn(coordinator, url, 'coordinator.bacau@demo.voci.ro');
		await coordinator.evaluate(async (siruta) => {
			const me = await (await fetch('/api/v1/me')).json();
			const response = await fetch(`/api/v1/municipalities/${siruta}/profile`, {
				method: 'PATCH',
				headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrfToken },
				body: JSON.stringify({ safeguardingLead: { name: 'Elena Ionescu', phone: '0234 581 849' } })
			});
			if (!response.ok) throw new Error(`profile: ${response.status} ${await response.text()}`);
		}, BACAU);

		await signIn(page, url);
		const live = await startSession(page);
		const phone = await newPage({ viewport: PHONE, label: 'child' });
		await phone.goto(url(`/join?lang=en&code=${live.code}`));
		await phone.getByRole('button', { name: 'Join', exact: true }).click();
		await eventually(async () => assert.ok((await phone.locator('.alias__name').textContent())?.trim()));
		const alias = (await phone.locator('.alias__name').textContent())?.trim();
		await phone.getByRole('button', { name: 'I need to talk to someone' }).click();
		await expectNoAxeViolations(phone, 'the help confirmation');
		await phone.getByRole('button', { name: 'Yes, send it' }).click();
		// The buttons are gone: focus is on the small confirmation, whose details open on request.
		await eventually(async () => assert.match(await focused(phone), /^div "Sent\./));
		await phone.getByRole('button', { name: 'Phone numbers' }).click();
		await expectText(phone.locator('.help__contact'), /^Elena Ionescu, who looks after children's safety in your town,/);
		assert.equal(await phone.getByRole('link', { name: '0234 581 849' }).getAttribute('href'), 'tel:0234581849');
		assert.equal(await phone.getByRole('link', { name: '119', exact: true }).getAttribute('href'), 'tel:119');
		assert.equal(await phone.getByRole('link', { name: '116 111', exact: true }).getAttribute('href'), 'tel:116111');
		await expectNoAxeViolations(phone, 'the answer to a help request');

		const lead = await newPage({ label: 'safeguarding lead' });
		await signIn(lead, url, 'safeguarding.bacau@demo.voci.ro');
		await lead.goto(url(`/m/${BACAU}/help-requests`));
		await expectText(lead.locator('.request--open h2'), `${alias} · waiting for someone`);
		// This server has no mail server: the lead's list says nobody was emailed.
		await expectText(lead.locator('.request--open .request__notification'), 'Nobody was emailed: no mail server is configured.');
		await expectNoAxeViolations(lead, 'the help requests');
		await lead.getByRole('button', { name: /^I.m on it/ }).click();
		await expectText(lead.locator('.request h2').first(), `${alias} · taken up`);
		assert.equal(await lead.locator('.request--open').count(), 0);
	});

	scenario('every kind of question, answered on a phone, and the adults’ pages on a phone too', async ({ page, url, newPage }) => {
		await signIn(page, url);
		const live = await startSession(page, [
			{ kind: 'multiple', prompt: 'Ce sporturi?', maxChoices: 2, options: [{ label: 'Fotbal', emoji: '⚽' }, { label: 'Baschet' }, { label: 'Înot' }] },
			{ kind: 'ranking', prompt: 'Ce e mai important?', options: [{ label: 'Lumină' }, { label: 'Bănci' }, { label: 'Copaci' }] },
			{ kind: 'word_cloud', prompt: 'Un cuvânt despre parc' },
			{ kind: 'idea_board', prompt: 'Ce idee ai?' }
		]);
		await page.setViewportSize({ width: 360, height: 740 });
		await page.goto(url(`/m/${BACAU}/live/${live.sessionId}`));
		await expectText(page.getByTestId('join-code'), live.code);
		await page.getByRole('checkbox', { name: 'Trust this session' }).check();
		assert.equal(await overflowsHorizontally(page), false, 'the console fits a phone');
		const presenter = await newPage({ context: page.context(), label: 'presenter' });
		await presenter.goto(url(`/m/${BACAU}/live/${live.sessionId}/presenter`));

		const phone = await newPage({ viewport: PHONE, label: 'child' });
		await phone.goto(url(`/join?lang=ro&code=${live.code}`));
		await phone.getByRole('button', { name: 'Intră', exact: true }).click();
		await expectText(page.getByTestId('connected'), '1 child connected');
		const send = async (name = 'Trimite') => {
			await phone.getByRole('button', { name, exact: true }).click();
			await expectText(phone.locator('.ack__text'), /Am primit/);
		};
		const check = async (label) => {
			assert.deepEqual(await smallTouchTargets(phone), [], `touch targets: ${label}`);
			assert.equal(await overflowsHorizontally(phone), false, `fits a phone: ${label}`);
			await expectNoAxeViolations(phone, label);
		};

		// Multiple choice, at most two.
		await page.getByRole('button', { name: /^Open\W*Question 2$/ }).click();
		await expectText(phone.locator('#question-heading'), 'Ce sporturi?');
		await phone.getByRole('checkbox', { name: 'Fotbal' }).check();
		await phone.getByRole('checkbox', { name: 'Înot' }).check();
		assert.equal(await phone.getByRole('checkbox', { name: 'Baschet' }).isDisabled(), true, 'a third choice is refused');
		await check('multiple choice');
		await send();

		// Ranking, with the arrows.
		await page.getByRole('button', { name: 'Next question' }).click();
		await expectText(phone.locator('#question-heading'), 'Ce e mai important?');
		await phone.getByRole('button', { name: 'Mută mai sus: Copaci' }).click();
		await phone.getByRole('button', { name: 'Mută mai sus: Copaci' }).click();
		await expectText(phone.locator('.ranking__item').first(), /Copaci/);
		await check('ranking');
		await send();
		// The projector speaks the consultation's language (Romanian), not the facilitator's.
		await expectText(presenter.locator('.answered'), 'A răspuns 1 copil');

		// A word cloud: in a trusted session clean text is one tap from the projector, never
		// on it before that tap.
		await page.getByRole('button', { name: 'Next question' }).click();
		await expectText(phone.locator('#question-heading'), 'Un cuvânt despre parc');
		await phone.getByLabel('Răspunsul tău').fill('Verde');
		await check('word cloud');
		await send();
		const showToRoom = (text) => page.locator('.queue .item').filter({ hasText: text }).getByRole('button', { name: /^Show to the room/ });
		await showToRoom('Verde').waitFor();
		assert.equal(await presenter.locator('.cloud__word').count(), 0, 'nothing on the projector before the tap');
		await showToRoom('Verde').click();
		await expectText(presenter.locator('.cloud__word'), /verde/);
		await expectNoAxeViolations(presenter, 'the presenter with a word cloud');

		// The idea board.
		await page.getByRole('button', { name: 'Next question' }).click();
		await expectText(phone.locator('#question-heading'), 'Ce idee ai?');
		await phone.getByLabel('Răspunsul tău').fill('Un loc pentru skateboard');
		await check('idea board');
		await send();
		await showToRoom('Un loc pentru skateboard').click();
		await expectText(presenter.locator('.texts__item .texts__text'), 'Un loc pentru skateboard');

		// The adults' pages fit a phone too.
		await page.goto(url(`/m/${BACAU}/consultations/${live.consultationId}`));
		await expectText(page.locator('h1'), 'Curtea școlii');
		await page.getByRole('button', { name: 'Edit question 2' }).click();
		assert.equal(await overflowsHorizontally(page), false, 'the consultation page fits a phone');
		await expectNoAxeViolations(page, 'a frozen question being edited');
		await page.goto(url(`/m/${BACAU}/consultations/${live.consultationId}/results`));
		await expectText(page.locator('h1'), 'Results: Curtea școlii');
		await expectText(page.locator('.cloud__word'), /verde/);
		assert.equal(await overflowsHorizontally(page), false, 'the results page fits a phone');
		await expectNoAxeViolations(page, 'the results of every kind');
	});

	scenario(
		'runs under the server’s own Content-Security-Policy: websockets, charts and the QR code',
		async ({ page, url, newPage }) => {
			await signIn(page, url);
			const live = await startSession(page);
			const violations = [];
			const watch = (p) =>
				p.on('console', (m) => {
					if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
				});
			watch(page);
			const response = await page.goto(url(`/m/${BACAU}/live/${live.sessionId}`));
			assert.ok(response?.headers()['content-security-policy'], 'the server sends a CSP');
			await expectText(page.getByTestId('join-code'), live.code);
			const phone = await newPage({ viewport: PHONE, label: 'child' });
			watch(phone);
			await phone.goto(url(`/join?lang=en&code=${live.code}`));
			await phone.getByRole('button', { name: 'Join', exact: true }).click();
			await expectText(phone.locator('#lobby-heading'), 'Waiting to start');
			await page.getByRole('button', { name: /^Open\W*Question 1$/ }).click();
			await phone.getByRole('radio', { name: 'Copaci' }).check();
			await phone.getByRole('button', { name: 'Send', exact: true }).click();
			await expectText(phone.locator('.ack__text'), 'Got it!');
			const presenter = await newPage({ context: page.context(), label: 'presenter' });
			watch(presenter);
			await presenter.goto(url(`/m/${BACAU}/live/${live.sessionId}/presenter`));
			await expectText(presenter.locator('.answered'), 'A răspuns 1 copil'); // the consultation's language
			// The bars are sized with inline styles, which the policy allows for styles only.
			await eventually(async () =>
				assert.equal(await presenter.locator('.chart__bar').first().evaluate((el) => el.style.width), '0%')
			);
			assert.equal(await presenter.locator('.chart__bar').nth(1).evaluate((el) => el.style.width), '100%');
			assert.deepEqual(violations, []);
		},
		{ bypassCSP: false }
	);

	scenario('ships little JavaScript, and none of the adults’ pages', async ({ page, url }) => {
		await signIn(page, url);
		const live = await startSession(page);
		const browser = page.context().browser();
		// Join in one phone, then open /session in a fresh browser (nothing cached) that holds
		// the same join answer, as a phone reopening the tab.
		const joiner = await browser.newContext({ viewport: PHONE });
		const fresh = await browser.newContext({ viewport: PHONE });
		try {
			const first = await joiner.newPage();
			await first.goto(url(`/join?code=${live.code}`));
			await first.getByRole('button', { name: 'Intră', exact: true }).click();
			await eventually(async () => assert.ok((await first.locator('.alias__name').textContent())?.trim()));
			const stored = await first.evaluate(() => sessionStorage.getItem('voci.participant'));
			await first.close();

			await fresh.addInitScript((value) => sessionStorage.setItem('voci.participant', value), stored);
			const phone = await fresh.newPage();
			const sizes = [];
			const sources = [];
			phone.on('requestfinished', (request) => {
				if (!new URL(request.url()).pathname.endsWith('.js')) return;
				sizes.push(request.sizes());
				sources.push(request.response().then((response) => response?.text() ?? ''));
			});
			await phone.goto(url('/session'), { waitUntil: 'networkidle' });
			await expectText(phone.locator('#lobby-heading'), 'Așteptăm să înceapă');
			const bytes = (await Promise.all(sizes)).reduce((sum, size) => sum + size.responseBodySize, 0);
			console.log(`# the session page loads ${bytes} bytes of JavaScript (compressed)`);
			// About 65 KB today: Svelte, the router, the children's Romanian words and the live client.
			const BUDGET = 72 * 1024;
			assert.ok(bytes > 0 && bytes < BUDGET, `the session page loads ${bytes} bytes of JavaScript (budget ${BUDGET})`);
			const code = (await Promise.all(sources)).join('\n');
			assert.match(code, /answer\.submit/);
			// Nothing of the console, the presenter, the editors or the QR library.
			assert.doesNotMatch(code, /c-answer-by|question\.lock|participant\.remove|bad maskPattern/, 'no adult code');
		} finally {
			await joiner.close();
			await fresh.close();
		}
	});
});
