import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPOSITORY_ROOT } from '../../server/config.js';

const dataDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'biaotu-start-'));

afterAll(() => {
  fs.rmSync(dataDirectory, { recursive: true, force: true });
});

interface RunningStart {
  child: ChildProcessWithoutNullStreams;
  url: string;
  output: () => string;
}

/** Runs `npm start`'s script as a user would, on an embedded cluster in a data folder of its own. */
async function start(): Promise<RunningStart> {
  const env: NodeJS.ProcessEnv = { ...process.env, DEMO_PASSWORD: 'Demo-2026-biaotu', BIAOTU_DATA_DIR: dataDirectory, BIAOTU_PG_PORT: '54400', PORT: '0', LOG_LEVEL: 'warn' };
  delete env.DATABASE_URL;
  delete env.ADMIN_PASSWORD;
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], { cwd: REPOSITORY_ROOT, env });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start did not come up:\n${output}`)), 150_000);
    const check = () => {
      const match = /running: (http:\/\/\S+)\//.exec(output);
      if (match) { clearTimeout(timer); resolve(match[1]); }
    };
    child.stdout.on('data', check);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`npm start exited with ${code}:\n${output}`)); });
  });
  return { child, url, output: () => output };
}

function stop(running: RunningStart, signal: NodeJS.Signals): Promise<number | null> {
  return new Promise((resolve) => {
    running.child.once('exit', (code) => resolve(code));
    running.child.kill(signal);
  });
}

async function loginCookie(url: string, username: string, password: string): Promise<string> {
  const response = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  expect(response.status).toBe(200);
  return response.headers.get('set-cookie')!.split(';')[0];
}

const postmasterPid = () => path.join(dataDirectory, 'pg15', 'postmaster.pid');

describe('npm start', () => {
  it('creates its own PostGIS cluster, loads the demo, stops it on SIGTERM, and reuses the data on the next start', async () => {
    const first = await start();
    expect(first.output()).toContain('initialising PostgreSQL cluster');
    expect(first.output()).toContain('loading the demo city');
    // Its logins need the passwords it generated, which it keeps to itself and never prints.
    expect(first.output()).toMatch(/embedded database: postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/biaotu/);
    const credentials = path.join(dataDirectory, 'credentials.json');
    expect((fs.statSync(credentials).mode & 0o777).toString(8)).toBe('600');
    for (const password of Object.values(JSON.parse(fs.readFileSync(credentials, 'utf8')) as Record<string, string>)) expect(first.output()).not.toContain(password);
    // Anyone learns that it is up; only an administrator which PostGIS it runs.
    expect(await fetch(`${first.url}/api/health`).then((response) => response.json())).toEqual({ status: 'ok' });
    // First start prints the generated admin password once; it works and must be changed.
    const printed = /admin \/ (\S+)/.exec(first.output());
    expect(printed).not.toBeNull();
    const adminLogin = await fetch(`${first.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: printed![1] }) });
    expect((await adminLogin.json()).user.mustChangePassword).toBe(true);
    const adminCookie = adminLogin.headers.getSetCookie().map((cookie) => cookie.split(';')[0]).join('; ');
    const health = await fetch(`${first.url}/api/health`, { headers: { cookie: adminCookie } }).then((response) => response.json());
    expect(health.postgis).toContain('POSTGIS="3.');
    const cookie = await loginCookie(first.url, 'viewer', 'Demo-2026-biaotu');
    const stats = await fetch(`${first.url}/api/districts/350200/stats`, { headers: { cookie } }).then((response) => response.json());
    expect(stats.parcelCount).toBe(20000);
    expect(fs.existsSync(postmasterPid())).toBe(true);
    expect(await stop(first, 'SIGTERM')).toBe(0);
    expect(fs.existsSync(postmasterPid())).toBe(false);

    const second = await start();
    expect(second.output()).not.toContain('initialising PostgreSQL cluster');
    expect(second.output()).not.toContain('loading the demo city');
    expect(second.output()).not.toContain('created the administrator');
    const secondCookie = await loginCookie(second.url, 'viewer', 'Demo-2026-biaotu');
    const again = await fetch(`${second.url}/api/districts/350200/stats`, { headers: { cookie: secondCookie } }).then((response) => response.json());
    expect(again.parcelCount).toBe(20000);
    expect(await stop(second, 'SIGINT')).toBe(0);
    expect(fs.existsSync(postmasterPid())).toBe(false);
  }, 300_000);
});
