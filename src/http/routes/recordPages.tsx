/**
 * @module http/routes/recordPages
 * The handler's console for the 核实 log: record a verification, list and search records, download a
 * record's PDF (attachment 2) and the CSV. (Being built.)
 */
import type { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../env.js';

export function recordPageRoutes(_app: Hono<AppEnv>, _deps: AppDeps): void {}
