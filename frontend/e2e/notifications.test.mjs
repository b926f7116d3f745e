// Notifications of council members and coordinators: a consultation of Bacău closes with
// children's input; the reminder job (every second here) tells its coordinator and council
// member, who see a count on the bell in the header, a card on their start page and the
// list at /notifications, in Romanian at 360×640 and in English at 1366×768; checked by axe,
// used with the keyboard. A council member whose role is taken away no longer sees Bacău's
// notices.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { api, signIn as signInByApi } from './adult.mjs';
import { demo, signIn } from './adults.mjs';
import { eventually, expectPage, smallTouchTargets, tabTo } from './expect.mjs';
import { expectNoAxeViolations, useVoci } from './server.mjs';

// The job runs every second, so that the test need not wait five minutes.
process.env.VOCI_REMINDER_INTERVAL = '1s';
const { scenario } = useVoci();

const BACAU = 20297;
const TITLE = 'Locul de joacă din spatele școlii';
const HEADING = { ro: 'Notificări', en: 'Notifications' };
const START = { ro: 'Ce te așteaptă', en: 'What needs you now' };
const BELL = { ro: /^Notificări \((una necitită|\d+ (de )?necitite)\)$/, en: /^Notifications \((one unread|\d+ unread)\)$/ };
const READY = {
	ro: `Părerile copiilor din consultarea „${TITLE}” sunt gata de analizat.`,
	en: `Children’s views from the consultation “${TITLE}” are ready for review.`
};
const OPEN = { ro: 'Deschide analiza', en: 'Open the review' };
const MARK = { ro: 'Marchează ca citită', en: 'Mark as read' };
const MARKED = { ro: 'Notificarea a fost marcată ca citită.', en: 'The notification is marked as read.' };
const NEW = { ro: 'Nou', en: 'New' };

let prepared = null;

/** Once per run, as Bacău's facilitator: a paper consultation with one form typed in, closed. */
function prepare(newPage, url) {
	prepared ??= (async () => {
		const page = await newPage({ label: 'set-up' });
		await signInByApi(page, url);
		const base = `/api/v1/municipalities/${BACAU}/consultations`;
		const answerBy = new Date(Date.now() + 60 * 86_400_000).toISOString();
		const created = await api(page, 'POST', base, {
			title: TITLE, purpose: 'Ce ar trebui să aibă locul de joacă?', easyRead: 'Spune-ne.', ageBands: ['10_12'],
			goals: ['safe_environment'], topics: ['parcuri'], audienceBody: 'Consiliul Local Bacău', answerBy, modes: ['paper']
		});
		assert.equal(created.status, 201, JSON.stringify(created.data));
		const id = created.data.id;
		const question = await api(page, 'POST', `${base}/${id}/questions`, {
			kind: 'single', prompt: 'Ce vrei acolo?', options: [{ label: 'leagăne' }, { label: 'copaci' }]
		});
		assert.equal(question.status, 201, JSON.stringify(question.data));
		assert.equal((await api(page, 'POST', `${base}/${id}/status`, { status: 'open' })).status, 200);
		const form = await api(page, 'POST', `${base}/${id}/paper-forms`, {
			key: 'notify-form-0001', answers: [{ questionId: question.data.id, choices: [question.data.options[0].id] }]
		});
		assert.equal(form.status, 201, JSON.stringify(form.data));
		assert.equal((await api(page, 'POST', `${base}/${id}/status`, { status: 'closed' })).status, 200);
		await page.context().close();
		return { consultation: id };
	})();
	return prepared;
}

async function checkPage(page, label) {
	await eventually(async () => assert.equal(await page.getByText(/Se încarcă|Loading/).count(), 0));
	await expectNoAxeViolations(page, label);
	assert.deepEqual(await smallTouchTargets(page), [], `${label}: touch targets of at least 44×44 px`);
	assert.equal(await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth), false, `${label}: no sideways scrolling`);
}

const CASES = [
	{ lang: 'ro', who: 'coordinator', viewport: { width: 360, height: 640 } },
	{ lang: 'en', who: 'council', viewport: { width: 1366, height: 768 } }
];

for (const { lang, who, viewport } of CASES) {
	describe(`notifications, ${lang}`, () => {
		scenario(`the ${who} hears that input is ready for review (${lang}, ${viewport.width}×${viewport.height})`, async ({ page, url, newPage }) => {
			const { consultation } = await prepare(newPage, url);
			await page.setViewportSize(viewport);
			await signIn(page, url, demo(who, 'bacau'), { lang });
			await expectPage(page, lang, START[lang]);

			// The job runs every second: the start page shows the notice once it has run.
			const card = page.getByRole('region', { name: new RegExp(lang === 'ro' ? 'notific' : 'notification', 'i') });
			await eventually(
				async () => {
					await page.goto(url('/start'));
					await expectPage(page, lang, START[lang]);
					assert.match((await card.textContent({ timeout: 2_000 })) ?? '', new RegExp(READY[lang].replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
				},
				{ timeout: 30_000, interval: 1_000 }
			);
			const bell = page.locator('header a[href="/notifications"]');
			await eventually(async () => assert.match((await bell.textContent())?.replace(/\s+/g, ' ').trim() ?? '', /\d/));
			assert.equal(await page.locator('header').getByRole('link', { name: BELL[lang] }).count(), 1, 'the bell says what it counts');
			const before = Number(await bell.locator('.bell__count').textContent());
			assert.ok(before >= 1, 'the bell counts the unread notice');
			await checkPage(page, `start page with a notification (${lang})`);

			// From the keyboard: the bell leads to the list.
			await tabTo(page, (d) => d.startsWith('a') && d.includes(HEADING[lang]));
			await page.keyboard.press('Enter');
			await expectPage(page, lang, HEADING[lang]);
			const item = page.locator('article', { hasText: TITLE });
			await eventually(async () => assert.equal(await item.count(), 1));
			assert.match((await item.textContent()) ?? '', new RegExp(NEW[lang]));
			const open = item.getByRole('link', { name: new RegExp(`^${OPEN[lang]}\\s?: ${TITLE}$`) });
			assert.equal(await open.getAttribute('href'), `/m/${BACAU}/consultations/${consultation}/review`);
			await checkPage(page, `notifications page (${lang})`);

			// Mark it read with the keyboard: the status says so and the bell counts one fewer.
			await item.getByRole('button', { name: new RegExp(`^${MARK[lang]}\\s?: ${TITLE}$`) }).focus();
			await page.keyboard.press('Enter');
			await eventually(async () => assert.equal(await page.getByText(MARKED[lang]).count(), 1));
			await eventually(async () => assert.equal(await item.getByRole('button', { name: new RegExp(`^${MARK[lang]}\\s?: ${TITLE}$`) }).count(), 0));
			await eventually(async () => {
				const left = before - 1;
				const count = bell.locator('.bell__count');
				if (left === 0) assert.equal(await count.count(), 0);
				else assert.equal(Number(await count.textContent()), left);
			});
			await checkPage(page, `notifications page after reading (${lang})`);
		});
	});
}

describe('notifications go with the role', () => {
	scenario('a council member who loses the role no longer sees the municipality’s notices (en, 1366×768)', async ({ page, url, newPage }) => {
		await prepare(newPage, url);
		await page.setViewportSize({ width: 1366, height: 768 });
		await signIn(page, url, demo('council', 'bacau'), { lang: 'en' });
		const item = page.locator('article', { hasText: TITLE });
		await eventually(
			async () => {
				await page.goto(url('/notifications'));
				await expectPage(page, 'en', HEADING.en);
				assert.equal(await item.count(), 1);
			},
			{ timeout: 30_000, interval: 1_000 }
		);
		const me = await api(page, 'GET', '/api/v1/me');
		assert.equal(me.status, 200, JSON.stringify(me.data));

		// Bacău's coordinator takes the council member role away.
		const coordinator = await newPage({ label: 'coordinator' });
		await signInByApi(coordinator, url, demo('coordinator', 'bacau'));
		const removed = await api(coordinator, 'DELETE', `/api/v1/municipalities/${BACAU}/people/${me.data.id}/roles/council_member`);
		assert.equal(removed.status, 204, JSON.stringify(removed.data));

		// At once, without waiting for the job: no notice of Bacău, and the bell counts none.
		await page.goto(url('/notifications'));
		await expectPage(page, 'en', HEADING.en);
		await eventually(async () => assert.equal(await page.getByText(/Loading/).count(), 0));
		assert.equal(await item.count(), 0, 'the notice of a municipality where the adult holds no role is gone');
		assert.equal(await page.locator('header a[href="/notifications"] .bell__count').count(), 0);
		const list = await api(page, 'GET', '/api/v1/me/notifications');
		assert.equal(list.status, 200);
		assert.equal(list.data.total, 0);
		assert.equal(list.data.unread, 0);
		await checkPage(page, 'notifications page after the role went (en)');
	});
});
