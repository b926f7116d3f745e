const preloads = /[ \t]*<link href="[^"]+" rel="modulepreload">\n?/g;

/**
 * Moves a page's script preloads from its head to the end of its body, for a page whose first
 * screen is in the HTML: on a slow network they would otherwise share the bandwidth with the
 * rest of the page, and that screen would show later.
 */
export function preloadAfterContent(html: string): string {
	const links = html.match(preloads);
	if (!links || !html.includes('</body>')) return html;
	return html.replace(preloads, '').replace('</body>', `${links.join('')}</body>`);
}
