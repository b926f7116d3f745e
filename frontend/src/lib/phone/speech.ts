// Reading aloud with the browser's own speech synthesis: nothing is downloaded and nothing
// leaves the device. A "read to me" button is offered only where the device has a voice for
// the child's language; a Romanian text read by an English voice would not help anyone.
import { readable, type Readable } from 'svelte/store';

/** The parts of a SpeechSynthesisVoice that choosing one needs. */
export interface VoiceLike {
	readonly lang: string;
	readonly name: string;
	readonly localService?: boolean;
	readonly default?: boolean;
}

/** The usual region of each language here: Romanian and Hungarian as spoken in Romania's towns. */
const REGION: Readonly<Record<string, string>> = { ro: 'ro-RO', hu: 'hu-HU', en: 'en-GB' };

const primary = (tag: string): string => tag.toLowerCase().replace('_', '-').split('-')[0] ?? '';

/**
 * The voice to read `lang` with, or null when the device has none for it. A voice of the
 * language's usual region comes first, then one that works offline, then the device's default.
 */
export function pickVoice<V extends VoiceLike>(voices: readonly V[], lang: string): V | null {
	const want = primary(lang);
	const region = (REGION[want] ?? '').toLowerCase();
	let best: V | null = null;
	let bestScore = -1;
	for (const voice of voices) {
		if (primary(voice.lang) !== want) continue;
		const score =
			(voice.lang.toLowerCase().replace('_', '-') === region ? 4 : 0) + (voice.localService ? 2 : 0) + (voice.default ? 1 : 0);
		if (score > bestScore) {
			best = voice;
			bestScore = score;
		}
	}
	return best;
}

/** The device's speech synthesis, or null where there is none. */
export function synthesis(): SpeechSynthesis | null {
	return typeof window !== 'undefined' && 'speechSynthesis' in window && typeof SpeechSynthesisUtterance !== 'undefined'
		? window.speechSynthesis
		: null;
}

/**
 * The device's voices, kept up to date: browsers load them after the page, and announce
 * them with `voiceschanged`.
 */
export function voicesOf(synth: SpeechSynthesis | null): Readable<readonly SpeechSynthesisVoice[]> {
	return readable<readonly SpeechSynthesisVoice[]>(synth?.getVoices() ?? [], (set) => {
		if (!synth) return;
		const update = () => set(synth.getVoices());
		update();
		synth.addEventListener('voiceschanged', update);
		return () => synth.removeEventListener('voiceschanged', update);
	});
}

/** Reads `text` aloud with `voice`, stopping whatever was being read. */
export function speak(synth: SpeechSynthesis, voice: SpeechSynthesisVoice, text: string): void {
	synth.cancel();
	const utterance = new SpeechSynthesisUtterance(text);
	utterance.voice = voice;
	utterance.lang = voice.lang;
	// A little slower than the default: the button is for children who do not read well yet.
	utterance.rate = 0.9;
	synth.speak(utterance);
}
