// Shared harness for the browser tests: the real Voci binary on a free
// loopback port with a fresh data directory, and Debian's Chromium driven by
// playwright-core. Each test gets a new browser context and fails if the page
// throws, logs an error, or requests anything from another origin.
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const FRONTEND_DIR = fileURLToPath(new URL('..', import.meta.url));
const OUTPUT_DIR = path.join(FRONTEND_DIR, 'e2e-output');
const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const START_TIMEOUT_MS = 60_000;

export const DEMO_PASSWORD = 'demo-password-e2e-1234';

/** A narrow, cheap phone: the screen many children will use. */
export const PHONE = { width: 360, height: 740 };

/** Asks the kernel for a free port, then releases it for the server to take. */
export function freePort() {
	return new Promise((resolve, reject) => {
		const probe = net.createServer();
		probe.unref();
		probe.on('error', reject);
		probe.listen(0, '127.0.0.1', () => {
			const { port } = /** @type {net.AddressInfo} */ (probe.address());
			probe.close(() => resolve(port));
		});
	});
}

/**
 * Starts the server binary (VOCI_BIN, default ../bin/voci) on a free port with
 * demo content, and waits until /healthz and /readyz answer 200. The first
 * start seeds Romania's 3,181 administrative units, hence the long timeout.
 */
export async function startVoci() {
	const port = await freePort();
	const origin = `http://127.0.0.1:${port}`;
	const dataDir = await mkdtemp(path.join(os.tmpdir(), 'voci-e2e-'));
	const bin = path.resolve(FRONTEND_DIR, process.env.VOCI_BIN || '../bin/voci');
	const lines = [];
	const child = spawn(bin, ['serve'], {
		env: {
			...process.env,
			VOCI_ADDR: `127.0.0.1:${port}`,
			VOCI_DATA_DIR: dataDir,
			VOCI_MONGODB_URI: '',
			VOCI_DEMO: '1',
			VOCI_DEMO_PASSWORD: DEMO_PASSWORD,
			VOCI_BASE_URL: origin,
			VOCI_ALLOWED_ORIGINS: origin
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	const collect = (chunk) => lines.push(...chunk.toString().split('\n').filter(Boolean));
	child.stdout.on('data', collect);
	child.stderr.on('data', collect);
	let exited = null;
	const exit = new Promise((resolve) => {
		child.on('exit', (code, signal) => {
			exited = { code, signal };
			resolve();
		});
		child.on('error', (error) => {
			exited = { error };
			lines.push(`spawn ${bin}: ${error.message}`);
			resolve();
		});
	});

	const server = {
		origin,
		/** Everything the server printed, for a failure report. */
		log: () => lines.join('\n'),
		async stop() {
			if (exited === null) {
				child.kill('SIGTERM');
				const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
				await exit;
				clearTimeout(timer);
			}
			await rm(dataDir, { recursive: true, force: true });
		}
	};

	try {
		await waitUntilReady(origin, () => exited);
	} catch (error) {
		await server.stop();
		throw new Error(`${error.message}\n--- server output ---\n${server.log()}`);
	}
	return server;
}

async function waitUntilReady(origin, exited) {
	const deadline = Date.now() + START_TIMEOUT_MS;
	for (const probe of ['/healthz', '/readyz']) {
		for (;;) {
			if (exited() !== null) throw new Error(`voci exited before it was ready: ${JSON.stringify(exited())}`);
			try {
				const response = await fetch(origin + probe, { signal: AbortSignal.timeout(2_000) });
				if (response.status === 200) break;
			} catch {
				// Not listening yet.
			}
			if (Date.now() > deadline) throw new Error(`voci: ${probe} not 200 after ${START_TIMEOUT_MS / 1000} s`);
			await new Promise((resolve) => setTimeout(resolve, 200));
		}
	}
}

export function launchBrowser() {
	return chromium.launch({
		executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
		headless: true,
		args: [
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync'
		]
	});
}

/**
 * Runs axe-core on the page (WCAG 2.x A and AA, and best practices) and fails
 * with one readable line per violation and element.
 */
export async function expectNoAxeViolations(page, label = page.url()) {
	if (!(await page.evaluate(() => 'axe' in window))) {
		await page.addScriptTag({ path: AXE_PATH });
	}
	const violations = await page.evaluate(async () => {
		// @ts-ignore: injected above
		const result = await window.axe.run(document, {
			runOnly: {
				type: 'tag',
				values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']
			}
		});
		return result.violations.map((v) => ({
			id: v.id,
			impact: v.impact,
			help: v.help,
			targets: v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary?.replace(/\s+/g, ' ')}`)
		}));
	});
	if (violations.length > 0) {
		const report = violations
			.map((v) => `  [${v.impact}] ${v.id}: ${v.help}\n${v.targets.map((t) => `      ${t}`).join('\n')}`)
			.join('\n');
		throw new Error(`axe found ${violations.length} violation(s) on ${label}:\n${report}`);
	}
}

/**
 * Starts one server and one browser for the test file, and returns `scenario`,
 * a `test` that hands each test a fresh page, and `newPage` for the other
 * people (and tabs) a test needs. Options: `viewport`, `bypassCSP` (needed
 * to inject axe-core, see below).
 */
export function useVoci() {
	/** @type {Awaited<ReturnType<typeof startVoci>>} */
	let server;
	/** @type {import('playwright-core').Browser} */
	let browser;

	before(async () => {
		server = await startVoci();
		browser = await launchBrowser();
	});

	after(async () => {
		await browser?.close();
		await server?.stop();
	});

	/**
	 * @param {string} name
	 * @param {(ctx: { page: import('playwright-core').Page, origin: string, url: (p: string) => string, serverLog: () => string, newPage: (o?: { context?: import('playwright-core').BrowserContext, viewport?: { width: number, height: number }, locale?: string, label?: string }) => Promise<import('playwright-core').Page> }) => Promise<void>} body
	 * @param {{ viewport?: { width: number, height: number }, bypassCSP?: boolean }} [options]
	 */
	function scenario(name, body, options = {}) {
		test(name, async () => {
			const origin = server.origin;
			const problems = [];
			const contexts = [];

			/**
			 * Opens a page in a new browser context (another person's browser),
			 * or in `context` (another tab of the same person), watched like the
			 * first one.
			 */
			async function newPage(pageOptions = {}) {
				let context = pageOptions.context;
				if (!context) {
					// The server's Content-Security-Policy forbids inline scripts, which
					// is how axe-core is injected; pages checked with axe turn it off.
					// A separate test checks every page under the real policy.
					context = await browser.newContext({
						viewport: pageOptions.viewport ?? options.viewport ?? { width: 1280, height: 900 },
						bypassCSP: options.bypassCSP ?? true,
						locale: pageOptions.locale ?? 'ro-RO'
					});
					contexts.push(context);
					context.on('request', (request) => {
						const url = new URL(request.url());
						if (['data:', 'blob:', 'about:'].includes(url.protocol)) return;
						if (url.origin !== origin && url.origin !== origin.replace(/^http/, 'ws')) {
							problems.push(`request to another origin: ${request.url()}`);
						}
					});
				}
				const page = await context.newPage();
				page.setDefaultTimeout(10_000);
				const label = pageOptions.label ? `${pageOptions.label}: ` : '';
				page.on('pageerror', (error) => problems.push(`${label}uncaught: ${error.message}`));
				page.on('console', (message) => {
					// A 4xx answer to fetch is logged by Chromium; the tests expect some.
					if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
						problems.push(`${label}console error: ${message.text()}`);
					}
				});
				return page;
			}

			const page = await newPage();
			try {
				await body({ page, origin, url: (p) => origin + p, serverLog: () => server.log(), newPage });
				if (problems.length > 0) throw new Error(`the page misbehaved:\n  ${problems.join('\n  ')}`);
			} catch (error) {
				await report(name, page, server, error);
				const others = contexts.flatMap((c) => c.pages()).filter((p) => p !== page);
				await Promise.all(others.map((p, i) => p.screenshot({ path: path.join(OUTPUT_DIR, `${slug(name)}-${i + 2}.png`), fullPage: true }).catch(() => {})));
				throw error;
			} finally {
				for (const context of contexts) await context.close();
			}
		});
	}

	return { scenario, origin: () => server.origin };
}

function slug(name) {
	return name.replace(/[^a-z0-9]+/gi, '-').toLowerCase().slice(0, 80);
}

async function report(name, page, server, error) {
	mkdirSync(OUTPUT_DIR, { recursive: true });
	const screenshot = path.join(OUTPUT_DIR, `${slug(name)}.png`);
	await page.screenshot({ path: screenshot, fullPage: true }).catch(() => {});
	await writeFile(path.join(OUTPUT_DIR, `${slug(name)}.server.log`), server.log()).catch(() => {});
	const tail = server.log().split('\n').slice(-40).join('\n');
	console.error(
		`\n✗ ${name}: ${error?.message ?? error}\n  screenshot: ${screenshot}\n--- last server output ---\n${tail}\n---`
	);
}
