// Paper forms: the printable form of a consultation (every question, boxes to tick, lines to
// write on, no name field), and the facilitator's screen that types filled forms in with the
// keyboard alone; the forms then count in results, marked as paper, with a ranking's average
// place and Borda points. In ro, en and hu, on a phone and a laptop, with axe-core.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { api, signIn } from './adult.mjs';
import { eventually, expectCount, expectText, overflowsHorizontally } from './expect.mjs';
import { expectNoAxeViolations, useVoci } from './server.mjs';

const { scenario } = useVoci();

const BACAU = 20297;
const PHONE = { width: 360, height: 640 };
const LAPTOP = { width: 1366, height: 768 };
const SIZES = [PHONE, LAPTOP];

const PRINT = { ro: 'Tipărește formularul', en: 'Print the paper form', hu: 'A kérdőív nyomtatása' };
const ENTER = { ro: 'Introdu formularele de pe hârtie', en: 'Type in paper forms', hu: 'Papíralapú kérdőívek bevitele' };
const NO_NAME = {
	ro: 'Nu scrie numele tău nicăieri pe acest formular.',
	en: 'Do not write your name anywhere on this form.',
	hu: 'Sehová ne írd rá a neved erre a lapra.'
};
const ABOUT_YOU = { ro: 'Despre tine (poți să sari peste)', en: 'About you (you can skip this)', hu: 'Rólad (ezt kihagyhatod)' };
const COUNT = {
	ro: (n) => (n === 1 ? '1 formular introdus acum' : `${n} formulare introduse acum`),
	en: (n) => (n === 1 ? '1 form typed in this sitting' : `${n} forms typed in this sitting`),
	hu: (n) => `Most ${n} kérdőív bevitve`
};
const ON_PAPER = { ro: 'Pe hârtie, introdus de facilitator', en: 'On paper, typed in by a facilitator', hu: 'Papíron, a foglalkozásvezető viszi be' };
const RANKING_CAPTION = {
	ro: 'Întrebarea 4, ordonare: locul mediu, punctele și primele locuri',
	en: 'Question 4, ranking: average place, points and first places',
	hu: '4. kérdés, rangsor: átlagos helyezés, pontok és első helyek'
};

/** A paper consultation with one question of each kind that paper takes. */
async function paperConsultation(page) {
	const base = `/api/v1/municipalities/${BACAU}/consultations`;
	const created = await api(page, 'POST', base, {
		title: 'The park by the river',
		purpose: 'The town will rebuild the park by the river and wants to know what children need there.',
		easyRead: 'The park by the river will be made new. Tell us what you would like in it.',
		audienceBody: 'Bacău local council',
		answerBy: '2027-06-30T00:00:00Z',
		modes: ['paper'],
		// Written in English and offered in all three: each run prints in its own language.
		languages: ['en', 'ro', 'hu']
	});
	assert.equal(created.status, 201, JSON.stringify(created.data));
	const id = created.data.id;
	const questions = [
		{ kind: 'single', prompt: 'Which do you need most?', options: [{ label: 'Swings' }, { label: 'Benches' }, { label: 'Trees' }] },
		{ kind: 'multiple', prompt: 'What do you do in a park?', options: [{ label: 'Play' }, { label: 'Read' }, { label: 'Meet friends' }] },
		{ kind: 'scale', prompt: 'How much do you like the park now?', options: [], emojiFaces: true, scalePoints: 5 },
		{ kind: 'ranking', prompt: 'Put these in your order', options: [{ label: 'Shade' }, { label: 'Water' }, { label: 'Flowers' }] },
		{ kind: 'short_text', prompt: 'What else should it have?', options: [] }
	];
	const made = [];
	for (const q of questions) {
		const r = await api(page, 'POST', `${base}/${id}/questions`, { easyRead: '', maxChoices: 0, emojiFaces: false, ...q });
		assert.equal(r.status, 201, JSON.stringify(r.data));
		made.push(r.data);
	}
	assert.equal((await api(page, 'POST', `${base}/${id}/status`, { status: 'open' })).status, 200);
	return { id, questions: made };
}

/** Types one form with the keyboard: the values of the fields in order, Enter after each. */
async function typeForm(page, values) {
	for (const value of values) {
		if (value !== '') await page.keyboard.type(value);
		await page.keyboard.press('Enter');
	}
}

const activeId = (page) => page.evaluate(() => document.activeElement?.id ?? '');

describe('paper forms', () => {
	scenario('the printable form shows every question and no name field, in three languages and two sizes', async ({ page, url }) => {
		await signIn(page, url);
		const { id } = await paperConsultation(page);
		for (const size of SIZES) {
			await page.setViewportSize(size);
			for (const lang of ['ro', 'en', 'hu']) {
				const label = `${lang} ${size.width}×${size.height}`;
				await page.goto(url(`/m/${BACAU}/consultations/${id}?lang=${lang}`));
				const print = page.getByRole('link', { name: PRINT[lang], exact: true });
				await print.waitFor();
				assert.equal(await page.getByRole('link', { name: ENTER[lang], exact: true }).count(), 1, `entry link, ${label}`);
				await print.focus();
				await page.keyboard.press('Enter');
				await eventually(() => assert.ok(page.url().endsWith(`/consultations/${id}/paper`)));
				const sheet = page.locator('article.sheet');
				await expectText(sheet.locator('.sheet__noname'), NO_NAME[lang]);
				assert.equal(await sheet.getAttribute('lang'), lang, `the sheet's language, ${label}`);
				await eventually(async () => assert.equal(await sheet.locator('[data-testid="paper-question"]').count(), 5));
				const text = (await sheet.textContent()) ?? '';
				for (const prompt of ['Which do you need most?', 'What do you do in a park?', 'How much do you like the park now?', 'Put these in your order', 'What else should it have?']) {
					assert.ok(text.includes(prompt), `${prompt} on the form, ${label}`);
				}
				assert.ok(text.includes('Bacău local council'), `who reads the answers, ${label}`);
				assert.ok(text.includes(ABOUT_YOU[lang]), `the optional profile, ${label}`);
				// Nothing to fill in on screen, and nowhere to write a name: boxes and lines only.
				assert.equal(await sheet.locator('input, textarea, select').count(), 0);
				assert.doesNotMatch(text, /\b(name|nume|numele|név)\s*:/i, `no name field, ${label}`);
				assert.equal(await sheet.locator('.box').count(), 3 + 3 + 5 + 3 + 4 + 4, `a box per option and profile choice, ${label}`);
				assert.ok((await sheet.locator('.line').count()) >= 5, `lines to write on, ${label}`);
				assert.equal(await overflowsHorizontally(page), false, `no sideways scrolling, ${label}`);
				await expectNoAxeViolations(page, `paper form, ${label}`);
			}
		}
		// The print preview: the site's header and the page's controls are gone, the sheet is
		// there, and Chromium makes an A4 PDF of it.
		await page.emulateMedia({ media: 'print' });
		assert.equal(await page.locator('header.header').isVisible(), false, 'no site header in print');
		assert.equal(await page.locator('.controls').isVisible(), false, 'no controls in print');
		assert.equal(await page.locator('article.sheet').isVisible(), true, 'the sheet in print');
		const pdf = await page.pdf({ format: 'A4', printBackground: false, preferCSSPageSize: true });
		assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
		const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
		assert.ok(pages >= 1 && pages <= 4, `${pages} A4 pages`);
		await page.emulateMedia({ media: 'screen' });
	});

	scenario('three forms typed in with the keyboard alone count in results, marked as paper', async ({ page, url }) => {
		await signIn(page, url);
		const { id } = await paperConsultation(page);
		const entry = `/m/${BACAU}/consultations/${id}/paper/entry`;

		await page.setViewportSize(LAPTOP);
		await page.goto(url(entry));
		const count = page.getByTestId('paper-count');
		await expectText(count, COUNT.en(0));
		await expectNoAxeViolations(page, 'paper entry, en 1366×768');
		// The one focus given; from here on, the keyboard only.
		await page.locator('#pf-q0').focus();
		// single, multiple, scale, ranking (the numbers written in the boxes, top to bottom), text, age band, gender.
		await typeForm(page, ['1', '13', '5', '231', 'more shade', '3', '2']);
		await expectText(count, COUNT.en(1));
		assert.equal(await activeId(page), 'pf-q0', 'back on the first question');
		await typeForm(page, ['1', '2', '4', '123', '', '2', '']);
		await expectText(count, COUNT.en(2));
		// A mistake is shown and not saved: a ranking with a number twice.
		await typeForm(page, ['3', '', '3', '113']);
		await eventually(async () => assert.equal(await page.locator('#pf-q3').getAttribute('aria-invalid'), 'true'));
		await typeForm(page, ['', '', '']); // on to the end: Enter on the last field tries to save
		await eventually(async () => assert.equal(await activeId(page), 'pf-q3', 'focus on the field to fix'));
		await expectText(count, COUNT.en(2));
		await page.keyboard.press('Control+A');
		await page.keyboard.type('123');
		await page.keyboard.press('Enter');
		await typeForm(page, ['', '', '']);
		await expectText(count, COUNT.en(3));
		assert.equal(await activeId(page), 'pf-q0');

		// A fourth form, whose text screening holds, is typed by mistake and taken back.
		await typeForm(page, ['2', '', '', '', 'sunați-mă: 0745 111 222', '', '']);
		await expectText(count, COUNT.en(4));
		await expectText(page.getByTestId('paper-status'), /held by screening/);
		await expectText(page.getByTestId('paper-forms').locator('li').first(), /^\s*Form 4\s.*waits in the moderation queue/s);
		page.once('dialog', (dialog) => void dialog.accept());
		await page.getByRole('button', { name: 'Remove form 4', exact: true }).click();
		await expectText(page.getByTestId('paper-status'), 'Form 4 was removed.');
		await expectText(count, COUNT.en(3));
		const queue = await api(page, 'GET', `/api/v1/municipalities/${BACAU}/consultations/${id}/moderation`);
		assert.equal(queue.data.held.length, 0, 'the removed form took its held text with it');

		// A fifth form is typed, then the second one is corrected: taken back into the fields,
		// changed, saved again under its number.
		await page.locator('#pf-q0').focus();
		await typeForm(page, ['1', '', '', '', '', '', '']);
		await expectText(count, COUNT.en(4));
		await page.getByRole('button', { name: 'Correct form 2', exact: true }).focus();
		await page.keyboard.press('Enter');
		await expectText(count, COUNT.en(3));
		await expectText(page.locator('#entry-form'), /^Correcting form 2/);
		assert.equal(await page.locator('#pf-q3').inputValue(), '123', 'the form is back in the fields');
		assert.equal(await activeId(page), 'pf-q0');
		await page.keyboard.press('Control+A');
		await typeForm(page, ['3', '', '', '', '', '', '']);
		await expectText(count, COUNT.en(4));
		await expectText(page.getByTestId('paper-status'), 'Form 2 is saved.');
		await expectText(page.locator('#entry-form'), 'Form 6');

		// The forms were printed in English (the consultation's own language, the one offered
		// first), so feedback is owed in English as well as Romanian; a form printed in
		// Hungarian makes Hungarian owed too.
		const required = async () =>
			(await api(page, 'GET', `/api/v1/municipalities/${BACAU}/consultations/${id}/feedback`)).data.requiredLanguages.slice().sort().join(',');
		const formLang = page.getByLabel('Language the forms were printed in', { exact: true });
		assert.equal(await formLang.inputValue(), 'en');
		assert.equal(await required(), 'en,ro');
		await formLang.selectOption('hu');
		await page.locator('#pf-q0').focus();
		await typeForm(page, ['3', '', '', '', '', '', '']);
		await expectText(count, COUNT.en(5));
		assert.equal(await required(), 'en,hu,ro');
		assert.equal(await formLang.inputValue(), 'hu', 'the language stays for the next form');

		// Leaving with a form half typed asks first.
		await page.locator('#pf-q0').fill('2');
		let asked = '';
		page.once('dialog', (dialog) => {
			asked = dialog.message();
			void dialog.dismiss();
		});
		await page.getByRole('link', { name: 'Back to the consultation', exact: true }).click();
		await eventually(() => assert.match(asked, /not saved/));
		assert.ok(page.url().endsWith('/paper/entry'), 'still on the entry screen');
		await page.locator('#pf-q0').fill('');

		// The other languages and the phone: the screen reads and passes axe; one more form each.
		let forms = 5;
		for (const size of SIZES) {
			await page.setViewportSize(size);
			for (const lang of ['ro', 'hu']) {
				await page.goto(url(`${entry}?lang=${lang}`));
				await expectText(count, COUNT[lang](0));
				await page.locator('#pf-q0').focus();
				await typeForm(page, ['3', '3', '3', '132', '', '', '']);
				await expectText(count, COUNT[lang](1));
				forms++;
				assert.equal(await overflowsHorizontally(page), false, `no sideways scrolling, ${lang} ${size.width}`);
				await expectNoAxeViolations(page, `paper entry, ${lang} ${size.width}×${size.height}`);
			}
		}

		// Results: every form counted, marked as paper; the ranking with its numbers.
		await page.setViewportSize(LAPTOP);
		for (const lang of ['en', 'ro', 'hu']) {
			await page.goto(url(`/m/${BACAU}/consultations/${id}/results?lang=${lang}`));
			const table = page.locator('table.ranking').first();
			await expectText(table.locator('caption'), RANKING_CAPTION[lang]);
			const body = (await page.locator('main').textContent()) ?? '';
			assert.ok(body.includes(`${ON_PAPER[lang]}: ${forms}`), `answers marked as paper (${lang})`);
			await expectNoAxeViolations(page, `results with a ranking, ${lang}`);
		}
		// Forms 1-3 ranked 231, 123, 123 and the four others 132 (places per option, top to
		// bottom). Shade: places 2,1,1,1,1,1,1 = 8/7 = 1.14; 2 points for first place over 3
		// options: 1+2+2+2+2+2+2 = 13; first 6 times. Flowers: places 1,3,3,2,2,2,2 = 15/7 = 2.14,
		// points 2+0+0+1+1+1+1 = 6, first once.
		const rows = page.locator('table.ranking').first().locator('tbody tr');
		const cells = async (i) => [await rows.nth(i).locator('th').textContent(), ...(await rows.nth(i).locator('td').allTextContents())].map((c) => c?.trim());
		assert.deepEqual(await cells(0), ['Shade', '1,14', '13', '6']);
		assert.deepEqual(await cells(2), ['Flowers', '2,14', '6', '1']);
		const texts = (await page.locator('main').textContent()) ?? '';
		assert.ok(texts.includes('more shade'), 'the approved paper text');
	});
	scenario('any form of the sitting is corrected or removed from the list, and a form that may disclose harm stays', async ({ page, url }) => {
		await signIn(page, url);
		const { id } = await paperConsultation(page);
		await page.setViewportSize(PHONE);
		await page.goto(url(`/m/${BACAU}/consultations/${id}/paper/entry`));
		const count = page.getByTestId('paper-count');
		const status = page.getByTestId('paper-status');
		const items = page.getByTestId('paper-forms').locator('li');
		await expectText(count, COUNT.en(0));
		assert.equal(await page.getByTestId('paper-forms').count(), 0, 'no list before the first form');
		await page.locator('#pf-q0').focus();
		await typeForm(page, ['1', '', '', '', 'more benches', '', '']);
		await expectText(count, COUNT.en(1));
		await typeForm(page, ['2', '', '', '', 'my stepdad hurts me', '', '']);
		await expectText(count, COUNT.en(2));
		await typeForm(page, ['3', '', '', '', '', '', '']);
		await expectText(count, COUNT.en(3));
		// Newest first, each with what was typed, to find it in the pile.
		await expectCount(items, 3);
		await expectText(items.nth(0), /^Form 3 1: Trees · 2: – /);
		await expectText(items.nth(2), /^Form 1 1: Swings · .*5: more benches/);
		assert.equal(await overflowsHorizontally(page), false, 'no sideways scrolling with the list, 360 px');
		await expectNoAxeViolations(page, 'paper entry with the forms of the sitting, en 360×640');

		// The form that may disclose harm stays, and says why.
		const press = async (name) => {
			await page.getByRole('button', { name, exact: true }).focus();
			await page.keyboard.press('Enter');
		};
		page.once('dialog', (dialog) => void dialog.accept());
		await press('Remove form 2');
		await expectText(status, /^A text on form 2 may disclose harm: it stays for the safeguarding lead/);
		assert.equal(await status.evaluate((el) => el.classList.contains('status--error')), true, 'shown as a refusal');
		// Beside the form too, where the keyboard is, not only at the top of the page.
		await expectText(items.nth(1).getByTestId('paper-refusal'), /^A text on form 2 may disclose harm/);
		await expectNoAxeViolations(page, 'paper entry with a form kept for the safeguarding lead');
		await press('Correct form 2');
		await expectText(status, /^A text on form 2 may disclose harm/);
		await expectText(count, COUNT.en(3));
		assert.equal(await page.locator('#pf-q0').inputValue(), '', 'nothing came back into the fields');

		// A removal asked about and declined changes nothing.
		page.once('dialog', (dialog) => void dialog.dismiss());
		await press('Remove form 3');
		await expectText(count, COUNT.en(3));

		// A form being typed is not overwritten by a correction.
		await page.locator('#pf-q0').fill('2');
		await press('Correct form 1');
		await expectText(status, 'Save the form being typed, or empty its fields, before correcting another.');
		await expectText(items.nth(2).getByTestId('paper-refusal'), 'Save the form being typed, or empty its fields, before correcting another.');
		await page.locator('#pf-q0').fill('');

		// The first form, two forms back, is corrected with the keyboard alone.
		await press('Correct form 1');
		await expectText(count, COUNT.en(2));
		await expectText(status, 'Form 1 was taken back: correct it, then save it again.');
		assert.equal(await activeId(page), 'pf-q0');
		assert.equal(await page.locator('#pf-q4').inputValue(), 'more benches');
		await page.keyboard.press('Control+A');
		await typeForm(page, ['2', '', '', '', '', '', '']);
		await expectText(count, COUNT.en(3));
		await expectText(items.nth(2), /^Form 1 1: Benches · .*5: more benches/);

		// The last but one removed; focus goes to the list, not lost.
		page.once('dialog', (dialog) => void dialog.accept());
		await press('Remove form 3');
		await expectText(status, 'Form 3 was removed.');
		await expectText(count, COUNT.en(2));
		await eventually(async () => assert.equal(await activeId(page), 'saved-forms'));
		await expectText(items.nth(0), /^Form 2 /);
		await expectText(page.locator('#entry-form'), 'Form 4');

		// Romanian and Hungarian say the same.
		for (const [lang, heading] of [['ro', 'Formulare introduse în această ședință'], ['hu', 'Ebben az ülésben begépelt űrlapok']]) {
			await page.setViewportSize(LAPTOP);
			await page.goto(url(`/m/${BACAU}/consultations/${id}/paper/entry?lang=${lang}`));
			await page.locator('#pf-q0').focus();
			await typeForm(page, ['1', '', '', '', '', '', '']);
			await expectText(page.locator('#saved-forms'), heading);
			await expectNoAxeViolations(page, `paper entry with its list, ${lang} 1366×768`);
		}
	});
});
