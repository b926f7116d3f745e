import type { Locale } from './locales';
import type { AdultMessageKey, Message, MessageParams } from './types';

/** The messages at hand: the children's dictionary, and the adults' one once it is loaded. */
export type Messages = Readonly<Partial<Record<AdultMessageKey, Message>>>;

const PLACEHOLDER = /\{(\w+)\}/g;

/**
 * Fills `{name}` placeholders from params. Numbers are formatted for the
 * locale (3181 → "3.181" in Romanian); unknown placeholders are left as they
 * are, so a missing parameter shows up instead of silently vanishing.
 */
export function interpolate(template: string, locale: Locale, params: MessageParams = {}): string {
	return template.replace(PLACEHOLDER, (whole, name: string) => {
		const value = params[name];
		if (value === undefined) return whole;
		return typeof value === 'number' ? new Intl.NumberFormat(locale).format(value) : value;
	});
}

/** Picks the plural form for `count`, falling back to `other`. */
export function selectPlural(message: Message, locale: Locale, count: number | undefined): string {
	if (typeof message === 'string') return message;
	if (count === undefined) return message.other;
	const category = new Intl.PluralRules(locale).select(count);
	return (category !== 'zero' && category !== 'two' && message[category]) || message.other;
}

/**
 * Looks up `key` and fills its placeholders; plural messages use
 * `params.count`. A key whose dictionary is not loaded shows as itself, so the
 * mistake is visible instead of breaking the page.
 */
export function translate(messages: Messages, locale: Locale, key: AdultMessageKey, params?: MessageParams): string {
	const message = messages[key];
	if (message === undefined) return key;
	const count = typeof params?.count === 'number' ? params.count : undefined;
	return interpolate(selectPlural(message, locale, count), locale, params);
}
