/**
 * The little of workerd's `cloudflare:workers` module the worker uses (no @cloudflare/workers-types in the
 * project): the Durable Object base class and the parts of its state the rate limiter's object touches.
 */
declare module 'cloudflare:workers' {
  export interface DurableObjectState {
    storage: {
      /** The synchronous key-value API of a SQLite-backed object. */
      kv: { get<T>(key: string): T | undefined; put(key: string, value: unknown): void; delete(key: string): boolean };
      setAlarm(scheduledTime: number): Promise<void>;
      deleteAlarm(): Promise<void>;
      deleteAll(): Promise<void>;
    };
  }
  export abstract class DurableObject<Env = unknown> {
    protected ctx: DurableObjectState;
    protected env: Env;
    constructor(ctx: DurableObjectState, env: Env);
  }
}
