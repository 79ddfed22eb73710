/**
 * storage/writeQueue: the chain writer's queue. Tasks run one at a time in the order they came; beyond
 * `depth` waiting a caller is answered busy at once; a task not done `deadlineMs` after it was queued is
 * answered busy (told its turn expired, with onExpired called and the next task started, if it runs — its outcome "unknown" when its batch was with the database); a task's
 * own error is its caller's and the line goes on. Plain timers, no database.
 */
import { describe, expect, it } from 'vitest';
import { StorageBusyError } from '../../src/storage/driver.js';
import { Queue, type Turn } from '../../src/storage/writeQueue.js';

const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));
const never = () => {};

describe('Queue', () => {
  it('runs 60 tasks one at a time, first come first served, none lost', async () => {
    const queue = new Queue(100, 10_000, never);
    let running = 0;
    let most = 0;
    const order: number[] = [];
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        queue.run(async () => {
          running++;
          most = Math.max(most, running);
          await sleep(i % 3); // some finish at once, some after a timer
          order.push(i);
          running--;
          return i * 2;
        }),
      ),
    );
    expect(most).toBe(1);
    expect(order).toEqual(Array.from({ length: 60 }, (_, i) => i));
    expect(results).toEqual(Array.from({ length: 60 }, (_, i) => i * 2));
  });

  it('answers busy at once beyond `depth` waiting, and serves the others', async () => {
    const queue = new Queue(3, 10_000, never);
    let release!: () => void;
    const gate = new Promise<void>((go) => (release = go));
    const first = queue.run(() => gate.then(() => 'first'));
    const waiting = [1, 2, 3].map((i) => queue.run(async () => i));
    const refused = queue.run(async () => 'refused');
    await expect(refused).rejects.toBeInstanceOf(StorageBusyError);
    await expect(refused).rejects.toMatchObject({ code: 'busy', cause: '3 chained writes already wait' });
    release();
    expect(await first).toBe('first');
    expect(await Promise.all(waiting)).toEqual([1, 2, 3]);
    // The line is free again.
    expect(await queue.run(async () => 'after')).toBe('after');
  });

  it('a task\'s own error goes to its caller only; the next task still runs', async () => {
    const queue = new Queue(10, 10_000, never);
    const failing = queue.run(async () => {
      throw new Error('刻意失败 𠈌');
    });
    const next = queue.run(async () => 'next');
    await expect(failing).rejects.toThrow('刻意失败 𠈌');
    expect(await next).toBe('next');
  });

  it('a stuck task is answered busy at its deadline and the one waiting behind it is served', async () => {
    let expiredCalls = 0;
    const queue = new Queue(10, 60, () => expiredCalls++);
    let release!: () => void;
    const slow = queue.run(() => new Promise<string>((go) => (release = () => go('slow'))));
    await sleep(20);
    let ranLate = false;
    const late = queue.run(async () => {
      ranLate = true;
      return 'late';
    });
    // `slow` expires first (queued earlier): onExpired once, and `late` starts.
    await expect(slow).rejects.toBeInstanceOf(StorageBusyError);
    expect(expiredCalls).toBe(1);
    expect(await late).toBe('late');
    expect(ranLate).toBe(true);
    release();
  });

  it('after a stuck task expires, the tasks behind it run in their order and each gets its own answer', async () => {
    const queue = new Queue(10, 200, never);
    let free!: () => void;
    const blocking = queue.run(() => new Promise<string>((go) => (free = () => go('blocking'))));
    const done: string[] = [];
    const behind = ['a', 'b', 'c'].map((name) => queue.run(async (turn) => (done.push(name), `${name}:${turn.expired}`)));
    await expect(blocking).rejects.toMatchObject({ cause: 'a chained write still ran 200 ms after it was queued' });
    expect(await Promise.all(behind)).toEqual(['a:false', 'b:false', 'c:false']);
    expect(done).toEqual(['a', 'b', 'c']);
    free();
  });

  it('a running task past its deadline: told its turn expired, onExpired called, the next one starts; outcome unknown while writing', async () => {
    let expiredCalls = 0;
    const queue = new Queue(10, 50, () => expiredCalls++);
    let seen: Turn | undefined;
    let finish!: () => void;
    const stuck = queue.run(async (turn) => {
      seen = turn;
      turn.writing = true; // its batch is with the database
      await new Promise<void>((go) => (finish = go));
      return 'too late';
    });
    const next = queue.run(async (turn) => (turn.expired ? 'expired' : 'fresh'));
    const error = await stuck.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageBusyError);
    expect((error as StorageBusyError).en).toBe('The service is busy and could not confirm this request in time; it may have been saved, so check before you retry.');
    expect((error as Error).cause).toBe('a chained write still ran 50 ms after it was queued');
    expect(seen?.expired).toBe(true);
    expect(expiredCalls).toBe(1);
    // `next` was queued at the same time, so it too may run out; either way it is served or refused, never hung.
    const settled = await Promise.allSettled([next]);
    expect(settled[0]!.status === 'fulfilled' ? settled[0].value : 'busy').toMatch(/^(fresh|busy)$/);
    finish();
    // The late finisher changes nothing: the line is usable.
    expect(await queue.run(async () => 'again')).toBe('again');
  });

  it('a running task past its deadline before writing is "not saved"', async () => {
    const queue = new Queue(10, 30, never);
    let finish!: () => void;
    const error = await queue.run(() => new Promise<void>((go) => (finish = go))).catch((e: unknown) => e);
    expect((error as StorageBusyError).en).toBe('The service is busy and this request was not saved; try again shortly.');
    expect((error as StorageBusyError).details).toEqual({ retryAfterSeconds: 1 });
    finish();
  });
});
