import { deleteResource, postJSON, sendForm, sendJSON, type ApiResult } from '$lib/api/client';
import type { Problem } from '$lib/api/problem';
import type { AdultMessageKey } from '$lib/i18n/types';
import { consultationErrorKey } from './messages';
import type { Consultation, Question } from './types';

export { pictureSrc, pictureSrcset } from '$lib/live/pictures';

/** What the server takes (internal/voci): checked here first, to say so before uploading. */
export const MAX_PICTURE_BYTES = 5 * 1024 * 1024;
export const PICTURE_TYPES = ['image/png', 'image/jpeg', 'image/webp'] as const;
export const MAX_PICTURE_ALT = 250;

/** Where a question's own picture (no option) or an option's picture is set and removed. */
export function pictureURL(siruta: number, consultationId: string, questionId: string, optionId?: string): string {
	const q = `/api/v1/municipalities/${siruta}/consultations/${encodeURIComponent(consultationId)}/questions/${encodeURIComponent(questionId)}`;
	return optionId === undefined ? `${q}/picture` : `${q}/options/${encodeURIComponent(optionId)}/picture`;
}

/** Uploads a picture with its description as multipart/form-data; the answer is the question. */
export function uploadPicture(url: string, file: Blob, alt: string, csrfToken: string): Promise<ApiResult<Question>> {
	const form = new FormData();
	form.append('alt', alt);
	form.append('picture', file);
	return sendForm<Question>('PUT', url, form, { csrfToken });
}

/** Changes a picture's description without sending the picture again; the answer is the question. */
export function describePicture(url: string, alt: string, csrfToken: string): Promise<ApiResult<Question>> {
	return sendJSON<Question>('PATCH', url, { alt }, { csrfToken });
}

/** Removes a picture; the answer is the question. */
export async function removePicture(url: string, csrfToken: string): Promise<ApiResult<Question>> {
	const result = await deleteResource(url, { csrfToken });
	return result as unknown as ApiResult<Question>;
}

/** Makes a new draft from a consultation, its questions and pictures included. */
export function duplicateConsultation(siruta: number, consultationId: string, title: string, csrfToken: string): Promise<ApiResult<Consultation>> {
	return postJSON(`/api/v1/municipalities/${siruta}/consultations/${encodeURIComponent(consultationId)}/duplicate`, { title }, { csrfToken });
}

/** A copy's title: the original's marked as a copy, within the 120 characters a title has. */
export function copyTitle(title: string, mark: (title: string) => string): string {
	const full = mark(title);
	const over = [...full].length - 120;
	return over <= 0 ? full : mark([...title].slice(0, Math.max(3, [...title].length - over)).join(''));
}

/** What to say before uploading, or null when the file may go. */
export function checkPicture(file: File | null, alt: string): AdultMessageKey | null {
	if (!file) return 'picture.error.noFile';
	if (alt.trim() === '') return 'picture.error.noAlt';
	if (file.size > MAX_PICTURE_BYTES) return 'picture.error.tooLarge';
	return null;
}

/** What an adult reads when a picture is refused. */
export function pictureErrorKey(problem: Pick<Problem, 'code' | 'param'>): AdultMessageKey {
	switch (problem.code) {
		case 'picture_too_large':
		case 'body_too_large':
			return 'picture.error.tooLarge';
		case 'not_a_picture':
		case 'unsupported_media_type':
			return 'picture.error.notPicture';
		case 'picture_type_mismatch':
			return 'picture.error.typeMismatch';
		case 'question_frozen':
			return 'picture.frozen';
	}
	if (problem.code === 'invalid_parameter' && problem.param === 'alt') return 'picture.error.noAlt';
	return consultationErrorKey(problem);
}
