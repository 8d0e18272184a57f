import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { APP_ROLE, readCredentials, runAsOwner, startEmbeddedCluster, type EmbeddedCluster } from '../../server/db/cluster.js';
import { REPOSITORY_ROOT } from '../../server/config.js';

/**
 * The embedded cluster lets nobody in without the password kept in `.data/credentials.json`:
 * a cluster made from scratch, and one made by an older checkout with `trust` (upgraded in place,
 * its data kept). Each case runs its own throw-away cluster, not the one the suite uses.
 */
const clusters: EmbeddedCluster[] = [];
const roots: string[] = [];
afterAll(() => {
  for (const cluster of clusters) cluster.stop();
  for (const root of roots) fs.rmSync(root, { recursive: true, force: true });
});

function temporaryRoot(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'biaotu-cluster-auth-'));
  roots.push(root);
  return root;
}

/** Tries a login; answers the SQLSTATE of a refusal or 'ok'. */
async function loginAs(port: number, user: string, password: string): Promise<string> {
  const client = new pg.Client({ host: '127.0.0.1', port, user, password, database: 'postgres', connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return 'ok';
  } catch (error) {
    return (error as { code?: string }).code ?? (error as Error).message;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function expectPasswordsRequired(cluster: EmbeddedCluster, dataRoot: string): Promise<void> {
  const file = path.join(dataRoot, 'credentials.json');
  const stat = fs.statSync(file);
  expect((stat.mode & 0o777).toString(8)).toBe('600');
  expect(stat.uid).toBe(process.getuid!());
  const credentials = readCredentials(file)!;
  expect(credentials.postgres).toMatch(/^[\w-]{32}$/);
  expect(credentials.biaotu_app).not.toBe(credentials.postgres);
  for (const [role, password] of [['postgres', credentials.postgres], [APP_ROLE, credentials.biaotu_app]] as const) {
    // A wrong password is refused by the server (28P01); under trust it would have let anyone in.
    expect(['28P01', '28000']).toContain(await loginAs(cluster.port, role, 'not-the-password'));
    expect(await loginAs(cluster.port, role, password)).toBe('ok');
  }
  // No password at all: refused too (the client is asked for one and has none).
  expect(await loginAs(cluster.port, 'postgres', '')).not.toBe('ok');
  expect(new URL(cluster.baseUrl).password).toBe(encodeURIComponent(credentials.postgres));
  expect(new URL(cluster.appBaseUrl).username).toBe(APP_ROLE);
  const hba = fs.readFileSync(path.join(cluster.dataDirectory, 'pg_hba.conf'), 'utf8');
  expect(hba.split('\n').filter((line) => !line.startsWith('#') && /\btrust\b/.test(line))).toEqual([]);
}

describe('the embedded cluster asks for passwords', () => {
  it('made from scratch: scram passwords for postgres and biaotu_app, kept with mode 600', async () => {
    const root = temporaryRoot();
    const cluster = startEmbeddedCluster(REPOSITORY_ROOT, 55400 + (process.pid % 300), root);
    clusters.push(cluster);
    await expectPasswordsRequired(cluster, root);
    // Started again (stopped in between), it logs in with the same stored passwords.
    cluster.stop();
    const again = startEmbeddedCluster(REPOSITORY_ROOT, cluster.port, root);
    clusters.push(again);
    await expectPasswordsRequired(again, root);
  });

  it('made by an older checkout with trust: upgraded in place on the next start, data kept', async () => {
    const root = temporaryRoot();
    const dataDirectory = path.join(root, 'pg15');
    fs.chmodSync(root, 0o755);
    if (process.getuid!() === 0) execFileSync('chown', ['postgres:postgres', root]);
    runAsOwner('initdb', ['-D', dataDirectory, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C.UTF-8']);
    // Started as the older checkout did, with a table in it.
    const port = 55700 + (process.pid % 200);
    runAsOwner('pg_ctl', ['-D', dataDirectory, '-o', `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=''`, '-l', path.join(root, 'postgresql.log'), '-w', 'start']);
    clusters.push({ dataDirectory, port, baseUrl: '', appBaseUrl: '', startedHere: true, stop: () => runAsOwner('pg_ctl', ['-D', dataDirectory, '-m', 'fast', '-w', 'stop'], { allowFailure: true }) });
    expect(await loginAs(port, 'postgres', 'anything')).toBe('ok');
    const before = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
    await before.connect();
    await before.query(`CREATE TABLE kept (note text); INSERT INTO kept VALUES ('还在 / still here')`);
    await before.end();

    // The next start finds it running with trust and upgrades it.
    const upgraded = startEmbeddedCluster(REPOSITORY_ROOT, port, root);
    expect(upgraded.port).toBe(port);
    await expectPasswordsRequired(upgraded, root);
    const after = new pg.Client({ connectionString: `${upgraded.baseUrl}/postgres` });
    await after.connect();
    expect((await after.query('SELECT note FROM kept')).rows).toEqual([{ note: '还在 / still here' }]);
    await after.end();
  });
});
