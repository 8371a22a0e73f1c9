import type { Topic } from "./data.js";

/**
 * One page of the dashboard. `mount` draws it into the root and sets
 * `refresh`, which main.ts calls when one of its topics changed (with the
 * topics), or with none to draw everything once all is loaded.
 */
export interface Page {
  id: string;
  title: string;
  topics: readonly Topic[];
  mount(root: HTMLElement): void;
  refresh?: (topics?: ReadonlySet<Topic>) => void;
  unmount?(): void;
  /** A page's own interval, cleared on unmount. */
  timer?: ReturnType<typeof setInterval>;
}
