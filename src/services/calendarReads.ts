/**
 * @module services/calendarReads
 * Plain reads of the admin's working-day overrides and announcements for HTTP, so HTTP never reaches into
 * storage.
 */
import type { ServiceContext } from './context.js';

type Cal = Pick<ServiceContext, 'calendar'>;

export const calendarOverrides = (ctx: Cal) => ctx.calendar.overrides();
export const calendarAnnouncements = (ctx: Cal) => ctx.calendar.announcements();
