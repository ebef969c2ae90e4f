// Calendar days ('2026-12-14', as due days are kept): how far off, and how a person reads them.

const DAY_MS = 86_400_000;

// Whole days from today (this device's day) to a day: negative once it has passed.
export function daysFrom(day, now = new Date()) {
  const [y, m, d] = day.split('-').map(Number);
  return Math.round((Date.UTC(y, m - 1, d) - Date.UTC(now.getFullYear(), now.getMonth(), now.getDate())) / DAY_MS);
}

const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;

// "Overdue by 2 days", "Due today", "Due tomorrow", "Due in 5 days".
export function dueText(day) {
  if (!day) return '';
  const n = daysFrom(day);
  if (n < 0) return `Overdue by ${plural(-n, 'day')}`;
  if (n === 0) return 'Due today';
  if (n === 1) return 'Due tomorrow';
  return `Due in ${plural(n, 'day')}`;
}

export const isOverdue = (day) => Boolean(day) && daysFrom(day) < 0;

// "Fri 12 Dec" (with the year when it is not this year's).
export function dayLabel(day) {
  if (!day) return '';
  const date = new Date(`${day}T00:00:00Z`);
  const options = { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' };
  if (date.getUTCFullYear() !== new Date().getFullYear()) options.year = 'numeric';
  return date.toLocaleDateString(undefined, options);
}

// A day n days from today, as a date input takes it.
export function dayIn(n, now = new Date()) {
  const date = new Date(now.getFullYear(), now.getMonth(), now.getDate() + n);
  const pad = (v) => String(v).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}
