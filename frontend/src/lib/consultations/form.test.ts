import { describe, expect, it } from 'vitest';
import { consultationErrorKey } from './messages';
import { consultationToForm, draftToInput, missingConsultationTexts, missingDraftTexts, missingTexts, emptyConsultationForm, emptyQuestionDraft, formToInput, isoDate, moved, questionToDraft } from './form';
import type { Consultation } from './types';

describe('the consultation form', () => {
	it('round-trips a consultation, topics one per line and dates as days', () => {
		const c: Consultation = {
			id: 'c',
			municipality: 20297,
			status: 'draft',
			createdAt: '',
			updatedAt: '',
			title: 'Parcul',
			purpose: 'De ce',
			easyRead: 'Simplu',
			ageBands: ['10_12'],
			goals: ['voice_heard'],
			topics: ['parcuri', 'joacă'],
			audienceBody: 'Consiliul local',
			answerBy: '2027-06-30T12:00:00Z',
			modes: ['live'],
			selfPacedFrom: null,
			selfPacedUntil: null
		};
		const form = consultationToForm(c);
		expect(form.topics).toBe('parcuri\njoacă');
		expect(form.answerBy).toBe('2027-06-30');
		expect(formToInput(form)).toEqual({
			title: 'Parcul',
			purpose: 'De ce',
			easyRead: 'Simplu',
			ageBands: ['10_12'],
			goals: ['voice_heard'],
			topics: ['parcuri', 'joacă'],
			audienceBody: 'Consiliul local',
			answerBy: '2027-06-30T12:00:00Z',
			modes: ['live'],
			selfPacedFrom: null,
			selfPacedUntil: null,
			languages: ['ro'],
			translations: {}
		});
	});

	it('carries the texts of every other offered language, and only those', () => {
		const form = { ...emptyConsultationForm(), title: 'Parcul', purpose: 'De ce', audienceBody: 'Consiliul Local Bacău', languages: ['ro', 'hu'] };
		form.translations = {
			hu: { title: ' A park ', purpose: '', easyRead: '', audienceBody: ' Bákó Helyi Tanácsa ' },
			en: { title: 'The park', purpose: '', easyRead: '', audienceBody: '' }
		};
		expect(formToInput(form)).toMatchObject({
			languages: ['ro', 'hu'],
			translations: { hu: { title: 'A park', purpose: '', easyRead: '', audienceBody: 'Bákó Helyi Tanácsa' } }
		});
		expect(Object.keys(formToInput(form).translations ?? {})).toEqual(['hu']);
		expect(missingConsultationTexts(form, 'hu')).toEqual(['purpose']);
		form.translations.hu = { ...form.translations.hu!, audienceBody: '' };
		expect(missingConsultationTexts(form, 'hu')).toEqual(['purpose', 'audienceBody']);
	});

	it('counts the audience among the texts a stored consultation misses in a language', () => {
		const c = { title: 'Parcul', purpose: '', easyRead: '', audienceBody: 'Consiliul Local Bacău', translations: { hu: { title: 'A park', purpose: '', easyRead: '' } } };
		expect(missingTexts(c as unknown as Consultation, [], 'hu')).toBe(1);
		expect(missingTexts({ ...c, translations: { hu: { ...c.translations.hu, audienceBody: 'Bákó Helyi Tanácsa' } } } as unknown as Consultation, [], 'hu')).toBe(0);
		expect(missingTexts(c as unknown as Consultation, [], 'en')).toBe(2);
	});

	it('drops blank topics and sends self-paced dates only with that mode', () => {
		const form = { ...emptyConsultationForm(), title: ' T ', topics: ' a \n\n b ', selfPacedFrom: '2027-01-01', selfPacedUntil: '2027-02-01' };
		expect(formToInput(form)).toMatchObject({ title: 'T', topics: ['a', 'b'], answerBy: null, selfPacedFrom: null, selfPacedUntil: null });
		expect(formToInput({ ...form, modes: ['self_paced'] })).toMatchObject({ selfPacedFrom: '2027-01-01T12:00:00Z', selfPacedUntil: '2027-02-01T12:00:00Z' });
	});

	it('reads only whole dates', () => {
		expect(isoDate('2027-06-30')).toBe('2027-06-30T12:00:00Z');
		expect(isoDate('')).toBeNull();
		expect(isoDate('30.06.2027')).toBeNull();
	});
});

describe('question drafts', () => {
	it('sends options with their ids kept, emoji only when given, and blank rows dropped', () => {
		const draft = { ...emptyQuestionDraft('multiple'), prompt: ' Ce? ', maxChoices: 2 };
		draft.options = [
			{ id: 'x1', label: 'Leagăn ', emoji: ' 🛝 ' },
			{ label: 'Tobogan', emoji: '' },
			{ label: '  ', emoji: '🌳' }
		];
		expect(draftToInput(draft)).toEqual({
			kind: 'multiple',
			prompt: 'Ce?',
			easyRead: '',
			options: [{ id: 'x1', label: 'Leagăn', emoji: '🛝' }, { label: 'Tobogan' }],
			emojiFaces: false,
			maxChoices: 2
		});
		expect(draftToInput({ ...draft, kind: 'single' }).maxChoices).toBe(0);
	});

	it('sends a scale as its number of points, and text questions without options', () => {
		expect(draftToInput({ ...emptyQuestionDraft('scale'), prompt: 'Cât?', scalePoints: 3 })).toEqual({
			kind: 'scale',
			prompt: 'Cât?',
			easyRead: '',
			options: [],
			emojiFaces: true,
			maxChoices: 0,
			scalePoints: 3
		});
		expect(draftToInput({ ...emptyQuestionDraft('word_cloud'), prompt: 'Un cuvânt' }).options).toEqual([]);
	});

	it('edits a stored question as it is', () => {
		const draft = questionToDraft({
			id: 'q',
			position: 0,
			kind: 'scale',
			prompt: 'Cât?',
			easyRead: '',
			options: [{ id: '1', label: '1' }, { id: '2', label: '2' }, { id: '3', label: '3' }],
			emojiFaces: false,
			maxChoices: 0,
			frozen: true
		});
		expect(draft.scalePoints).toBe(3);
		expect(draft.emojiFaces).toBe(false);
	});

	it('moves an item within the list only', () => {
		expect(moved(['a', 'b', 'c'], 2, -1)).toEqual(['a', 'c', 'b']);
		expect(moved(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'a', 'c']);
		expect(moved(['a', 'b', 'c'], 0, -1)).toEqual(['a', 'b', 'c']);
		expect(moved(['a', 'b', 'c'], 2, 1)).toEqual(['a', 'b', 'c']);
	});
});

describe('consultationErrorKey', () => {
	it.each([
		['consultation_not_ready', 'audienceBody', 'consult.error.needAudience'],
		['consultation_not_ready', 'answerBy', 'consult.error.needAnswerBy'],
		['consultation_not_ready', 'questions', 'consult.error.needQuestions'],
		['consultation_not_ready', 'somethingNew', 'consult.error.notReady'],
		['question_frozen', undefined, 'consult.error.frozen'],
		['wrong_state', undefined, 'console.error.wrongState'],
		['invalid_parameter', 'title', 'errors.invalidRequest'],
		['whatever', undefined, 'errors.generic']
	])('%s (%s) → %s', (code, param, key) => {
		expect(consultationErrorKey({ code, param })).toBe(key);
	});
});

describe('question translations', () => {
	it('names translated options by ID, new ones by position, and counts what is missing', () => {
		const draft = { ...emptyQuestionDraft('single'), prompt: 'Ce?' };
		draft.options = [
			{ id: 'swings', label: 'leagăne', emoji: '' },
			{ label: '', emoji: '' },
			{ label: 'copaci', emoji: '' }
		];
		draft.translations = { hu: { prompt: 'Mit?', easyRead: '', options: ['hinta', 'x', ''] } };
		expect(draftToInput(draft, ['hu']).translations).toEqual({
			hu: { prompt: 'Mit?', easyRead: '', options: [{ id: 'swings', label: 'hinta' }, { label: '' }] }
		});
		expect(draftToInput(draft).translations).toBeUndefined();
		expect(missingDraftTexts(draft, 'hu')).toBe(1);
		expect(missingDraftTexts(draft, 'en')).toBe(3);
	});
});
