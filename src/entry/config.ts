/**
 * @module entry/config
 * The service's settings from environment variables, checked by zod at start-up: a bad value stops the
 * process with a message naming the variable, before anything is served.
 */
import { z } from 'zod';
import { isStatusListSize } from '../domain/statusList.js';
import { licenceTypeCodeFault } from '../domain/licenceIdentifier.js';

const Config = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(8787),
  HOST: z.string().default('0.0.0.0'),
  ECERT_DB: z.string().min(1).default('./data/ecert.db'),
  ECERT_KEYS: z.string().min(1).default('./keys.example'),
  ECERT_PUBLIC_URL: z.url().optional(),
  // Issue 16: the file holding the master key of seal private keys, outside the database; default <keys>/seal-master.key.
  ECERT_SEAL_MASTER_KEY_FILE: z.string().min(1).optional(),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  ECERT_LOOKUP_BURST: z.coerce.number().int().min(1).default(10),
  ECERT_LOOKUP_REFILL_SECONDS: z.coerce.number().positive().default(6),
  ECERT_TEST_CLOCK: z.enum(['0', '1']).default('0'),
  ECERT_SHUTDOWN_SECONDS: z.coerce.number().positive().max(3600).default(10),
  // Issue 19 item 1: 证照类型代码 of the 电子证照标识 — the defining authority's USCC + 3 digits; blank is unset.
  ECERT_LICENCE_TYPE_CODE: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
    z.string().trim().toUpperCase().refine((code) => !licenceTypeCodeFault(code), { message: '证照类型代码应为统一社会信用代码（18 位，校验位正确）加 3 位数字 / a unified social credit code (18, with its check character) and 3 digits' }).optional(),
  ),
  // Issue 15, tests only: a small status-list size so a test can fill list 1; refused in production.
  ECERT_TEST_STATUS_LIST_SIZE: z.coerce.number().refine(isStatusListSize, 'a power of two from 16 to 16777216').optional(),
});

export interface ServiceConfig {
  port: number;
  host: string;
  db: string;
  keys: string;
  /** The seal master key file (crypto/sealVault.ts): ECERT_SEAL_MASTER_KEY_FILE, else `<keys>/seal-master.key`. */
  sealMasterKeyFile: string;
  publicUrl: string;
  production: boolean;
  lookupLimit: { burst: number; refillSeconds: number };
  /** Requests may set the time with X-Ecert-Test-Now (tests only; never in production). */
  testClock: boolean;
  /** On SIGTERM/SIGINT, how long requests in flight may take before their connections are cut (Node). */
  shutdownSeconds: number;
  /**
   * 证照类型代码 of every 电子证照标识 this deployment issues (issue 19 item 1); undefined: the demo one on the demo
   * root, none otherwise (certificates are then issued without an identifier).
   */
  licenceTypeCode?: string | undefined;
  /** Entries per status list when a test injects a small size (ECERT_TEST_STATUS_LIST_SIZE); undefined: 131,072. */
  statusListSize?: number | undefined;
}

/** @example const config = loadConfig(process.env); */
export function loadConfig(env: Record<string, string | undefined>): ServiceConfig {
  const parsed = Config.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`配置错误 / invalid configuration:\n${lines}`);
  }
  const e = parsed.data;
  if (e.ECERT_TEST_CLOCK === '1' && e.NODE_ENV === 'production') {
    throw new Error('配置错误 / invalid configuration:\n  ECERT_TEST_CLOCK: 生产环境不得启用测试时钟 / the test clock is refused in production');
  }
  if (e.ECERT_TEST_STATUS_LIST_SIZE !== undefined && e.NODE_ENV === 'production') {
    throw new Error('配置错误 / invalid configuration:\n  ECERT_TEST_STATUS_LIST_SIZE: 生产环境的状态列表固定为 131072 项 / status lists have 131072 entries in production');
  }
  return {
    port: e.PORT,
    host: e.HOST,
    db: e.ECERT_DB,
    keys: e.ECERT_KEYS,
    sealMasterKeyFile: e.ECERT_SEAL_MASTER_KEY_FILE ?? `${e.ECERT_KEYS.replace(/\/+$/, '')}/seal-master.key`,
    publicUrl: (e.ECERT_PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    production: e.NODE_ENV === 'production',
    lookupLimit: { burst: e.ECERT_LOOKUP_BURST, refillSeconds: e.ECERT_LOOKUP_REFILL_SECONDS },
    testClock: e.ECERT_TEST_CLOCK === '1',
    shutdownSeconds: e.ECERT_SHUTDOWN_SECONDS,
    statusListSize: e.ECERT_TEST_STATUS_LIST_SIZE,
    licenceTypeCode: e.ECERT_LICENCE_TYPE_CODE,
  };
}
