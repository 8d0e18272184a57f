import { Worker } from 'node:worker_threads';

/** One logged-in sender of the burst. */
export interface AbuseUser {
  name: string;
  cookie: string;
  csrfToken: string;
}

export interface AbuseBody {
  method: string;
  path: string;
  body: Buffer;
}

export interface AbuseAnswer {
  user: string;
  kind: number;
  status: number;
  /** The `error` reason of the answer, or the client's error when no answer came. */
  error?: string;
}

/**
 * Plain JavaScript run in a worker thread: its own event loop, as attackers on other machines
 * would have theirs, so the time the server needs is not mixed with the time the attackers need to
 * write 9 MB bodies. Each user sends rounds of `perRound` requests at once, the bodies in turn
 * (rotated every round so each kind meets a free slot), until `seconds` have passed.
 */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { base, users, bodies, seconds, perRound } = workerData;
(async () => {
  const answers = [];
  const started = Date.now();
  await Promise.all(users.map(async (user) => {
    for (let round = 0; Date.now() - started < seconds * 1000; round += 1) {
      await Promise.all(Array.from({ length: perRound }, async (_, index) => {
        const kind = (index + round) % bodies.length;
        const { method, path, body } = bodies[kind];
        try {
          const response = await fetch(base + path, {
            method, body,
            headers: { cookie: user.cookie, 'x-csrf-token': user.csrfToken, 'content-type': 'application/json' },
          });
          const text = await response.text();
          let error;
          try { error = JSON.parse(text).error; } catch { error = undefined; }
          answers.push({ user: user.name, kind, status: response.status, error });
        } catch (failure) {
          answers.push({ user: user.name, kind, status: 0, error: String(failure && failure.cause || failure) });
        }
      }));
    }
  }));
  parentPort.postMessage(answers);
})();
`;

export function abuse(options: { base: string; users: AbuseUser[]; bodies: AbuseBody[]; seconds: number; perRound: number }): Promise<AbuseAnswer[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, { eval: true, workerData: options });
    worker.once('message', (answers: AbuseAnswer[]) => {
      resolve(answers);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}
