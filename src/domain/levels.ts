/**
 * @module domain/levels
 * The five title levels (POLICY.md glossary). 高级 = the two senior levels; 中初级 = the other three —
 * the split that decides the confirming authority (notice 二(一)).
 */

export const LEVELS = ['senior_full', 'senior_associate', 'intermediate', 'assistant', 'junior'] as const;
export type Level = (typeof LEVELS)[number];

export const LEVEL_NAMES: Record<Level, { zh: string; en: string }> = {
  senior_full: { zh: '正高级', en: 'Senior (full)' },
  senior_associate: { zh: '副高级', en: 'Senior (associate)' },
  intermediate: { zh: '中级', en: 'Intermediate' },
  assistant: { zh: '助理级', en: 'Assistant' },
  junior: { zh: '员级', en: 'Junior' },
};

/** 高级职称 — confirmed by the region title office (notice 二(一)). */
export function isSenior(level: Level): boolean {
  return level === 'senior_full' || level === 'senior_associate';
}

export function isLevel(value: unknown): value is Level {
  return typeof value === 'string' && (LEVELS as readonly string[]).includes(value);
}
