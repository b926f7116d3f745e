import { get } from 'svelte/store';
import { describe, expect, it } from 'vitest';
import { pickVoice, voicesOf, type VoiceLike } from './speech';

const voice = (lang: string, name = lang, extra: Partial<VoiceLike> = {}): VoiceLike => ({ lang, name, ...extra });

describe('pickVoice', () => {
	it('finds none when the device has no voice for the language', () => {
		expect(pickVoice([], 'ro')).toBeNull();
		expect(pickVoice([voice('en-US'), voice('de-DE')], 'hu')).toBeNull();
	});
	it('takes a voice of the language, whatever its region or spelling', () => {
		expect(pickVoice([voice('en-US'), voice('hu_HU', 'Mariska')], 'hu')?.name).toBe('Mariska');
		expect(pickVoice([voice('RO', 'Ioana')], 'ro')?.name).toBe('Ioana');
	});
	it('prefers the usual region, then an offline voice, then the default', () => {
		const voices = [voice('en-US', 'us', { default: true }), voice('en-AU', 'au', { localService: true }), voice('en-GB', 'gb')];
		expect(pickVoice(voices, 'en')?.name).toBe('gb');
		expect(pickVoice(voices.slice(0, 2), 'en')?.name).toBe('au');
		expect(pickVoice([voice('en-US', 'a'), voice('en-IN', 'b', { default: true })], 'en')?.name).toBe('b');
	});
});

describe('voicesOf', () => {
	it('is empty without speech synthesis', () => {
		expect(get(voicesOf(null))).toEqual([]);
	});
	it('follows the voices the device announces later', () => {
		let voices: VoiceLike[] = [];
		const listeners = new Set<() => void>();
		const synth = {
			getVoices: () => voices,
			addEventListener: (_: string, f: () => void) => listeners.add(f),
			removeEventListener: (_: string, f: () => void) => listeners.delete(f)
		} as unknown as SpeechSynthesis;
		const store = voicesOf(synth);
		const seen: (readonly VoiceLike[])[] = [];
		const stop = store.subscribe((v) => seen.push(v));
		expect(pickVoice(seen.at(-1) ?? [], 'ro')).toBeNull();
		voices = [voice('ro-RO', 'Ioana')];
		for (const f of listeners) f();
		expect(pickVoice(seen.at(-1) ?? [], 'ro')?.name).toBe('Ioana');
		stop();
		expect(listeners.size).toBe(0);
	});
});
