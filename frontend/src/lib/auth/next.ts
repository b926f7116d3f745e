/**
 * Where to go after signing in. `?next=` comes from the address, which anyone
 * can write, so only a path on this site is followed: never another origin
 * (`//evil.example`, `https://…`, `/\evil`), never a script (`javascript:`).
 */
export function safeNext(raw: string | null | undefined, fallback = '/start'): string {
	if (!raw || !raw.startsWith('/') || raw.startsWith('//') || raw.includes('\\')) return fallback;
	// Control characters and whitespace can smuggle a second slash past the check above.
	if (/[\u0000-\u001f\u007f\s]/.test(raw)) return fallback;
	let url: URL;
	try {
		url = new URL(raw, 'http://voci.invalid');
	} catch {
		return fallback;
	}
	if (url.origin !== 'http://voci.invalid') return fallback;
	// Going back to the sign-in page would be a loop.
	if (url.pathname === '/login') return fallback;
	return `${url.pathname}${url.search}${url.hash}`;
}

/** The sign-in page, remembering where to come back to. */
export function loginPath(next: string): string {
	const target = safeNext(next, '');
	return target === '' || target === '/' ? '/login' : `/login?next=${encodeURIComponent(target)}`;
}
