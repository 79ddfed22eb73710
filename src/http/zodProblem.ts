/**
 * @module http/zodProblem
 * Turns zod's issues into a problem naming every failing field, in Chinese and English.
 */
import type { ZodError } from 'zod';
import type { Message } from '../domain/errors.js';
import { problemOf, type FieldError, type Problem } from './problem.js';

type Issue = ZodError['issues'][number];

const TYPE_NAMES: Record<string, string> = { string: '文本', number: '数字', boolean: '布尔值', object: '对象', array: '数组', int: '整数' };

/** Our own refinement messages are written `中文|English`; zod's built-in ones are English only. */
function ownMessage(message: string): Message | undefined {
  const [zh, en, ...rest] = message.split('|');
  // zod's own messages may hold '|' too ('expected one of "a"|"b"'): ours are exactly two parts, the first Chinese.
  return zh && en && rest.length === 0 && /\p{Script=Han}/u.test(zh) ? { zh, en } : undefined;
}

function describe(issue: Issue): Message {
  const i = issue as Issue & { expected?: string; minimum?: number | bigint; maximum?: number | bigint; values?: unknown[]; keys?: string[]; format?: string };
  const own = ownMessage(issue.message);
  if (own) return own;
  switch (issue.code) {
    case 'invalid_type':
      // zod 4 leaves the input out of issues; its message still says what it received.
      return /received undefined/.test(issue.message)
        ? { zh: '缺少必填字段', en: 'Required field is missing' }
        : { zh: `类型错误，应为${TYPE_NAMES[i.expected ?? ''] ?? i.expected}`, en: `Wrong type, expected ${i.expected}` };
    case 'too_small':
      return { zh: `过短或过小（最少 ${String(i.minimum)}）`, en: `Too short or too small (minimum ${String(i.minimum)})` };
    case 'too_big':
      return { zh: `过长或过大（最多 ${String(i.maximum)}）`, en: `Too long or too large (maximum ${String(i.maximum)})` };
    case 'invalid_value':
      return { zh: `取值必须是：${(i.values ?? []).join('、')}`, en: `Must be one of: ${(i.values ?? []).join(', ')}` };
    case 'unrecognized_keys':
      return { zh: `不认识的字段：${(i.keys ?? []).join('、')}`, en: `Unknown field(s): ${(i.keys ?? []).join(', ')}` };
    case 'invalid_format':
      return { zh: '格式错误', en: `Wrong format (${issue.message})` };
    default:
      return { zh: '取值无效', en: `Invalid value (${issue.message})` };
  }
}

function pathOf(issue: Issue, prefix?: string): string {
  const path = issue.path.map(String).join('.');
  const keys = (issue as { keys?: string[] }).keys;
  const full = issue.code === 'unrecognized_keys' && keys?.[0] ? [path, keys[0]].filter(Boolean).join('.') : path;
  return [prefix, full].filter(Boolean).join('.') || '(body)';
}

/** @example problemFromZod(result.error) // {code: 'validation_failed', field: 'holder.gender', errors: [...]} */
export function problemFromZod(error: ZodError, prefix?: string): Problem {
  const errors: FieldError[] = error.issues.map((issue) => ({ field: pathOf(issue, prefix), message: describe(issue) }));
  const first = errors[0] ?? { field: '(body)', message: { zh: '请求无效', en: 'Invalid request' } };
  const where = first.field === '(body)' ? { zh: '请求体', en: 'Request body' } : { zh: `字段 ${first.field}`, en: `Field ${first.field}` };
  return problemOf(
    'validation_failed',
    { zh: `${where.zh}：${first.message.zh}`, en: `${where.en}: ${first.message.en}` },
    first.field,
    { errors },
  );
}
