import { describe, expect, it } from 'vitest';
import { checkPicture, copyTitle, pictureErrorKey, pictureSrc, pictureSrcset, pictureURL, MAX_PICTURE_BYTES } from './pictures';

const picture = { url: '/api/v1/pictures/abc', alt: 'Parcul', width: 1000, height: 500, widths: [320, 640, 960] };

describe('pictures', () => {
	it('addresses a question and an option', () => {
		expect(pictureURL(20297, 'c1', 'q1')).toBe('/api/v1/municipalities/20297/consultations/c1/questions/q1/picture');
		expect(pictureURL(20297, 'c1', 'q1', 'o 1')).toBe('/api/v1/municipalities/20297/consultations/c1/questions/q1/options/o%201/picture');
	});
	it('offers the copies the server makes', () => {
		expect(pictureSrcset(picture)).toBe('/api/v1/pictures/abc?w=320 320w, /api/v1/pictures/abc?w=640 640w, /api/v1/pictures/abc?w=960 960w, /api/v1/pictures/abc 1000w');
		expect(pictureSrc(picture, 300)).toBe('/api/v1/pictures/abc?w=320');
		expect(pictureSrc(picture, 1200)).toBe('/api/v1/pictures/abc');
	});
	it('checks before uploading', () => {
		const small = new File(['x'], 'a.png', { type: 'image/png' });
		expect(checkPicture(null, 'a')).toBe('picture.error.noFile');
		expect(checkPicture(small, ' ')).toBe('picture.error.noAlt');
		expect(checkPicture(new File([new Uint8Array(MAX_PICTURE_BYTES + 1)], 'a.png'), 'a')).toBe('picture.error.tooLarge');
		expect(checkPicture(small, 'Parcul')).toBeNull();
	});
	it('names every refusal', () => {
		expect(pictureErrorKey({ code: 'picture_too_large' })).toBe('picture.error.tooLarge');
		expect(pictureErrorKey({ code: 'not_a_picture' })).toBe('picture.error.notPicture');
		expect(pictureErrorKey({ code: 'picture_type_mismatch' })).toBe('picture.error.typeMismatch');
		expect(pictureErrorKey({ code: 'invalid_parameter', param: 'alt' })).toBe('picture.error.noAlt');
		expect(pictureErrorKey({ code: 'question_frozen', param: 'alt' })).toBe('picture.frozen');
		expect(pictureErrorKey({ code: 'question_changed', param: 'alt' })).toBe('consult.error.changed');
	});
	it('marks a copy within 120 characters', () => {
		const mark = (t: string) => `${t} (copie)`;
		expect(copyTitle('Parcul', mark)).toBe('Parcul (copie)');
		expect([...copyTitle('ă'.repeat(120), mark)].length).toBe(120);
	});
});
