import type { DateOrder } from "./parse.js";

/**
 * Where "3/12" means March 12: the United States and its territories, the Philippines, Canada
 * (whose English speakers mostly write month first, although its official numeric form is
 * year-first) and the Marshall Islands and Micronesia. Everywhere else reads day first; a
 * language without a region ("en") too, as most of the English-speaking world does.
 */
const MONTH_FIRST_REGIONS = new Set(["US", "AS", "GU", "MP", "PR", "UM", "VI", "PH", "CA", "MH", "FM"]);

/** The date order a browser's Accept-Language implies: its most preferred language's region decides. */
export function dateOrderFromLanguages(acceptLanguage: string | undefined | null): DateOrder {
  const preferred = (acceptLanguage ?? "")
    .split(",")
    .slice(0, 20)
    .map((part, i) => {
      const [tag = "", ...params] = part.trim().split(";");
      const q = params.map((p) => /^\s*q=([01](?:\.\d{0,3})?)\s*$/.exec(p)?.[1]).find(Boolean);
      return { tag: tag.trim(), q: q === undefined ? 1 : Number(q), i };
    })
    .filter((l) => l.tag && l.tag !== "*" && l.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i)[0];
  if (!preferred) return "dmy";
  const [language = "", ...rest] = preferred.tag.split("-");
  // The region is the first two-letter (or three-digit) subtag after the language: en-US, zh-Hant-TW.
  const region = rest.find((s) => /^([A-Za-z]{2}|\d{3})$/.test(s))?.toUpperCase();
  if (region) return MONTH_FIRST_REGIONS.has(region) ? "mdy" : "dmy";
  return language.toLowerCase() === "fil" ? "mdy" : "dmy";
}

/** The owner's saved choice, else what their browser implies ("Automatic" in the settings). */
export function dateOrderFor(saved: DateOrder | null, acceptLanguage: string | undefined | null): DateOrder {
  return saved ?? dateOrderFromLanguages(acceptLanguage);
}
