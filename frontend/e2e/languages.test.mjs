// A consultation in several languages: the facilitator picks the languages and
// sees what is missing; children read it in their own language (the first one
// where theirs is not written); the projector speaks the consultation's first
// language whatever the adult's, with a second one beside it when asked.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { api, signIn } from './adult.mjs';
import { eventually, expectText, overflowsHorizontally, smallTouchTargets } from './expect.mjs';
import { PHONE, expectNoAxeViolations, useVoci } from './server.mjs';

const { scenario } = useVoci();
const BACAU = 20297;
const base = `/api/v1/municipalities/${BACAU}/consultations`;

const MISSING = {
	en: (n) => `${n} texts are missing in Magyar.`,
	ro: (n) => `În Magyar lipsesc ${n} texte.`,
	hu: (n) => `Magyar nyelven ${n} szöveg hiányzik.`
};

/** The seeded park consultation of Bacău (Romanian, Hungarian and English), with its questions. */
async function park(page) {
	const list = await api(page, 'GET', `${base}?status=open`);
	const found = list.data.items.find((c) => c.languages.join() === 'ro,hu,en');
	assert.ok(found, 'the seeded park consultation offers ro, hu and en');
	return (await api(page, 'GET', `${base}/${found.id}`)).data;
}

describe('content in several languages', () => {
	scenario('the editor offers another language and shows what is still missing, in three languages', async ({ page, url }) => {
		await signIn(page, url);
		const created = await api(page, 'POST', base, {
			title: 'Curtea școlii',
			purpose: 'Ce schimbăm în curte?',
			audienceBody: 'Consiliul Local Bacău',
			answerBy: '2027-06-30T12:00:00Z',
			modes: ['live'],
			languages: ['ro', 'hu']
		});
		assert.equal(created.status, 201, JSON.stringify(created.data));
		const id = created.data.id;
		const q = await api(page, 'POST', `${base}/${id}/questions`, {
			kind: 'single',
			prompt: 'Ce vrei în curte?',
			options: [{ label: 'Bănci' }, { label: 'Copaci' }]
		});
		assert.equal(q.status, 201);
		// A translation naming an option the question does not have is refused.
		const mismatch = await api(page, 'PUT', `${base}/${id}/questions/${q.data.id}`, {
			kind: 'single',
			prompt: 'Ce vrei în curte?',
			options: q.data.options,
			translations: { hu: { prompt: 'Mit?', options: [{ id: q.data.options[0].id, label: 'Padok' }, { id: 'pond', label: 'Tó' }] } }
		});
		assert.equal(mismatch.status, 400);
		assert.equal(mismatch.data.code, 'translation_options_mismatch');

		const pagePath = `/m/${BACAU}/consultations/${id}`;
		await page.goto(url(pagePath));
		const hu = page.locator('[data-testid="missing-translations"] li[data-lang="hu"]');
		// Title, purpose, audience, the prompt and two labels.
		await expectText(hu, MISSING.en(6));
		await expectNoAxeViolations(page, 'a consultation with a language to write');

		await page.getByRole('button', { name: 'Edit question 1', exact: true }).click();
		const wording = page.getByTestId('question-hu');
		await expectText(wording.locator('legend'), 'The wording in Magyar');
		await page.locator('#q0-hu-prompt').fill('Mit szeretnél az udvarra?');
		await page.locator('#q0-hu-opt-0').fill('Padok');
		await expectText(wording.locator('.field__hint').first(), '1 text is missing in Magyar.');
		await page.locator('#q0-hu-opt-1').fill('Fák');
		await expectNoAxeViolations(page, 'the question editor with its Hungarian wording');
		await page.getByRole('button', { name: 'Save the question', exact: true }).click();
		await expectText(hu, MISSING.en(3));

		// English too, and the Hungarian title and audience, in the consultation's details.
		await page.getByRole('checkbox', { name: 'English' }).check();
		await page.locator('#c-title-hu').fill('Az iskolaudvar');
		await page.locator('#c-body-hu').fill('Bákó Helyi Tanácsa');
		await page.getByRole('button', { name: 'Save the details', exact: true }).click();
		await expectText(hu, '1 text is missing in Magyar.');
		await expectText(page.locator('[data-testid="missing-translations"] li[data-lang="en"]'), '6 texts are missing in English.');
		const stored = await api(page, 'GET', `${base}/${id}?lang=hu`);
		assert.equal(stored.data.title, 'Az iskolaudvar');
		assert.equal(stored.data.audienceBody, 'Bákó Helyi Tanácsa');
		assert.equal(stored.data.questions[0].options[1].label, 'Fák');
		assert.deepEqual(stored.data.languages, ['ro', 'hu', 'en']);

		for (const lang of ['ro', 'hu']) {
			await page.setViewportSize(PHONE);
			await page.goto(url(`${pagePath}?lang=${lang}`));
			await expectText(page.locator('[data-testid="missing-translations"] li[data-lang="hu"]'),
				lang === 'ro' ? 'În Magyar lipsește 1 text.' : MISSING.hu(1));
			assert.equal(await overflowsHorizontally(page), false, `no sideways scrolling (${lang})`);
			await expectNoAxeViolations(page, `the languages of a consultation (${lang})`);
		}
	});

	scenario('children read the park consultation in their language on its self-paced link', async ({ page, url, newPage }) => {
		await signIn(page, url);
		const c = await park(page);
		const link = (await api(page, 'GET', `${base}/${c.id}/self-paced-link`)).data;
		for (const child of [
			{ lang: 'hu', title: 'A mi parkunk', start: 'Kezdjük', prompt: 'Mi legyen először a parkban?', option: 'Fák és árnyék' },
			{ lang: 'ro', title: c.title, start: 'Începe', prompt: 'Ce ar trebui să aibă parcul mai întâi?', option: 'Copaci și umbră' },
			{ lang: 'en', title: 'Our park', start: 'Start', prompt: 'What should the park have first?', option: 'Trees and shade' }
		]) {
			const phone = await newPage({ viewport: PHONE, label: `child ${child.lang}` });
			await phone.goto(`${link.url}?lang=${child.lang}`);
			await eventually(async () => assert.ok((await phone.locator('body').textContent())?.includes(child.title), `the title in ${child.lang}`));
			await phone.getByRole('button', { name: child.start, exact: true }).click();
			await eventually(async () => assert.ok(await phone.getByText(child.prompt, { exact: true }).first().isVisible(), `the question in ${child.lang}`));
			await eventually(async () => assert.ok(await phone.getByText(child.option).first().isVisible(), `an option in ${child.lang}`));
			await expectNoAxeViolations(phone, `the park on a phone (${child.lang})`);
			assert.deepEqual(await smallTouchTargets(phone), [], `touch targets (${child.lang})`);
		}
	});

	scenario('a live room: each child in their language, the projector in the consultation’s with Hungarian beside it', async ({ page, url, newPage }) => {
		await signIn(page, url); // the facilitator's account speaks English
		const c = await park(page);
		const started = await api(page, 'POST', `${base}/${c.id}/live-sessions`);
		assert.equal(started.status, 201, JSON.stringify(started.data));
		const { id: sid, joinCode } = started.data;

		const presenter = await newPage({ context: page.context(), viewport: { width: 1366, height: 768 }, label: 'presenter' });
		await presenter.goto(url(`/m/${BACAU}/live/${sid}/presenter?second=hu`));
		await eventually(async () => assert.equal(await presenter.locator('html').getAttribute('lang'), 'ro'));
		await expectText(presenter.locator('#join-heading'), 'Intră și tu');
		await expectText(presenter.getByTestId('projector-second-title'), 'A mi parkunk');

		const kids = [];
		for (const child of [
			{ lang: 'hu', join: 'Belépés', prompt: 'Mi legyen először a parkban?' },
			{ lang: 'ro', join: 'Intră', prompt: 'Ce ar trebui să aibă parcul mai întâi?' },
			{ lang: 'en', join: 'Join', prompt: 'What should the park have first?' }
		]) {
			const phone = await newPage({ viewport: PHONE, label: `child ${child.lang}` });
			await phone.goto(url(`/join?lang=${child.lang}&code=${joinCode}`));
			await phone.getByRole('button', { name: child.join, exact: true }).click();
			await eventually(() => assert.equal(new URL(phone.url()).pathname, '/session'));
			kids.push({ ...child, page: phone });
		}

		// The facilitator opens the first question (the console's command, over its socket).
		const opened = await page.evaluate(
			({ siruta, sid, questionId }) =>
				new Promise((resolve) => {
					const ws = new WebSocket(`ws://${location.host}/api/v1/municipalities/${siruta}/live-sessions/${sid}/facilitator`);
					ws.onmessage = (event) => {
						const m = JSON.parse(event.data);
						if (m.type === 'welcome') ws.send(JSON.stringify({ type: 'question.open', id: 'open-1', data: { questionId } }));
						if (m.id === 'open-1') {
							ws.close();
							resolve(m.type);
						}
					};
					ws.onerror = () => resolve('socket error');
				}),
			{ siruta: BACAU, sid, questionId: c.questions[0].id }
		);
		assert.equal(opened, 'command.ok');

		for (const kid of kids) {
			await eventually(async () => assert.ok(await kid.page.getByText(kid.prompt, { exact: true }).first().isVisible(), `the question in ${kid.lang}`));
			await expectNoAxeViolations(kid.page, `a live question (${kid.lang})`);
		}
		await eventually(async () => assert.ok((await presenter.locator('#question-heading').textContent())?.includes('Ce ar trebui să aibă parcul mai întâi?')));
		const second = presenter.getByTestId('projector-second');
		await eventually(async () => assert.ok((await second.textContent())?.includes('Mi legyen először a parkban?')));
		assert.equal(await second.getAttribute('lang'), 'hu');
		// While the question is open the projector shows only how many answered: no options in
		// either language (they come with the results).
		assert.equal(await second.locator('li').count(), 0);
		await expectNoAxeViolations(presenter, 'the projector in two languages');

		// The console's join box opens the projector with a second language too.
		await page.goto(url(`/m/${BACAU}/live/${sid}`));
		const twoLanguages = page.locator('.join').getByTestId('presenter-second-hu');
		await eventually(async () => assert.equal(await twoLanguages.getAttribute('href'), `/m/${BACAU}/live/${sid}/presenter?second=hu`));
		await expectText(twoLanguages, 'Open the projector in Română + Magyar');
		await expectNoAxeViolations(page, 'the console with the projector in two languages');
	});
});
