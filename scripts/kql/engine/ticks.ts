// Tick constants of the value model (see values.ts). A module of their own so that the
// datetime parsing and printing in functions/datetime-format.ts, which values.ts delegates to,
// does not import values.ts back.

export const TICKS_PER_MILLISECOND = 10_000;
export const TICKS_PER_SECOND = 10_000_000;
export const TICKS_PER_MINUTE = 60 * TICKS_PER_SECOND;
export const TICKS_PER_HOUR = 60 * TICKS_PER_MINUTE;
export const TICKS_PER_DAY = 24 * TICKS_PER_HOUR;

/** Unix milliseconds of the datetime whose engine value is 0. */
export const DATETIME_EPOCH_MS = Date.UTC(2020, 0, 1);
