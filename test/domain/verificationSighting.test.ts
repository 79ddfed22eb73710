/** domain/verificationSighting (issue 17 item 4): the channels' names in both languages and the page size's bounds. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_SIGHTINGS_PAGE, MAX_SIGHTINGS_PAGE, SIGHTING_CHANNEL_NAMES, SIGHTING_CHANNELS, sightingsPageSize } from '../../src/domain/verificationSighting.js';

describe('verificationSighting', () => {
  it('names every channel in Chinese and English, without developer words', () => {
    for (const channel of SIGHTING_CHANNELS) {
      expect(SIGHTING_CHANNEL_NAMES[channel].zh).toMatch(/\p{Script=Han}/u);
      expect(SIGHTING_CHANNEL_NAMES[channel].en).toMatch(/^[A-Z][a-z]/);
      expect(SIGHTING_CHANNEL_NAMES[channel].en).not.toMatch(/qr_|lookup\b|channel/);
    }
  });

  it('a page holds 1–100, 20 unless asked; anything odd is the default', () => {
    expect(sightingsPageSize(undefined)).toBe(DEFAULT_SIGHTINGS_PAGE);
    expect(sightingsPageSize('')).toBe(DEFAULT_SIGHTINGS_PAGE);
    expect(sightingsPageSize('5')).toBe(5);
    expect(sightingsPageSize(500)).toBe(MAX_SIGHTINGS_PAGE);
    for (const odd of ['0', '-3', '2.5', 'x', Number.NaN, Number.POSITIVE_INFINITY]) expect(sightingsPageSize(odd)).toBe(DEFAULT_SIGHTINGS_PAGE);
  });
});
