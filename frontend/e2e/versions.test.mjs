// A question reworded after children answered keeps its earlier wording: the
// results page shows each wording with how many answered it, in every language,
// and the options stay as they were answered.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { api, signIn } from './adult.mjs';
import { eventually, expectText, overflowsHorizontally } from './expect.mjs';
import { expectNoAxeViolations, PHONE, useVoci } from './server.mjs';

const { scenario } = useVoci();

const BACAU = 20297;

const NOTE = {
	ro: 'Formularea acestei întrebări a fost schimbată după ce copiii au răspuns.',
	en: 'This question was reworded after children had answered.',
	hu: 'Ennek a kérdésnek a megfogalmazása megváltozott, miután a gyerekek már válaszoltak.'
};
const CAPTION = {
	ro: 'Formulările întrebării 1 și câți copii au răspuns la fiecare',
	en: 'Wordings of question 1 and how many children answered each',
	hu: 'A(z) 1. kérdés megfogalmazásai és hány gyerek válaszolt mindegyikre'
};

describe('wordings of a question', () => {
	scenario('a question reworded after paper answers shows both wordings in results', async ({ page, url }) => {
		await signIn(page, url);
		const base = `/api/v1/municipalities/${BACAU}/consultations`;
		const created = await api(page, 'POST', base, {
			title: 'The school yard',
			audienceBody: 'Bacău local council',
			answerBy: '2027-06-30T00:00:00Z',
			modes: ['paper']
		});
		assert.equal(created.status, 201, JSON.stringify(created.data));
		const id = created.data.id;
		const q = await api(page, 'POST', `${base}/${id}/questions`, {
			kind: 'single',
			prompt: 'What should the yard have?',
			options: [{ label: 'Trees' }, { label: 'Benches' }]
		});
		assert.equal(q.status, 201);
		assert.equal((await api(page, 'POST', `${base}/${id}/status`, { status: 'open' })).status, 200);
		for (let i = 0; i < 6; i++) {
			const form = await api(page, 'POST', `${base}/${id}/paper-forms`, {
				key: `yard-form-${i}`,
				answers: [{ questionId: q.data.id, choices: [q.data.options[i % 2].id] }]
			});
			assert.equal(form.status, 201, JSON.stringify(form.data));
		}
		// The first answer froze the options: a new option is refused, a new wording is a new version.
		const reshape = await api(page, 'PUT', `${base}/${id}/questions/${q.data.id}`, {
			kind: 'single',
			prompt: 'What should the yard have?',
			options: [...q.data.options, { label: 'A pond' }]
		});
		assert.equal(reshape.status, 409);
		assert.equal(reshape.data.code, 'question_frozen');
		const reworded = await api(page, 'PUT', `${base}/${id}/questions/${q.data.id}`, {
			kind: 'single',
			prompt: 'What would you most like in the yard?',
			options: q.data.options
		});
		assert.equal(reworded.status, 200, JSON.stringify(reworded.data));
		assert.equal(reworded.data.promptVersion, 2);

		const resultsPath = `/m/${BACAU}/consultations/${id}/results`;
		await page.goto(url(resultsPath));
		const table = page.locator('table.versions');
		await expectText(table.locator('caption'), CAPTION.en);
		await eventually(async () => {
			const rows = await table.locator('tbody tr').allTextContents();
			assert.equal(rows.length, 2);
			assert.match(rows[0], /What should the yard have\?.*6/s);
			assert.match(rows[1], /What would you most like in the yard\?.*current.*0/s);
		});
		await expectNoAxeViolations(page, 'results with wordings, en');

		await page.setViewportSize(PHONE);
		for (const lang of ['ro', 'hu']) {
			await page.goto(url(`${resultsPath}?lang=${lang}`));
			await expectText(table.locator('caption'), CAPTION[lang]);
			await eventually(async () => assert.ok((await page.locator('body').textContent()).includes(NOTE[lang]), `the note in ${lang}`));
			assert.equal(await overflowsHorizontally(page), false, `no sideways scrolling in ${lang}`);
			await expectNoAxeViolations(page, `results with wordings, ${lang}`);
		}
	});
});
