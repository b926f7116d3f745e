// Which pages are children's: they take the device's language, and the ones where a child
// is taking part show only the session (no site header, menu or footer to leave by).

/**
 * Children's pages: joining, a live session, a self-paced link, a receipt code's page and a
 * youth council member's own page, their meeting room, and the gallery classmates follow.
 */
export function isChildrensPage(pathname: string): boolean {
	return (
		pathname === '/join' ||
		pathname.startsWith('/join/') ||
		pathname === '/session' ||
		pathname.startsWith('/p/') ||
		pathname === '/r' ||
		pathname === '/council' ||
		pathname.startsWith('/council/') ||
		pathname.startsWith('/meeting/')
	);
}

/** Pages that show the session alone, from a route ID ("/session", "/p/[key]"). */
export function isFocusedRoute(routeId: string | null | undefined): boolean {
	return routeId === '/session' || routeId === '/p/[key]';
}

/** Pages with the site's header, menu and footer: all but a child's session and the projector. */
export function hasSiteChrome(routeId: string | null | undefined): boolean {
	return !isFocusedRoute(routeId) && !(routeId?.endsWith('/presenter') ?? false);
}

/**
 * Children's pages written out at build time as an empty shell: they show nothing before
 * this device's session or the server's answer is known, so the page renders once started.
 */
export function isShellRoute(routeId: string | null | undefined): boolean {
	return routeId === '/session' || routeId === '/p/[key]' || routeId === '/join/next';
}
