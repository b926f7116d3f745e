import { afterEach, describe, expect, it, vi } from 'vitest';
import { CSRF_HEADER, getJSON, onProblem, sendForm, sendJSON, useCsrfToken } from './client';

function answer(status: number, body?: unknown): Response {
	return new Response(body === undefined ? null : JSON.stringify(body), {
		status,
		headers: body === undefined ? {} : { 'Content-Type': 'application/json' }
	});
}

afterEach(() => {
	vi.unstubAllGlobals();
	useCsrfToken('');
});

describe('sendJSON', () => {
	it('sends the session’s CSRF token and the body as JSON', async () => {
		const fetch = vi.fn().mockResolvedValue(answer(200, { ok: 1 }));
		vi.stubGlobal('fetch', fetch);
		useCsrfToken('tok');
		expect(await sendJSON('PATCH', '/api/v1/me', { displayName: 'Ana' })).toEqual({ ok: true, data: { ok: 1 } });
		const [path, init] = fetch.mock.calls[0] as [string, RequestInit];
		expect(path).toBe('/api/v1/me');
		expect(init.method).toBe('PATCH');
		expect(init.body).toBe('{"displayName":"Ana"}');
		expect((init.headers as Record<string, string>)[CSRF_HEADER]).toBe('tok');
		expect((init.headers as Record<string, string>)['Content-Type']).toBe('application/json');
		expect(init.credentials).toBe('same-origin');
	});

	it('sends a child’s participant token as a bearer token, on reads and writes', async () => {
		const fetch = vi.fn().mockResolvedValue(answer(200, { ok: 1 }));
		vi.stubGlobal('fetch', fetch);
		await getJSON('/api/v1/self-paced/k/me', { bearer: 'child-token' });
		await sendJSON('PUT', '/api/v1/self-paced/k/me/profile', { ageBand: '' }, { bearer: 'child-token' });
		for (const [, init] of fetch.mock.calls as [string, RequestInit][]) {
			expect((init.headers as Record<string, string>).Authorization).toBe('Bearer child-token');
		}
	});

	it('treats 204 and 202 without a body as success', async () => {
		vi.stubGlobal('fetch', vi.fn().mockResolvedValueOnce(answer(204)).mockResolvedValueOnce(answer(202)));
		expect(await sendJSON('POST', '/api/v1/auth/logout')).toEqual({ ok: true, data: undefined });
		expect(await sendJSON('POST', '/api/v1/auth/password-reset', { email: 'a@b.ro' })).toEqual({ ok: true, data: undefined });
	});

	it('still calls a 200 without JSON a problem', async () => {
		vi.stubGlobal('fetch', vi.fn().mockResolvedValue(new Response('<html>', { status: 200 })));
		expect((await getJSON('/api/v1/me')).ok).toBe(false);
	});

	it('tells listeners about every error answer', async () => {
		vi.stubGlobal('fetch', vi.fn().mockResolvedValue(answer(401, { code: 'unauthorized', status: 401 })));
		const seen: string[] = [];
		const stop = onProblem((problem) => seen.push(problem.code));
		await getJSON('/api/v1/me');
		stop();
		await getJSON('/api/v1/me');
		expect(seen).toEqual(['unauthorized']);
	});

	it('keeps a refused child token from the listeners, which would sign an adult out', async () => {
		vi.stubGlobal('fetch', vi.fn().mockResolvedValue(answer(401, { code: 'unauthorized', status: 401 })));
		const seen: string[] = [];
		const stop = onProblem((problem) => seen.push(problem.code));
		const read = await getJSON('/api/v1/self-paced/k/me', { bearer: 'stale-child-token' });
		const write = await sendJSON('PUT', '/api/v1/self-paced/k/me/profile', {}, { bearer: 'stale-child-token' });
		stop();
		expect(read.ok || write.ok).toBe(false);
		expect(seen).toEqual([]);
	});

	it('sends no token header when signed out', async () => {
		const fetch = vi.fn().mockResolvedValue(answer(204));
		vi.stubGlobal('fetch', fetch);
		await sendJSON('POST', '/api/v1/auth/logout');
		const init = fetch.mock.calls[0]?.[1] as RequestInit;
		expect(CSRF_HEADER in (init.headers as Record<string, string>)).toBe(false);
		expect(init.body).toBeUndefined();
	});
});

describe('sendForm', () => {
	it('sends a form with the given CSRF token and no content type of its own, and reads a problem', async () => {
		const fetch = vi.fn().mockResolvedValue(
			new Response(JSON.stringify({ code: 'attachment_too_large', detail: 'Too large.' }), {
				status: 413,
				headers: { 'Content-Type': 'application/problem+json' }
			})
		);
		vi.stubGlobal('fetch', fetch);
		const form = new FormData();
		form.append('file', new Blob(['%PDF-1.4']), 'a.pdf');
		const got = await sendForm('POST', '/api/v1/x/attachments', form, { csrfToken: 'tok' });
		expect(got.ok).toBe(false);
		if (!got.ok) expect(got.problem.code).toBe('attachment_too_large');
		const [, init] = fetch.mock.calls[0] as [string, RequestInit];
		expect(init.method).toBe('POST');
		expect(init.body).toBe(form);
		expect((init.headers as Record<string, string>)[CSRF_HEADER]).toBe('tok');
		expect((init.headers as Record<string, string>)['Content-Type']).toBeUndefined();
	});

	it('answers a network failure with a problem, never a throw', async () => {
		vi.stubGlobal('fetch', vi.fn().mockRejectedValue(new TypeError('offline')));
		const got = await sendForm('PUT', '/api/v1/x/picture', new FormData());
		expect(got.ok).toBe(false);
	});
});
