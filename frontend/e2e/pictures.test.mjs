// Issue 8, §3 and §11: a facilitator gives a question and an option a picture in the editor
// (a file that is not a picture is refused, and says why); a child's phone shows both in a
// live session, sized for the phone, with their descriptions; the projector shows the
// question's; duplicating the consultation copies the pictures.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { deflateSync } from 'node:zlib';
import { eventually, expectText } from './expect.mjs';
import { api, signIn } from './adult.mjs';
import { expectNoAxeViolations, PHONE, useVoci } from './server.mjs';

const { scenario } = useVoci();

const BACAU = 20297;

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
	let c = n;
	for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
	return c >>> 0;
});

function crc32(bytes) {
	let c = 0xffffffff;
	for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
	return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
	const out = Buffer.alloc(12 + data.length);
	out.writeUInt32BE(data.length, 0);
	out.write(type, 4, 'ascii');
	data.copy(out, 8);
	out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
	return out;
}

/** A w×h RGB PNG: a sky over grass, so that it is plainly a picture. */
function png(w, h) {
	const header = Buffer.alloc(13);
	header.writeUInt32BE(w, 0);
	header.writeUInt32BE(h, 4);
	header.set([8, 2, 0, 0, 0], 8);
	const rows = Buffer.alloc(h * (1 + w * 3));
	for (let y = 0; y < h; y++) {
		const grass = y > h * 0.6;
		for (let x = 0; x < w; x++) rows.set(grass ? [40, 150, 60] : [120, 180, 240], y * (1 + w * 3) + 1 + x * 3);
	}
	return Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		chunk('IHDR', header),
		chunk('IDAT', deflateSync(rows)),
		chunk('IEND', Buffer.alloc(0))
	]);
}

/** The picture an <img> shows has loaded, and is the copy for its width. */
async function expectLoaded(img) {
	await eventually(async () => {
		const { complete, naturalWidth, src } = await img.evaluate((el) => ({
			complete: el.complete,
			naturalWidth: el.naturalWidth,
			src: el.currentSrc
		}));
		assert.ok(complete && naturalWidth > 0, `the picture loaded (${src})`);
	});
}

describe('pictures on questions and options', () => {
	scenario('a facilitator adds pictures in the editor and a child sees them on a phone', async ({ page, url, newPage }) => {
		await signIn(page, url);
		const created = await api(page, 'POST', `/api/v1/municipalities/${BACAU}/consultations`, {
			title: 'The park with pictures',
			modes: ['live'],
			audienceBody: 'Bacău local council',
			answerBy: '2027-06-30T12:00:00Z'
		});
		assert.equal(created.status, 201);
		const base = `/api/v1/municipalities/${BACAU}/consultations/${created.data.id}`;
		const question = await api(page, 'POST', `${base}/questions`, {
			kind: 'single',
			prompt: 'What should the park have first?',
			options: [{ label: 'Swings' }, { label: 'A pond' }]
		});
		assert.equal(question.status, 201);

		await page.goto(url(`/m/${BACAU}/consultations/${created.data.id}`));
		await expectText(page.locator('h1'), 'The park with pictures');
		await page.getByRole('button', { name: 'Edit question 1' }).click();
		// Each picture has its own group, named by what it belongs to.
		const field = (legend) => page.locator('fieldset').filter({ has: page.locator('legend', { hasText: legend }) });
		const own = field("The question's picture");
		const pond = field('Picture of option 2: A pond');
		const choose = 'Choose a picture (PNG, JPEG or WebP, at most 5 MB)';
		await expectNoAxeViolations(page, 'the question editor with its picture fields');

		// A text file named .png is refused, in words.
		await own.getByLabel(choose).setInputFiles({ name: 'notes.png', mimeType: 'image/png', buffer: Buffer.from('these are my notes\n') });
		await own.getByLabel('Short description').fill('Notes');
		await own.getByRole('button', { name: 'Upload the picture' }).click();
		await expectText(own.locator('.status'), 'This file is not a PNG, JPEG or WebP picture, or it is damaged.');
		// Without a description, nothing is sent.
		await own.getByLabel(choose).setInputFiles({ name: 'park.png', mimeType: 'image/png', buffer: png(1200, 600) });
		await own.getByLabel('Short description').fill('');
		await own.getByRole('button', { name: 'Upload the picture' }).click();
		await expectText(own.locator('.status'), 'Describe the picture in a few words.');

		// The question's picture, then option 2's.
		await own.getByLabel('Short description').fill('The empty field behind the scool');
		await own.getByRole('button', { name: 'Upload the picture' }).click();
		await expectText(own.locator('.status'), 'The picture is saved.');
		await expectLoaded(page.getByRole('img', { name: 'The empty field behind the scool' }));
		const ownSrc = await page.getByRole('img', { name: 'The empty field behind the scool' }).getAttribute('src');
		// A mistake in the description is corrected in place, with the keyboard, without
		// choosing the picture again; an empty one is refused in words.
		const description = own.getByLabel('Description of this picture', { exact: true });
		assert.equal(await description.inputValue(), 'The empty field behind the scool');
		await description.fill('');
		await description.press('Enter');
		await expectText(own.locator('.status'), 'Describe the picture in a few words.');
		await description.fill('The empty field behind the school');
		await description.press('Enter');
		await expectText(own.locator('.status'), 'The description is saved.');
		await expectLoaded(page.getByRole('img', { name: 'The empty field behind the school' }));
		assert.equal(await page.getByRole('img', { name: 'The empty field behind the school' }).getAttribute('src'), ownSrc, 'the same picture');
		await pond.getByLabel(choose).setInputFiles({ name: 'pond.png', mimeType: 'image/png', buffer: png(400, 300) });
		await pond.getByLabel('Short description').fill('A small pond with ducks');
		await pond.getByRole('button', { name: 'Upload the picture' }).click();
		await expectLoaded(page.getByRole('img', { name: 'A small pond with ducks' }));
		await expectNoAxeViolations(page, 'the question editor with two pictures');

		// Live: a child joins from a phone and the question opens.
		await page.getByRole('button', { name: 'Open the consultation' }).click();
		await page.getByRole('button', { name: 'Start a live session' }).click();
		await expectText(page.locator('h1'), 'Live session');
		const code = (await page.getByTestId('join-code').textContent({ timeout: 10_000 }))?.trim();
		const presenter = await newPage({ context: page.context(), label: 'presenter' });
		await presenter.goto(url(`${new URL(page.url()).pathname}/presenter`));
		await expectText(presenter.getByTestId('presenter-code'), code);

		const phone = await newPage({ viewport: PHONE, label: 'child' });
		await phone.goto(url(`/join?lang=en&code=${code}`));
		await phone.getByRole('button', { name: 'Join', exact: true }).click();
		await eventually(() => assert.equal(new URL(phone.url()).pathname, '/session'));
		await page.getByRole('button', { name: /^Open\W*Question 1$/ }).click();
		await expectText(phone.locator('#question-heading'), 'What should the park have first?');

		const picture = phone.getByRole('img', { name: 'The empty field behind the school' });
		await expectLoaded(picture);
		// The phone gets a copy for its width, not the 1200-pixel picture.
		const src = await picture.evaluate((el) => el.currentSrc);
		assert.match(src, /\/api\/v1\/pictures\/[a-z0-9]+\?w=(320|640|960)$/);
		// The option's picture is inside its answer tile, so its description is part of the choice.
		await expectLoaded(phone.getByRole('radio', { name: /A pond/ }).locator('xpath=..').getByRole('img', { name: 'A small pond with ducks' }));
		await expectNoAxeViolations(phone, "a child's phone with pictures");
		// The picture leaves room for the answers: at most 28% of the phone's height.
		const box = await picture.boundingBox();
		assert.ok(box && box.height <= PHONE.height * 0.28 + 1 && box.width <= PHONE.width, `the picture's size (${JSON.stringify(box)})`);
		await phone.getByRole('radio', { name: /A pond/ }).check();
		await phone.getByRole('button', { name: 'Send', exact: true }).click();
		await expectText(phone.locator('.ack__text'), 'Got it!');

		// The projector shows the question's picture.
		await expectLoaded(presenter.getByRole('img', { name: 'The empty field behind the school' }));
		// Revealed, the chart draws the option's picture beside its bar.
		await page.getByRole('button', { name: 'Lock answers' }).click();
		await page.getByRole('button', { name: 'Reveal results' }).click();
		await expectLoaded(presenter.getByTestId('reveal-chart').locator('img[alt="A small pond with ducks"]'));
		await expectNoAxeViolations(presenter, 'the reveal with an option picture');

		// Children have seen the question: its descriptions are shown, no longer edited.
		await page.goto(url(`/m/${BACAU}/consultations/${created.data.id}`));
		await page.getByRole('button', { name: 'Edit question 1' }).click();
		await expectText(field("The question's picture"), /Description: The empty field behind the school/);
		assert.equal(await page.getByLabel('Description of this picture', { exact: true }).count(), 0);
		const frozen = await api(page, 'PATCH', `${base}/questions/${question.data.id}/picture`, { alt: 'Another field' });
		assert.equal(frozen.status, 409);
		assert.equal(frozen.data.code, 'question_frozen');

		// Duplicated: a new draft whose question carries copies of the pictures.
		await page.goto(url(`/m/${BACAU}/consultations/${created.data.id}`));
		await page.getByRole('button', { name: 'Duplicate as a new draft' }).click();
		await expectText(page.locator('h1'), 'The park with pictures (copy)');
		assert.notEqual(new URL(page.url()).pathname, `/m/${BACAU}/consultations/${created.data.id}`);
		await page.getByRole('button', { name: 'Edit question 1' }).click();
		await expectLoaded(page.getByRole('img', { name: 'A small pond with ducks' }));
		// The copy is not frozen: its pictures may change.
		await assert.doesNotReject(page.getByLabel('Choose another picture (PNG, JPEG or WebP, at most 5 MB)').first().waitFor());
	});
});
