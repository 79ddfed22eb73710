import { describe, expect, it } from 'vitest';
import { isSenior, LEVELS } from '../src/domain/levels.js';

describe('levels', () => {
  it('splits senior from intermediate and junior (notice 二(一))', () => {
    expect(LEVELS.filter(isSenior)).toEqual(['senior_full', 'senior_associate']);
  });
});
