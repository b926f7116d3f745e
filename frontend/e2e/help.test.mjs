// Issue 7: a child's call for help always reaches someone. Without a mail
// server (the default), a child presses "I need to talk to someone" in a live
// session; the facilitator's console says someone in the room asked (never
// who); the safeguarding lead sees the badge and the alert, opens the list
// from the menu, finds the child's session and alias, and acknowledges, notes
// and closes. And on a small phone, the session goes on after the press: the
// next question's options and Send are in view and take the taps.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { eventually, expectText, smallTouchTargets } from './expect.mjs';
import { api, signIn } from './adult.mjs';
import { expectNoAxeViolations, PHONE, useVoci } from './server.mjs';

const { scenario } = useVoci();
const BACAU = 20297;
const LEAD = 'safeguarding.bacau@demo.voci.ro';
const SMALL_PHONE = { width: PHONE.width, height: 640 };

/** An open consultation with two single-choice questions and a live session, through the API. */
async function startSession(page) {
	const base = `/api/v1/municipalities/${BACAU}`;
	const send = async (method, path, body) => {
		const { status, data } = await api(page, method, base + path, body);
		assert.ok(status >= 200 && status < 300, `${method} ${path}: ${status} ${JSON.stringify(data)}`);
		return data;
	};
	const c = await send('POST', '/consultations', {
		title: 'Curtea școlii',
		audienceBody: 'Consiliul local',
		answerBy: '2027-06-30T12:00:00Z',
		modes: ['live']
	});
	const question = (prompt, labels) => ({ kind: 'single', prompt, options: labels.map((label) => ({ label })) });
	await send('POST', `/consultations/${c.id}/questions`, question('Ce vrei în curte?', ['Bănci', 'Copaci']));
	await send('POST', `/consultations/${c.id}/questions`, question('Unde să fie locul de joacă?', ['Lângă poartă', 'În spate', 'Lângă teren']));
	await send('POST', `/consultations/${c.id}/status`, { status: 'open' });
	const s = await send('POST', `/consultations/${c.id}/live-sessions`);
	return { sessionId: s.id, code: s.joinCode };
}

/** A child joins from a phone in `lang` and waits for their alias. */
async function joinFromPhone(newPage, url, code, lang, viewport) {
	const phone = await newPage({ viewport, label: `child ${lang}` });
	await phone.goto(url(`/join?lang=${lang}&code=${code}`));
	const join = { ro: 'Intră', en: 'Join', hu: 'Belépés' }[lang];
	await phone.getByRole('button', { name: join, exact: true }).click();
	await eventually(() => assert.equal(new URL(phone.url()).pathname, '/session'));
	let alias = '';
	await eventually(async () => {
		alias = (await phone.locator('.alias__name').textContent())?.trim() ?? '';
		assert.ok(alias);
	});
	return { phone, alias };
}

/**
 * Whether the element, scrolled to the bottom edge of the screen (where a
 * panel docked at the bottom would lie over it), is wholly inside the viewport
 * and is what a tap at its centre reaches.
 */
function reachable(locator) {
	return locator.evaluate((el) => {
		// A radio's tap target is its label (the input itself may be drawn by the label).
		const target = el.labels?.[0] ?? el;
		target.scrollIntoView({ block: 'end', behavior: 'instant' });
		const r = target.getBoundingClientRect();
		// Half a pixel of rounding at the edge is not a hidden control.
		const inside = r.top >= 0 && r.left >= 0 && r.bottom <= window.innerHeight + 0.5 && r.right <= window.innerWidth + 0.5;
		const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
		const ok = hit !== null && (target === hit || target.contains(hit) || el === hit);
		return { inside, ok, hit: `${hit ? `${hit.tagName}.${hit.className}` : 'nothing'} in ${Math.round(r.top)}..${r.bottom} of ${window.innerHeight}` };
	});
}

describe('help requests that always reach someone', () => {
	scenario('without a mail server, the lead sees the alert and finds the child; the console is told someone asked', async ({ page, url, newPage }) => {
		await signIn(page, url);
		const live = await startSession(page);
		await page.goto(url(`/m/${BACAU}/live/${live.sessionId}`));
		await expectText(page.getByTestId('join-code'), live.code);

		// A child, in Hungarian, asks for help.
		const { phone, alias } = await joinFromPhone(newPage, url, live.code, 'hu', PHONE);
		await phone.getByRole('button', { name: 'Beszélnem kell valakivel' }).click();
		await phone.getByRole('button', { name: 'Igen, küldd el' }).click();
		await expectText(phone.locator('.help__sentText'), 'Elküldve.');
		await expectNoAxeViolations(phone, "the child's phone after asking for help");

		// The facilitator's console: someone in the room, never who.
		const alert = page.getByRole('alert');
		await expectText(alert, /Someone in the room may need help\./);
		assert.equal((await alert.textContent())?.includes(alias), false, 'the console names the child');
		await expectNoAxeViolations(page, 'the console with the help alert');
		await page.getByRole('button', { name: 'Seen', exact: true }).click();
		await eventually(async () => assert.equal(await page.getByRole('alert').count(), 0));

		// The safeguarding lead signs in: the start page, the menu's badge and the alert.
		const lead = await newPage({ label: 'lead' });
		await signIn(lead, url, LEAD);
		await lead.goto(url('/account'));
		await expectText(lead.locator('#help-card-heading'), 'Help requests');
		const menuLink = lead.getByRole('link', { name: /^Help requests \(waiting: 1\)$/ });
		await eventually(async () => assert.equal(await menuLink.count(), 1), { timeout: 30_000 });
		await expectText(lead.locator('.nav__badge'), '1');
		await expectText(lead.locator('.nav__alert'), 'Help requests nobody has taken on: 1. Open the list.');
		await expectNoAxeViolations(lead, "the lead's start page with the badge");
		assert.deepEqual(await smallTouchTargets(lead), [], 'touch targets on the start page');

		// The list, from the menu: enough to find the child.
		await menuLink.click();
		await eventually(() => assert.equal(new URL(lead.url()).pathname, `/m/${BACAU}/help-requests`));
		await expectText(lead.locator('h1'), 'Help requests');
		await expectText(lead.locator('.mail-note'), /No mail server is configured/);
		const request = lead.locator('li.request').first();
		await expectText(request.locator('h2'), new RegExp(`${alias} · waiting for someone`));
		const facts = await request
			.locator('dl.request__facts')
			.evaluate((dl) => Object.fromEntries([...dl.querySelectorAll('dt')].map((dt) => [dt.textContent.trim(), dt.nextElementSibling.textContent.trim()])));
		assert.equal(facts.Consultation, 'Curtea școlii');
		assert.match(facts.Session, new RegExp(`^code ${live.code}, started `));
		assert.equal(facts.Place, 'Bacău');
		assert.ok(facts.Date, 'a date');
		assert.ok(facts.Facilitator, 'the facilitator who started the session');
		await expectText(request.locator('.request__notification'), 'Nobody was emailed: no mail server is configured.');
		await expectNoAxeViolations(lead, 'the list of help requests');

		// Acknowledge, note, close.
		const names = await request.getByRole('button').evaluateAll((buttons) => buttons.map((b) => b.textContent.replace(/\s+/g, ' ').trim()));
		assert.ok(names.every((name) => name.endsWith(`: ${alias}`)), `each button names the child for a screen reader: ${names}`);
		await request.getByRole('button', { name: /^I.m on it/ }).click();
		await expectText(lead.locator('p.status'), 'You took the request on.');
		await expectText(request.locator('h2'), /taken up/);
		await request.getByLabel('Note (only the leads and the coordinator see it)').fill('Vorbit cu copilul după sesiune.');
		await request.getByRole('button', { name: /^Save the note/ }).click();
		await expectText(lead.locator('p.status'), 'The note is saved.');
		await request.getByRole('button', { name: /^Close the request/ }).click();
		await expectText(lead.locator('p.status'), 'The request is closed.');
		await expectText(request.locator('h2'), /closed/);
		assert.equal(await request.getByLabel('Note (only the leads and the coordinator see it)').inputValue(), 'Vorbit cu copilul după sesiune.');
		await expectNoAxeViolations(lead, 'the list after closing');

		// Nothing waits any more: the badge is gone.
		await lead.goto(url('/account'));
		await expectText(lead.locator('#help-card-heading'), 'Help requests');
		await eventually(async () => assert.equal(await lead.locator('.nav__badge').count(), 0));
	});

	scenario('on a 360×640 phone, after a help press, the next question is fully usable', async ({ page, url, newPage }) => {
		await signIn(page, url);
		const live = await startSession(page);
		await page.goto(url(`/m/${BACAU}/live/${live.sessionId}`));
		await expectText(page.getByTestId('join-code'), live.code);
		const { phone } = await joinFromPhone(newPage, url, live.code, 'en', SMALL_PHONE);

		await phone.getByRole('button', { name: 'I need to talk to someone' }).click();
		await phone.getByRole('button', { name: 'Yes, send it' }).click();
		const sent = phone.locator('.help__sentText');
		await expectText(sent, 'Sent.');
		// Small, and neutral: what was sent and to whom stays behind a button.
		const panel = await phone.locator('aside.help').boundingBox();
		assert.ok(panel && panel.height <= 80, `the help panel is ${panel?.height} px high`);
		assert.equal(await phone.locator('#help-details').isVisible(), false);
		await phone.getByRole('button', { name: 'Phone numbers' }).click();
		await expectText(phone.locator('#help-details'), /116 111/);
		await expectNoAxeViolations(phone, 'the help details on a small phone');
		await phone.getByRole('button', { name: 'Hide' }).click();
		assert.equal(await phone.locator('#help-details').isVisible(), false);

		// The session goes on: the next question.
		await page.getByRole('button', { name: /^Open\W*Question 2$/ }).click();
		await expectText(phone.locator('#question-heading'), 'Unde să fie locul de joacă?');
		for (const option of ['Lângă poartă', 'În spate', 'Lângă teren']) {
			const where = await reachable(phone.getByRole('radio', { name: option }));
			assert.deepEqual([where.inside, where.ok], [true, true], `option ${option}: ${where.hit}`);
		}
		await phone.getByRole('radio', { name: 'Lângă teren' }).check();
		const send = phone.getByRole('button', { name: 'Send', exact: true });
		const where = await reachable(send);
		assert.deepEqual([where.inside, where.ok], [true, true], `Send: ${where.hit}`);
		await send.click();
		await expectText(phone.locator('.ack__text'), 'Got it!');
		// Hidden controls (the folded profile, the folded help details) measure 0×0.
		const small = (await smallTouchTargets(phone)).filter((target) => !target.endsWith(' 0×0'));
		assert.deepEqual(small, [], 'touch targets after the help press');
		await expectNoAxeViolations(phone, 'the next question after a help press');

		// The child closes the confirmation; the button is there again. Asking again while the
		// request is open is answered the same, and makes no second request.
		await phone.getByRole('button', { name: 'Close', exact: true }).click();
		await eventually(async () => assert.equal(await sent.count(), 0));
		await phone.getByRole('button', { name: 'I need to talk to someone' }).click();
		await phone.getByRole('button', { name: 'Yes, send it' }).click();
		await expectText(sent, 'Sent.');
		const lead = await newPage({ label: 'lead' });
		await signIn(lead, url, 'safeguarding.bacau@demo.voci.ro');
		const { data } = await api(lead, 'GET', `/api/v1/municipalities/${BACAU}/help-requests?open=true`);
		assert.equal(data.total, 1, `one request for two presses: ${JSON.stringify(data)}`);
	});
});
