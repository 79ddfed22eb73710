/**
 * @module http/routes/casePages
 * The reconfirmation consoles: the applicant's page, the unit's, the departments' and the authority's queue
 * and case view with each step's form. (Being built.)
 */
import type { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../env.js';

export function casePageRoutes(_app: Hono<AppEnv>, _deps: AppDeps): void {}
