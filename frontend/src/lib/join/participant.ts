import { writable } from 'svelte/store';
import { session } from '$lib/storage';
import type { Participant } from './join';

/** The sessionStorage key holding the join answer, for this tab only. */
export const PARTICIPANT_STORAGE_KEY = 'voci.participant';

function read(): Participant | null {
	const raw = session.get(PARTICIPANT_STORAGE_KEY);
	if (raw === null) return null;
	try {
		const value: unknown = JSON.parse(raw);
		return typeof value === 'object' && value !== null ? (value as Participant) : null;
	} catch {
		return null;
	}
}

function createParticipantStore() {
	const store = writable<Participant | null>(null, (set) => set(read()));
	return {
		subscribe: store.subscribe,
		/** Keeps the join answer for this tab, surviving a reload but not closing the tab. */
		save(participant: Participant): void {
			session.set(PARTICIPANT_STORAGE_KEY, JSON.stringify(participant));
			store.set(participant);
		},
		clear(): void {
			session.remove(PARTICIPANT_STORAGE_KEY);
			store.set(null);
		}
	};
}

/** The child's place in a live session, if they have joined one in this tab. */
export const participant = createParticipantStore();
