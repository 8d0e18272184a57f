import type { RepeaterTimers } from './export-jobs.js';

/** For tests: timers that fire only when the test says so (`fire`), then let the answers settle. */
export function manualTimers(): RepeaterTimers & { pending: (() => void)[]; fire(): Promise<void> } {
  const pending: (() => void)[] = [];
  return {
    pending,
    setTimeout: (callback) => pending.push(callback),
    clearTimeout: () => pending.splice(0),
    async fire() {
      pending.splice(0).forEach((callback) => callback());
      await settle();
    },
  };
}

/** Lets pending promise callbacks run. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
