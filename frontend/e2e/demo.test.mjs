// What `make run` shows a visitor: the demo's consultations, made by the seeds through the
// same rules as a facilitator's, with paper forms already counted in the results.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { signIn } from './adult.mjs';
import { eventually } from './expect.mjs';
import { expectNoAxeViolations, useVoci } from './server.mjs';

const { scenario } = useVoci();

const TITLE = 'Cum vrem să arate parcul din cartier?';

describe('the demo content', () => {
	scenario('the Bacău facilitator finds the park consultation open, with results to read', async ({ page, url }) => {
		await signIn(page, url);
		await page.goto(url('/m/20297/consultations'));
		const link = page.getByRole('link', { name: TITLE });
		await link.waitFor();
		await expectNoAxeViolations(page, 'the demo consultations');
		await link.click();
		await eventually(async () => assert.match(new URL(page.url()).pathname, /^\/m\/20297\/consultations\/[^/]+$/));

		const id = new URL(page.url()).pathname.split('/').at(-1);
		const results = await page.evaluate(async (id) => (await fetch(`/api/v1/municipalities/20297/consultations/${id}/results`)).json(), id);
		assert.equal(results.questions.length, 7, 'one question of each kind');
		assert.equal(results.questions[0].respondents, 20, 'the paper forms are counted');
		await page.goto(url(`/m/20297/consultations/${id}/results`));
		await page.getByRole('heading', { level: 1 }).waitFor();
		await expectNoAxeViolations(page, 'the demo results');
	});
});
