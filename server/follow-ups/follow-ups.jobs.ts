/** Background jobs of follow-ups, run by BullMQ (server/jobs). Names live here and only here. */
export const FOLLOW_UP_JOBS = {
  /** Sends the due and overdue reminders (every minute, repeatable). */
  sweepReminders: 'follow-ups.sweep-reminders',
} as const;

/** The id of the reminder schedule: one per installation, however many processes upsert it. */
export const REMINDER_SCHEDULER_ID = 'follow-ups.reminders';

/** Every minute: a reminder is at most a minute late. */
export const REMINDER_CRON = '* * * * *';

export interface FollowUpJobPayloads {
  [FOLLOW_UP_JOBS.sweepReminders]: Record<string, never>;
}
