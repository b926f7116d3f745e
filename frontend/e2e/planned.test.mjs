// Live sessions planned ahead: a facilitator plans one on the consultation's page, sees it on
// the start page (marked when its time has come), starts it there with one press and lands in
// the console of the session it started. Also: an edit and a cancellation, and the demo's
// sessions planned for the next days. In Romanian, English and Hungarian, each walked at one
// size and its screens checked by axe at 360×640, 390×844, 1366×768 and 1920×1080.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { api } from './adult.mjs';
import { demo, signIn } from './adults.mjs';
import { eventually, expectPage, expectText, smallTouchTargets, overflowsHorizontally } from './expect.mjs';
import { expectNoAxeViolations, useVoci } from './server.mjs';

const { scenario } = useVoci();

const BACAU = 20297;
const SIZES = { ro: { width: 1366, height: 768 }, en: { width: 360, height: 640 }, hu: { width: 360, height: 640 } };
const START = { ro: 'Ce te așteaptă', en: 'What needs you now', hu: 'Ami most rád vár' };
const FACILITATOR = { ro: 'facilitator, Bacău', en: 'facilitator, Bacău', hu: 'foglalkozásvezető, Bacău' };
const COORDINATOR = { ro: 'coordonator local, Bacău', en: 'municipal coordinator, Bacău', hu: 'helyi koordinátor, Bacău' };
const PLAN = { ro: 'Planifică sesiunea', en: 'Plan the session', hu: 'Alkalom tervezése' };
const PLANNED = { ro: 'Sesiunea a fost planificată.', en: 'The session is planned.', hu: 'Az alkalom betervezve.' };
const DUE = { ro: 'trebuia să înceapă', en: 'due now, not started', hu: 'már kezdődnie kellett volna' };
const START_NOW = { ro: 'Pornește acum', en: 'Start now', hu: 'Indítás most' };
const TOMORROW = { ro: 'mâine, la 10:00', en: 'tomorrow at 10:00', hu: 'holnap 10:00-kor' };
const GROUP_ERROR = {
	ro: 'Numiți grupul doar prin clasă și școală',
	en: 'Name the group by its class and school only',
	hu: 'A csoportot csak osztállyal és iskolával nevezze meg'
};
const DEMO_TITLE = 'Cum vrem să arate parcul din cartier?';

/** Romania's wall-clock time now, as a datetime-local field takes it. */
function romaniaNow(offsetMinutes = 0) {
	const parts = Object.fromEntries(
		new Intl.DateTimeFormat('en-GB', {
			timeZone: 'Europe/Bucharest', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23'
		})
			.formatToParts(new Date(Date.now() + offsetMinutes * 60_000))
			.map((p) => [p.type, p.value])
	);
	return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

async function settle(page) {
	await eventually(async () => assert.equal(await page.getByText(/Se încarcă|Loading|Betöltés/).count(), 0));
}

/** Interactive elements under `selector` smaller than 44×44 CSS pixels. */
function smallTargetsIn(page, selector) {
	return page.evaluate((selector) => {
		const small = [];
		for (const el of document.querySelectorAll(`${selector} :is(a[href], button, input, select, textarea, summary)`)) {
			if (getComputedStyle(el).display === 'none') continue;
			const box = (el.closest('label') ?? el).getBoundingClientRect();
			if (box.width < 44 || box.height < 44) small.push(`${el.tagName.toLowerCase()} "${el.textContent?.trim()}" ${Math.round(box.width)}×${Math.round(box.height)}`);
		}
		return small;
	}, selector);
}

/**
 * axe, touch targets and width. On a consultation's page the touch targets checked are those
 * of the planned sessions' block (`within`).
 */
async function checkPage(page, label, within) {
	await settle(page);
	await expectNoAxeViolations(page, label);
	const small = within ? await smallTargetsIn(page, within) : await smallTouchTargets(page);
	assert.deepEqual(small, [], `${label}: touch targets of at least 44×44 px`);
	assert.equal(await overflowsHorizontally(page), false, `${label}: nothing wider than the window`);
}

const EVERY_SIZE = [
	{ width: 360, height: 640 },
	{ width: 390, height: 844 },
	{ width: 1366, height: 768 },
	{ width: 1920, height: 1080 }
];

/** checkPage at each of the four sizes, then back to the scenario's own. */
async function checkEverySize(page, label, within) {
	const own = page.viewportSize();
	for (const size of EVERY_SIZE) {
		await page.setViewportSize(size);
		await checkPage(page, `${label} at ${size.width}×${size.height}`, within);
	}
	await page.setViewportSize(own);
}

/** An open consultation of Bacău with live sessions, made as the signed-in facilitator. */
async function openConsultation(page, title) {
	const base = `/api/v1/municipalities/${BACAU}/consultations`;
	const created = await api(page, 'POST', base, {
		title, purpose: 'Ce ar trebui să aibă parcul nou?', ageBands: ['10_12'], goals: ['safe_environment'], topics: ['parcuri'],
		audienceBody: 'Consiliul Local Bacău', answerBy: new Date(Date.now() + 60 * 86_400_000).toISOString(), modes: ['live']
	});
	assert.equal(created.status, 201, JSON.stringify(created.data));
	const id = created.data.id;
	assert.equal((await api(page, 'POST', `${base}/${id}/questions`, { kind: 'short_text', prompt: 'Ce idee ai?' })).status, 201);
	assert.equal((await api(page, 'POST', `${base}/${id}/status`, { status: 'open' })).status, 200);
	return id;
}

for (const lang of ['ro', 'en', 'hu']) {
	const size = SIZES[lang];
	describe(`planned sessions, ${lang}, ${size.width}×${size.height}`, () => {
		scenario(`plan a session, see it on the start page, start it (${lang})`, async ({ page, url }) => {
			const title = `Sesiune planificată ${lang}`;
			await signIn(page, url, demo('facilitator', 'bacau'), { lang });
			const id = await openConsultation(page, title);

			// Plan it on the consultation's page, for this very minute, after a group the screening refuses.
			await page.goto(url(`/m/${BACAU}/consultations/${id}`));
			await settle(page);
			await page.locator('#planned-start').fill(romaniaNow());
			await page.locator('#planned-minutes').fill('45');
			await page.locator('#planned-group').fill('Grupa lui Andrei Popescu');
			await page.locator('#planned-place').fill('Biblioteca județeană');
			await page.getByRole('button', { name: PLAN[lang], exact: true }).click();
			await expectText(page.locator('.planned'), new RegExp(GROUP_ERROR[lang]));
			await page.locator('#planned-group').fill('Clasa a VI-a B, Școala nr. 5');
			await page.getByRole('button', { name: PLAN[lang], exact: true }).click();
			await expectText(page.locator('.planned'), new RegExp(PLANNED[lang]));
			const list = page.getByTestId('planned-list');
			await expectText(list, /Clasa a VI-a B, Școala nr. 5/);
			await expectText(list, new RegExp(DUE[lang]));
			await checkEverySize(page, `consultation page with a planned session (${lang})`, '.planned');

			// The start page lists it today, marked, with Start: the facilitator runs it.
			await page.goto(url('/start'));
			await expectPage(page, lang, START[lang]);
			const part = page.getByRole('region', { name: FACILITATOR[lang] });
			const planned = part.getByTestId('start-planned');
			await expectText(planned, new RegExp(title));
			await expectText(planned, new RegExp(DUE[lang]));
			// The demo's session planned for tomorrow comes after it.
			await expectText(planned, new RegExp(`${title}[\\s\\S]*${DEMO_TITLE}`));
			await expectText(planned, new RegExp(TOMORROW[lang]));
			await checkEverySize(page, `facilitator's start page with planned sessions (${lang})`);

			// One press starts it: the console of the new session opens.
			const startButton = planned.getByRole('button', { name: new RegExp(`^${START_NOW[lang]}: ${title}`) });
			await startButton.focus();
			await page.keyboard.press('Enter');
			await eventually(() => assert.match(new URL(page.url()).pathname, new RegExp(`^/m/${BACAU}/live/[^/]+$`)));
			const sid = new URL(page.url()).pathname.split('/').pop();
			await expectText(page.getByTestId('join-code'), /^\d{6}$/);

			// Started, it is linked to the plan and leaves the start page; a second press opens the same session.
			const base = `/api/v1/municipalities/${BACAU}/consultations/${id}/planned-sessions`;
			const listed = await api(page, 'GET', base);
			assert.equal(listed.data.items.length, 1);
			assert.equal(listed.data.items[0].status, 'started');
			assert.equal(listed.data.items[0].liveSessionId, sid);
			const again = await api(page, 'POST', `${base}/${listed.data.items[0].id}/start`);
			assert.equal(again.status, 200);
			assert.equal(again.data.session.id, sid);
			const sessions = await api(page, 'GET', `/api/v1/municipalities/${BACAU}/consultations/${id}/live-sessions`);
			assert.equal(sessions.data.items.length, 1, 'one live session');
			await page.goto(url('/start'));
			await settle(page);
			assert.equal(await page.getByTestId('start-planned').getByText(title).count(), 0, 'gone from the start page once started');
		}, { viewport: size });
	});
}

describe('planned sessions: edit, cancel, and the coordinator', () => {
	scenario('a planned session is edited, then cancelled; the coordinator sees the demo plans', async ({ page, url, newPage }) => {
		await signIn(page, url, demo('facilitator', 'bacau'), { lang: 'ro' });
		const title = 'Sesiune de modificat';
		const id = await openConsultation(page, title);
		await page.goto(url(`/m/${BACAU}/consultations/${id}`));
		await settle(page);
		const tomorrow = romaniaNow(24 * 60).slice(0, 11) + '16:00';
		await page.locator('#planned-start').fill(tomorrow);
		await page.locator('#planned-group').fill('Clasa a VIII-a A, Școala nr. 10');
		await page.locator('#planned-place').fill('Sala de sport');
		await page.getByRole('button', { name: PLAN.ro, exact: true }).click();
		const list = page.getByTestId('planned-list');
		await expectText(list, /Sala de sport/);

		await list.getByRole('button', { name: /^Modifică sesiunea din/ }).click();
		await eventually(async () => assert.equal(await page.evaluate(() => document.activeElement?.id), 'planned-start'));
		await page.locator('#planned-place').fill('Biblioteca școlii');
		await page.getByRole('button', { name: 'Salvează modificările', exact: true }).click();
		await expectText(list, /Biblioteca școlii/);

		await list.getByRole('button', { name: /^Anulează sesiunea din/ }).click();
		await list.getByRole('button', { name: 'Da, anulează sesiunea', exact: true }).click();
		await expectText(page.locator('.planned'), /Sesiunea a fost anulată\./);
		await eventually(async () => assert.equal(await page.getByTestId('planned-list').count(), 0, 'no planned session left'));
		await checkPage(page, 'consultation page after a cancellation', '.planned');

		// The coordinator, who does not facilitate, sees Bacău's next planned sessions: the demo's two.
		const coordinator = await newPage({ label: 'coordinator', viewport: { width: 360, height: 640 } });
		await signIn(coordinator, url, demo('coordinator', 'bacau'), { lang: 'ro' });
		const part = coordinator.getByRole('region', { name: COORDINATOR.ro });
		const planned = part.getByTestId('start-planned');
		await expectText(planned, new RegExp(DEMO_TITLE));
		await expectText(planned, /mâine, la 10:00/);
		assert.equal(await planned.getByText(title).count(), 0, 'a cancelled session is not listed');
		// Start only on the coordinator's own: the demo plans the second one for them.
		assert.equal(await planned.getByRole('button').count(), 1);
		await checkPage(coordinator, "coordinator's start page with planned sessions");
	});
});
