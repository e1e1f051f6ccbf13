import type { NavCounts } from "../db/task-views.js";

/** The views, in the navigation's order; the counted ones name their count. */
const VIEWS: [path: string, label: string, count: keyof NavCounts | null][] = [
  ["/today", "Today", "today"],
  ["/upcoming", "Upcoming", "upcoming"],
  ["/no-date", "No date", "noDate"],
  ["/tasks", "All", null],
  ["/done", "Done", null],
];

/**
 * The planning views' navigation, under the header on every signed-in page. The views bring their
 * counts (read with their rows, in one statement); other pages show it without counts rather than
 * pay a query for them. htmx refreshes it out of band after a row action.
 */
export function ViewNav(props: { counts: NavCounts | null; current: string | null; oob?: boolean }) {
  const { counts, current } = props;
  return (
    <nav id="view-nav" class="views" aria-label="Views" hx-swap-oob={props.oob ? "true" : undefined}>
      {VIEWS.map(([path, label, key]) => (
        <a href={path} aria-current={current === path ? "page" : undefined}>
          {label}
          {counts && key ? (
            <>
              {" "}
              <span class="count">{counts[key]}</span>
            </>
          ) : null}
        </a>
      ))}
    </nav>
  );
}
