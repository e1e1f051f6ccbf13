/** What the core needs to know about where it is served; entries build it from their environment. */
export interface AppConfig {
  /** Public origin, e.g. `https://smarttask.example`; CSRF checks compare Origin against it. */
  appUrl: URL;
  /** Sender of reminder emails, e.g. `SmartTask <reminders@example.com>`. */
  emailFrom?: string;
  /** Postmark message stream for reminders. */
  messageStream?: string;
  /** Postmark message stream for account mail (verification, reset, notices). */
  transactionalStream?: string;
  /** Key for signed email links; without it one is generated and kept in the database. */
  signingSecret?: string;
}

export const DEFAULT_EMAIL = { emailFrom: "SmartTask <reminders@smarttask.localhost>", messageStream: "outbound", transactionalStream: "outbound" } as const;

/** Cookies get `Secure` and the `__Host-` prefix whenever the app is served over https. */
export function servedOverHttps(config: AppConfig): boolean {
  return config.appUrl.protocol === "https:";
}
