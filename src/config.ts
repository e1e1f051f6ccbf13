/** What the core needs to know about where it is served; entries build it from their environment. */
export interface AppConfig {
  /** Public origin, e.g. `https://smarttask.example`; CSRF checks compare Origin against it. */
  appUrl: URL;
}

/** Cookies get `Secure` and the `__Host-` prefix whenever the app is served over https. */
export function servedOverHttps(config: AppConfig): boolean {
  return config.appUrl.protocol === "https:";
}
