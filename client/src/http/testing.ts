import { vi } from 'vitest';

/** One call the stand-in fetch received. */
export interface Recorded {
  url: string;
  init: RequestInit;
}

/** For tests: a fetch that answers from a list and records what was asked, in order. */
export function answering(...answers: { status: number; body?: unknown }[]): Recorded[] {
  const calls: Recorded[] = [];
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    const answer = answers.shift() ?? { status: 500 };
    const text = answer.body === undefined ? '' : JSON.stringify(answer.body);
    return new Response(answer.status === 204 ? null : text, { status: answer.status });
  });
  return calls;
}

export function header(call: Recorded, name: string): string | undefined {
  return (call.init.headers as Record<string, string>)[name];
}
