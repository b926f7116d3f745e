// Adults' start pages: where each role lands after signing in, with what needs it now;
// the people and audit tables at a laptop's and a phone's width; the audit log in words
// and its list of actions; and a municipality's consultations for the platform roles.
// Each in Romanian, English and Hungarian, at 360×640 and 1366×768, checked by axe.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { api } from './adult.mjs';
import { demo, signIn } from './adults.mjs';
import { eventually, expectPage, expectText, smallTouchTargets } from './expect.mjs';
import { expectNoAxeViolations, useVoci } from './server.mjs';

const { scenario } = useVoci();

const BACAU = 20297;
const SIZES = { phone: { width: 360, height: 640 }, laptop: { width: 1366, height: 768 } };

const START = { ro: 'Ce te așteaptă', en: 'What needs you now', hu: 'Ami most rád vár' };
const ROLE = {
	facilitator: { ro: 'facilitator, Bacău', en: 'facilitator, Bacău', hu: 'foglalkozásvezető, Bacău' },
	coordinator: { ro: 'coordonator local, Bacău', en: 'municipal coordinator, Bacău', hu: 'helyi koordinátor, Bacău' },
	council: { ro: 'membru al consiliului local, Bacău', en: 'local council member, Bacău', hu: 'helyi képviselő-testületi tag, Bacău' },
	safeguarding: { ro: 'responsabil cu protecția copilului, Bacău', en: 'safeguarding lead, Bacău', hu: 'gyermekvédelmi felelős, Bacău' }
};
const HELD = { ro: 'reținute de verificare: 1', en: 'held by screening: 1', hu: 'a szűrés visszatartotta: 1' };
const MUNICIPALITIES = { ro: 'Localitățile din inițiativă', en: 'Municipalities in the initiative', hu: 'A kezdeményezés települései' };
const PEOPLE = { ro: 'Persoane și roluri', en: 'People and roles', hu: 'Személyek és szerepek' };
const AUDIT = { ro: 'Jurnalul schimbărilor', en: 'Audit log', hu: 'A változások naplója' };
const CONSULTATIONS = { ro: 'Consultări', en: 'Consultations', hu: 'Konzultációk' };
const SIGNED_IN = { ro: 'S-a autentificat', en: 'Signed in', hu: 'Bejelentkezett' };
const TEAM_ONLY = { ro: 'Această consultare este a echipei localității', en: "This consultation belongs to the municipality's team", hu: 'Ez a konzultáció a település csapatáé' };
const GENERIC_ERROR = /Ceva nu a mers bine|Something went wrong|Valami hiba történt/;

const TITLE = 'Parcul nostru';
let prepared = null;

/**
 * Once per run, as Bacău's facilitator: an open consultation with a live session, and a paper
 * form whose text screening holds (a phone number), waiting for moderation.
 */
function prepare(newPage, url) {
	prepared ??= (async () => {
		const page = await newPage({ label: 'set-up' });
		await signIn(page, url, demo('facilitator', 'bacau'));
		const base = `/api/v1/municipalities/${BACAU}/consultations`;
		const answerBy = new Date(Date.now() + 60 * 86_400_000).toISOString();
		const created = await api(page, 'POST', base, {
			title: TITLE, purpose: 'Ce ar trebui să aibă parcul nou?', easyRead: 'Spune-ne despre parc.', ageBands: ['10_12'],
			goals: ['safe_environment'], topics: ['parcuri'], audienceBody: 'Consiliul Local Bacău', answerBy, modes: ['live', 'paper']
		});
		assert.equal(created.status, 201, JSON.stringify(created.data));
		const id = created.data.id;
		const question = await api(page, 'POST', `${base}/${id}/questions`, { kind: 'short_text', prompt: 'Ce idee ai?' });
		assert.equal(question.status, 201);
		assert.equal((await api(page, 'POST', `${base}/${id}/status`, { status: 'open' })).status, 200);
		const live = await api(page, 'POST', `${base}/${id}/live-sessions`);
		assert.equal(live.status, 201);
		const form = await api(page, 'POST', `${base}/${id}/paper-forms`, {
			key: 'start-form-0001', answers: [{ questionId: question.data.id, text: 'sunați-mă: 0745 111 222' }]
		});
		assert.equal(form.status, 201, JSON.stringify(form.data));
		await page.context().close();
		return { consultation: id, session: live.data.id, joinCode: live.data.joinCode };
	})();
	return prepared;
}

/** No sideways scrolling: the page, and every table, as wide as its box. */
async function expectNoOverflow(page, label) {
	const wide = await page.evaluate(() => {
		const out = [];
		const root = document.documentElement;
		if (root.scrollWidth > root.clientWidth) out.push(`page ${root.scrollWidth} > ${root.clientWidth}`);
		for (const table of document.querySelectorAll('table')) {
			const box = table.parentElement;
			if (table.scrollWidth > table.clientWidth + 1 || (box && box.scrollWidth > box.clientWidth + 1)) {
				out.push(`table ${table.scrollWidth}/${box?.scrollWidth} > ${table.clientWidth}/${box?.clientWidth}`);
			}
			// No column hidden: every cell lies inside the window.
			for (const cell of table.querySelectorAll('th, td')) {
				const r = cell.getBoundingClientRect();
				if (getComputedStyle(cell).display !== 'none' && cell.closest('thead') === null && (r.right > root.clientWidth + 1 || r.left < -1)) {
					out.push(`cell "${cell.textContent?.trim().slice(0, 30)}" at ${Math.round(r.left)}–${Math.round(r.right)}`);
					break;
				}
			}
		}
		return out;
	});
	assert.deepEqual(wide, [], `${label}: nothing wider than the window`);
}

async function settle(page) {
	await eventually(async () => assert.equal(await page.getByText(/Se încarcă|Loading|Betöltés/).count(), 0));
}

async function checkPage(page, label) {
	await settle(page);
	await expectNoAxeViolations(page, label);
	assert.deepEqual(await smallTouchTargets(page), [], `${label}: touch targets of at least 44×44 px`);
	await expectNoOverflow(page, label);
}

for (const [size, viewport] of Object.entries(SIZES)) {
	for (const lang of ['ro', 'en', 'hu']) {
		describe(`start pages, ${lang}, ${size}`, () => {
			scenario(`each role lands on its start page (${lang}, ${size})`, async ({ page, url, newPage }) => {
				const data = await prepare(newPage, url);

				await signIn(page, url, demo('facilitator', 'bacau'), { lang });
				await expectPage(page, lang, START[lang]);
				const fac = page.getByRole('region', { name: ROLE.facilitator[lang] });
				await expectText(fac, new RegExp(`${TITLE}.*${data.joinCode}`));
				await expectText(fac, new RegExp(HELD[lang]));
				await checkPage(page, `facilitator's start page in ${lang} at ${size}`);
				// The logo leads a signed-in adult back here.
				await page.goto(url('/account'));
				await page.locator('header a.header__home').click();
				await eventually(() => assert.equal(new URL(page.url()).pathname, '/start'));

				const coordinator = await newPage({ label: 'coordinator' });
				await signIn(coordinator, url, demo('coordinator', 'bacau'), { lang });
				const coord = coordinator.getByRole('region', { name: ROLE.coordinator[lang] });
				await expectText(coord, new RegExp(TITLE));
				assert.equal(await coordinator.locator('#help-card-heading').count(), 1, 'the help-request card');
				await checkPage(coordinator, `coordinator's start page in ${lang} at ${size}`);

				const lead = await newPage({ label: 'safeguarding lead' });
				await signIn(lead, url, demo('safeguarding', 'bacau'), { lang });
				await expectText(lead.getByRole('region', { name: ROLE.safeguarding[lang] }), /Bacău/);
				assert.equal(await lead.locator('#help-card-heading').count(), 1, 'the help-request card');
				await checkPage(lead, `safeguarding lead's start page in ${lang} at ${size}`);

				const council = await newPage({ label: 'council member' });
				await signIn(council, url, demo('council', 'bacau'), { lang });
				const review = council.getByRole('region', { name: ROLE.council[lang] });
				await expectText(review, new RegExp(TITLE));
				assert.equal(await review.locator(`a[href="/m/${BACAU}/consultations/${data.consultation}/results"]`).count(), 1);
				await checkPage(council, `council member's start page in ${lang} at ${size}`);

				// Another municipality's people see nothing of Bacău's.
				const other = await newPage({ label: 'Brașov facilitator' });
				await signIn(other, url, demo('facilitator', 'brasov'), { lang });
				await expectPage(other, lang, START[lang]);
				await settle(other);
				assert.equal(await other.getByText(TITLE).count(), 0, 'Brașov sees nothing of Bacău');

				for (const role of ['admin', 'national']) {
					const platform = await newPage({ label: role });
					await signIn(platform, url, demo(role), { lang });
					const list = platform.getByRole('region', { name: MUNICIPALITIES[lang] });
					await expectText(list.locator('tbody'), /Bacău/);
					await checkPage(platform, `${role}'s start page in ${lang} at ${size}`);
					// A municipality's consultations: listed, never "Something went wrong".
					await list.locator(`a[href="/m/${BACAU}/consultations"]`).click();
					await expectPage(platform, lang, CONSULTATIONS[lang]);
					await expectText(platform.locator('main'), new RegExp(TITLE));
					assert.equal(await platform.getByText(GENERIC_ERROR).count(), 0, `${role}: no "Something went wrong"`);
					await checkPage(platform, `${role}: Bacău's consultations in ${lang} at ${size}`);
					// The municipality's other pages are its team's: they say so, never "Something went wrong".
					for (const path of [
						`/m/${BACAU}/consultations/${data.consultation}`,
						`/m/${BACAU}/consultations/${data.consultation}/results`,
						`/m/${BACAU}/help-requests`,
						`/m/${BACAU}/live/${data.session}`
					]) {
						await platform.goto(url(path));
						await settle(platform);
						await eventually(async () => assert.ok((await platform.locator('main').innerText()).trim().length > 0));
						assert.equal(await platform.getByText(GENERIC_ERROR).count(), 0, `${role} on ${path}: no "Something went wrong"`);
						// A consultation's pages say whose they are, rather than "not found".
						if (path.includes('/consultations/')) await expectText(platform.locator('main h1'), TEAM_ONLY[lang]);
					}
					await expectNoAxeViolations(platform, `${role} on a consultation's page in ${lang} at ${size}`);
				}
			}, { viewport });

			scenario(`the people and audit tables fit, and the audit log is in words (${lang}, ${size})`, async ({ page, url }) => {
				await signIn(page, url, demo('admin'), { lang });
				await page.goto(url('/people'));
				await expectPage(page, lang, PEOPLE[lang]);
				await eventually(async () => assert.ok((await page.locator('main table tbody tr').count()) > 5));
				await checkPage(page, `people in ${lang} at ${size}`);

				await page.goto(url('/audit'));
				await expectPage(page, lang, AUDIT[lang]);
				await eventually(async () => assert.ok((await page.locator('main table tbody tr').count()) > 0));
				await checkPage(page, `audit log in ${lang} at ${size}`);
				const body = await page.locator('main table tbody').innerText();
				assert.doesNotMatch(body, /\b(session\.sign_in|municipality\.stage)\b/, 'no raw action codes');

				// The action filter is a list, in words.
				const action = page.locator('select#audit-action');
				await action.selectOption({ label: SIGNED_IN[lang] });
				await page.locator('form.filters button[type="submit"]').click();
				await eventually(() => assert.equal(new URL(page.url()).searchParams.get('action'), 'session.sign_in'));
				await eventually(async () => {
					const actions = await page.locator('main table tbody tr td:nth-child(4)').allInnerTexts();
					assert.ok(actions.length > 0);
					for (const text of actions) assert.match(text, new RegExp(SIGNED_IN[lang]));
				});
				await checkPage(page, `audit log filtered in ${lang} at ${size}`);
			}, { viewport });
		});
	}
}
