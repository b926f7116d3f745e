// Signing in and out, the second step, where the sign-in leads, and the
// account page, against the real server with its demo accounts.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { ACCOUNT_HEADING, demo, LOGIN, menuLinks, signIn, START_HEADING } from './adults.mjs';
import {
	eventually,
	expectPage,
	expectText,
	focused,
	HEADINGS,
	overflowsHorizontally,
	smallTouchTargets,
	tabTo
} from './expect.mjs';
import { DEMO_PASSWORD, expectNoAxeViolations, PHONE, useVoci } from './server.mjs';
import { totpCode } from './totp.mjs';

const { scenario } = useVoci();

describe('signing in', () => {
	const cases = [
		{ lang: 'ro', email: demo('coordinator', 'bacau'), menu: ['Persoane', 'Localitatea mea', 'Jurnal'] },
		{ lang: 'en', email: demo('facilitator', 'brasov'), menu: [] },
		{ lang: 'hu', email: demo('national'), menu: ['Személyek', 'Napló'] }
	];
	for (const { lang, email, menu } of cases) {
		scenario(`with a demo account, in ${lang}, leads to the start page and shows who is signed in`, async ({ page, url }) => {
			await page.goto(url(`/login?lang=${lang}`));
			await expectPage(page, lang, LOGIN.heading[lang]);
			await expectNoAxeViolations(page, `/login?lang=${lang}`);
			await signIn(page, url, email, { lang });
			await expectPage(page, lang, START_HEADING[lang]);
			const header = page.locator('header');
			await expectText(header.locator('a[href="/account"]'), /\S/);
			assert.ok(await header.getByRole('button', { name: LOGIN.signOut[lang], exact: true }).isVisible());
			// The adults' pages come after the public links.
			const hrefs = await page.locator('nav.nav a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
			const firstAdult = hrefs.findIndex((href) => /^\/(people|audit|municipalities\/\d+\/settings)$/.test(href ?? ''));
			const links = await menuLinks(page);
			assert.deepEqual(firstAdult === -1 ? [] : links.slice(firstAdult), menu, 'the menu holds what the roles open');
			await expectText(page.locator('main'), new RegExp(email.replace(/\./g, '\\.')));
			await expectNoAxeViolations(page, `/start?lang=${lang}`);
			const me = await (await page.request.get(url('/api/v1/me'))).json();
			assert.equal(me.lang, lang, 'the account remembers the language it signed in in, for the mail it is sent');
		});
	}

	scenario('says so when the password is wrong, and keeps the adult in the field', async ({ page, url }) => {
		await page.goto(url('/login?lang=en'));
		await page.getByLabel('Email address').fill(demo('coordinator', 'brasov'));
		await page.getByLabel('Password', { exact: true }).fill('not-the-password-at-all');
		await page.getByRole('button', { name: 'Sign in', exact: true }).click();
		const status = page.locator('#login-status');
		await expectText(status, LOGIN.wrong.en);
		assert.equal(await status.getAttribute('aria-live'), 'polite');
		assert.equal(await focused(page), 'input#login-password');
		assert.equal(await page.getByLabel('Password', { exact: true }).getAttribute('aria-invalid'), 'true');
		assert.equal(new URL(page.url()).pathname, '/login');
		await expectNoAxeViolations(page, 'the wrong-password message');
	});

	scenario('an unknown address gets the same answer as a wrong password', async ({ page, url }) => {
		await page.goto(url('/login?lang=hu'));
		await page.getByLabel('E-mail-cím').fill('nobody@example.org');
		await page.getByLabel('Jelszó', { exact: true }).fill('whatever-it-might-be');
		await page.getByRole('button', { name: 'Belépés', exact: true }).click();
		await expectText(page.locator('#login-status'), LOGIN.wrong.hu);
	});

	scenario('goes back to the page that asked for it, and never to another site', async ({ page, url, origin }) => {
		await page.goto(url('/account?lang=en'));
		await eventually(() => assert.equal(new URL(page.url()).pathname, '/login'));
		assert.match(new URL(page.url()).searchParams.get('next') ?? '', /^\/account(\?|$)/);
		await expectText(page.locator('main'), /Sign in to continue\./);

		await signIn(page, url, demo('council', 'moinesti'), { next: '//example.org/steal', landing: '/start' });
		assert.equal(new URL(page.url()).origin, origin);
	});

	scenario('works with the keyboard alone, from the header', async ({ page, url }) => {
		await page.goto(url('/?lang=en'));
		await expectPage(page, 'en', HEADINGS['/'].en);
		await tabTo(page, (f) => f === 'a "Sign in"');
		await page.keyboard.press('Enter');
		await expectPage(page, 'en', LOGIN.heading.en);
		await tabTo(page, (f) => f === 'input#login-email');
		await page.keyboard.type(demo('safeguarding', 'bacau'));
		await page.keyboard.press('Tab');
		assert.equal(await focused(page), 'input#login-password');
		await page.keyboard.type(DEMO_PASSWORD);
		await page.keyboard.press('Enter');
		await expectPage(page, 'en', START_HEADING.en);
	});
});

describe('a session that ends, a second factor that is required', () => {
	scenario('an ended session sends the adult to sign in again, and back', async ({ page, url }) => {
		await signIn(page, url, demo('council', 'colonesti'), { next: '/account' });
		// Ended from elsewhere: the cookie no longer stands for a session.
		const me = await (await page.request.get(url('/api/v1/me'))).json();
		const out = await page.request.post(url('/api/v1/auth/logout'), { headers: { 'X-CSRF-Token': me.csrfToken } });
		assert.equal(out.status(), 204);
		await page.getByRole('textbox', { name: 'Display name' }).fill('Someone');
		await page.getByRole('button', { name: 'Save name' }).click();
		await expectPage(page, 'en', LOGIN.heading.en);
		assert.equal(new URL(page.url()).searchParams.get('next'), '/account');
		assert.equal(await page.locator('header a[href="/account"]').count(), 0, 'the header no longer names anyone');
	});

	scenario('an adult whose role requires two-step sign-in is sent to set it up first', async ({ page, url }) => {
		// Demo accounts are exempt; this stands in for a real national member's answer.
		await page.route(/\/api\/v1\/(me|auth\/login)$/, async (route) => {
			const real = await route.fetch();
			const body = await real.json();
			await route.fulfill({ response: real, json: real.ok() ? { ...body, totpRequired: true, mustSetUpTotp: true } : body });
		});
		await signIn(page, url, demo('national'), { next: '/people' , landing: '/account' });
		await page.goto(url('/audit'));
		await eventually(() => assert.equal(new URL(page.url()).pathname, '/account'));
		await expectText(page.locator('main .status--error').first(), /Your role requires two-step sign-in/);
		assert.equal(await page.getByRole('heading', { name: 'Change password' }).count(), 0, 'only the set-up is offered');
		assert.ok(await page.getByRole('button', { name: 'Turn on two-step sign-in' }).isVisible());
		await expectNoAxeViolations(page, 'the required set-up');
	});
});

describe('signing out', () => {
	scenario('ends the session on the server and shows the sign-in link again', async ({ page, url }) => {
		await signIn(page, url, demo('facilitator', 'corbasca'), { lang: 'ro' });
		await page.getByRole('button', { name: LOGIN.signOut.ro, exact: true }).click();
		await expectPage(page, 'ro', LOGIN.heading.ro);
		await expectText(page.locator('main [role="status"]'), LOGIN.signedOut.ro);
		assert.equal((await page.request.get(url('/api/v1/me'))).status(), 401);
		await page.goto(url('/'));
		await expectText(page.locator('header a[href="/login"]'), 'Autentificare');
		await page.goto(url('/account'));
		await eventually(() => assert.equal(new URL(page.url()).pathname, '/login'));
	});
});

describe('the account page', () => {
	scenario('changes the display name, and the header follows', async ({ page, url }) => {
		await signIn(page, url, demo('council', 'bacau'), { next: '/account' });
		await page.getByRole('textbox', { name: 'Display name' }).fill('Ana Popescu');
		await page.getByRole('button', { name: 'Save name' }).click();
		await expectText(page.locator('#display-name-status'), 'Your name has been saved.');
		await expectText(page.locator('header a[href="/account"]'), 'Ana Popescu');
		await page.reload();
		await expectText(page.locator('header a[href="/account"]'), 'Ana Popescu');
	});

	scenario('sets the language of Voci\'s emails', async ({ page, url }) => {
		await signIn(page, url, demo('safeguarding', 'bacau'), { next: '/account' });
		// Signed in on an English page, the emails are in English until changed.
		assert.equal(await page.getByLabel('Write to me in').inputValue(), 'en');
		await page.getByLabel('Write to me in').selectOption('hu');
		await page.getByRole('button', { name: 'Save language' }).click();
		await expectText(page.locator('#email-lang-status'), 'The language has been saved.');
		const me = await page.evaluate(async () => (await fetch('/api/v1/me')).json());
		assert.equal(me.lang, 'hu');
		await page.reload();
		assert.equal(await page.getByLabel('Write to me in').inputValue(), 'hu');
	});

	scenario('explains the password policy and refuses a short or mismatched password before sending it', async ({ page, url }) => {
		const sent = [];
		page.on('request', (r) => r.url().endsWith('/api/v1/me/password') && sent.push(r));
		await signIn(page, url, demo('council', 'brasov'), { next: '/account' });
		await expectText(page.locator('#change-policy'), /At least 12 characters/);
		await page.getByLabel('Current password').fill(DEMO_PASSWORD);
		await page.getByLabel('New password', { exact: true }).fill('short');
		await page.getByLabel('New password again').fill('short');
		await page.getByRole('button', { name: 'Change password' }).click();
		await expectText(page.locator('#password-status'), 'The new password has fewer than 12 characters.');
		assert.equal(await focused(page), 'input#change-new');
		await page.getByLabel('New password', { exact: true }).fill('plum orchard ferry lantern');
		await page.getByLabel('New password again').fill('plum orchard ferry lanterns');
		await page.getByRole('button', { name: 'Change password' }).click();
		await expectText(page.locator('#password-status'), 'The two new passwords are not the same.');
		assert.equal(sent.length, 0);

		await page.getByLabel('Current password').fill('not-my-password');
		await page.getByLabel('New password again').fill('plum orchard ferry lantern');
		await page.getByRole('button', { name: 'Change password' }).click();
		await expectText(page.locator('#password-status'), 'The current password is not right.');

		await page.getByLabel('Current password').fill(DEMO_PASSWORD);
		await page.getByLabel('New password', { exact: true }).fill('password1234');
		await page.getByLabel('New password again').fill('password1234');
		await page.getByRole('button', { name: 'Change password' }).click();
		await expectText(page.locator('#password-status'), /too easy to guess/);
	});

	scenario('changes the password for real', async ({ page, url }) => {
		await signIn(page, url, demo('facilitator', 'moinesti'), { next: '/account' });
		await page.getByLabel('Current password').fill(DEMO_PASSWORD);
		await page.getByLabel('New password', { exact: true }).fill('plum orchard ferry lantern');
		await page.getByLabel('New password again').fill('plum orchard ferry lantern');
		await page.getByRole('button', { name: 'Change password' }).click();
		await expectText(page.locator('#password-status'), /Your password has been changed/);
		await page.getByRole('button', { name: 'Sign out', exact: true }).click();
		await expectPage(page, 'en', LOGIN.heading.en);
		await signIn(page, url, demo('facilitator', 'moinesti'), { password: 'plum orchard ferry lantern' });
	});

	scenario('turns on two-step sign-in with a QR code drawn on the page, then asks for the code at sign-in', async ({ page, url }) => {
		const email = demo('safeguarding', 'colonesti');
		await signIn(page, url, email, { next: '/account' });
		await page.getByRole('button', { name: 'Turn on two-step sign-in' }).click();
		const qr = page.getByRole('img', { name: 'QR code for the authenticator app' });
		await eventually(async () => assert.ok(await qr.isVisible()));
		assert.ok((await qr.locator('path').getAttribute('d'))?.length > 100, 'the QR code has modules');
		assert.equal(await focused(page), 'input#totp-code');
		await expectNoAxeViolations(page, 'two-step set-up');

		await page.getByLabel('The 6-digit code the app shows').fill('000000');
		await page.getByRole('button', { name: 'Confirm and turn on' }).click();
		await expectText(page.locator('#totp-status'), /The code is not right/);

		const secret = (await page.locator('#totp-secret').textContent()) ?? '';
		await page.getByLabel('The 6-digit code the app shows').fill(totpCode(secret));
		await page.getByRole('button', { name: 'Confirm and turn on' }).click();
		await expectText(page.locator('#totp-status'), 'Two-step sign-in is now on.');
		await expectText(page.locator('#totp-heading + p'), /Two-step sign-in is on/);

		await page.getByRole('button', { name: 'Sign out', exact: true }).click();
		await expectPage(page, 'en', LOGIN.heading.en);
		await page.getByLabel('Email address').fill(email);
		await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
		await page.getByRole('button', { name: 'Sign in', exact: true }).click();
		const code = page.getByLabel(LOGIN.totpLabel.en);
		await eventually(async () => assert.equal(await focused(page), 'input#login-totp'));
		await expectNoAxeViolations(page, 'the second step');
		await code.fill('12345');
		await page.getByRole('button', { name: LOGIN.totpSubmit.en }).click();
		await expectText(page.locator('#login-status'), 'The code has 6 digits.');
		// Each code opens one sign-in, and turning the factor on used the current one: the
		// next code (accepted a step early, for clocks that drift) signs in.
		await code.fill(totpCode(secret, Date.now() + 30_000));
		await page.getByRole('button', { name: LOGIN.totpSubmit.en }).click();
		await expectPage(page, 'en', START_HEADING.en);
	});

	scenario('lists the sessions, ends another one, and signs out everywhere', async ({ page, url, origin }) => {
		const email = demo('coordinator', 'corbasca');
		// A second session, opened outside the browser.
		const other = await fetch(`${origin}/api/v1/auth/login`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json', 'User-Agent': 'Mozilla/5.0 (Windows NT 10.0) Firefox/140.0' },
			body: JSON.stringify({ email, password: DEMO_PASSWORD })
		});
		assert.equal(other.status, 200);
		await signIn(page, url, email, { next: '/account' });
		const list = page.locator('.sessions li');
		await eventually(async () => assert.equal(await list.count(), 2));
		await expectText(list.filter({ hasText: 'this device' }), /Chrome on Linux/);
		await page.getByRole('button', { name: /^End\b.*Firefox on Windows/ }).click();
		await expectText(page.locator('#sessions-status'), 'The session has been ended.');
		await eventually(async () => assert.equal(await list.count(), 1));
		await page.getByRole('button', { name: 'Sign out everywhere' }).click();
		await expectPage(page, 'en', LOGIN.heading.en);
		assert.equal((await page.request.get(url('/api/v1/me'))).status(), 401);
	});

	for (const lang of ['ro', 'en', 'hu']) {
		scenario(
			`is accessible and fits a phone, in ${lang}`,
			async ({ page, url }) => {
				await signIn(page, url, demo('admin'), { lang, next: '/account' });
				await expectPage(page, lang, ACCOUNT_HEADING[lang]);
				await eventually(async () => assert.ok((await page.locator('.sessions li').count()) > 0));
				await expectNoAxeViolations(page, `/account in ${lang}`);
				assert.deepEqual(await smallTouchTargets(page), [], 'touch targets of at least 44×44 px');
				assert.equal(await overflowsHorizontally(page), false, 'no sideways scrolling at 360 px');
			},
			{ viewport: PHONE }
		);
	}
});
