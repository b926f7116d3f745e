import type { Locale } from '$lib/i18n/locales';

/** Romania's time zone: adults read times as they are in Romania, wherever the server runs. */
export const TIME_ZONE = 'Europe/Bucharest';

function parse(iso: string): Date | null {
	const date = new Date(iso);
	return Number.isNaN(date.getTime()) ? null : date;
}

/** "23 nov. 2026, 17:05" in the locale; the input as it is when it is not a date. */
export function formatDateTime(iso: string, locale: Locale): string {
	const date = parse(iso);
	if (date === null) return iso;
	return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: TIME_ZONE }).format(date);
}

/** "15 aprilie 2026, 20:00": a moment a child must not miss, such as when a link closes. */
export function formatMoment(iso: string, locale: Locale): string {
	const date = parse(iso);
	if (date === null) return iso;
	return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'short', timeZone: TIME_ZONE }).format(date);
}

/**
 * A calendar day. `YYYY-MM-DD` is a day, not an instant, so it is shown
 * as written whatever the zone; a full timestamp is shown as its day in Romania.
 */
export function formatDate(value: string, locale: Locale): string {
	const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
	if (day) {
		const date = new Date(Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3])));
		return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(date);
	}
	const date = parse(value);
	if (date === null) return value;
	return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: TIME_ZONE }).format(date);
}

/** Today in Romania as `YYYY-MM-DD`, for a date field's default and maximum. */
export function todayInRomania(now: Date = new Date()): string {
	// en-CA writes dates as YYYY-MM-DD.
	return new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}
