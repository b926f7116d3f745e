/**
 * A short name for the browser and system in a User-Agent header, for the
 * list of sessions ("Firefox", "Android"). Product names are not translated.
 * Order matters: Edge and Opera also say Chrome, Chrome also says Safari.
 */
const BROWSERS: readonly [RegExp, string][] = [
	[/Edg(e|A|iOS)?\//, 'Edge'],
	[/OPR\/|Opera/, 'Opera'],
	[/SamsungBrowser\//, 'Samsung Internet'],
	[/Firefox\/|FxiOS\//, 'Firefox'],
	[/Chrom(e|ium)\/|CriOS\//, 'Chrome'],
	[/Safari\//, 'Safari']
];

const SYSTEMS: readonly [RegExp, string][] = [
	[/Android/, 'Android'],
	[/iPhone|iPad|iPod/, 'iOS'],
	[/Windows/, 'Windows'],
	[/Mac OS X|Macintosh/, 'macOS'],
	[/CrOS/, 'ChromeOS'],
	[/Linux/, 'Linux']
];

export interface Device {
	readonly browser: string;
	readonly system: string;
}

/** The browser and system named by `userAgent`, or null when neither is recognised. */
export function describeDevice(userAgent: string): Device | null {
	const browser = BROWSERS.find(([pattern]) => pattern.test(userAgent))?.[1];
	const system = SYSTEMS.find(([pattern]) => pattern.test(userAgent))?.[1];
	if (browser === undefined || system === undefined) return null;
	return { browser, system };
}
