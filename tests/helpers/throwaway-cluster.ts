import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPOSITORY_ROOT } from '../../server/config.js';
import { ownerCommand, startEmbeddedCluster, type EmbeddedCluster } from '../../server/db/cluster.js';
import { ensureDatabaseExists } from '../../server/db/database.js';
import { populateTestDatabase } from './test-database.js';

const run = promisify(execFile);

/**
 * A PostgreSQL cluster of a test file's own, in a temporary folder, that the file may restart, stop,
 * kill and freeze without touching the cluster the other test files share. Every control is
 * asynchronous: the app under test runs in the same process and must keep serving meanwhile.
 */
export class ThrowawayCluster {
  readonly root: string;
  cluster: EmbeddedCluster;
  #frozen: number[] = [];

  private constructor(root: string, cluster: EmbeddedCluster) {
    this.root = root;
    this.cluster = cluster;
  }

  /** Starts a fresh cluster with a database `name` ready as the tests expect it (demo city, users). */
  static async create(name: string): Promise<ThrowawayCluster> {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'biaotu-outage-'));
    fs.chmodSync(root, 0o755);
    // The embedded cluster's set-up (initdb, passwords in root/credentials.json, a free port), in root.
    const cluster = startEmbeddedCluster(REPOSITORY_ROOT, 56000 + (process.pid % 2000), root);
    const throwaway = new ThrowawayCluster(root, cluster);
    try {
      await ensureDatabaseExists(cluster.baseUrl, name);
      await populateTestDatabase(throwaway.adminUrl(name), () => undefined);
    } catch (error) {
      await throwaway.destroy();
      throw error;
    }
    return throwaway;
  }

  adminUrl(database: string): string {
    return `${this.cluster.baseUrl}/${database}`;
  }

  /** The application's connection (role biaotu_app, as in production). */
  appUrl(database: string): string {
    return `${this.cluster.appBaseUrl}/${database}`;
  }

  async #pgCtl(...args: string[]): Promise<void> {
    // The log where startEmbeddedCluster puts it: without -l the server would keep pg_ctl's output open.
    const logFile = path.join(this.root, 'postgresql.log');
    const [file, fileArgs] = ownerCommand('pg_ctl', ['-D', this.cluster.dataDirectory, '-l', logFile, '-t', '60', ...args]);
    await run(file, fileArgs);
  }

  /** `pg_ctl restart -m fast`: also starts a stopped or killed server, with the options it ran with. */
  async restart(): Promise<void> {
    await this.#pgCtl('-m', 'fast', '-w', 'restart');
  }

  async stop(): Promise<void> {
    await this.#pgCtl('-m', 'fast', '-w', 'stop');
  }

  postmasterPid(): number {
    return Number(fs.readFileSync(path.join(this.cluster.dataDirectory, 'postmaster.pid'), 'utf8').split('\n')[0]);
  }

  /** The postmaster's children: checkpointer, writers, launchers, backends. */
  async children(): Promise<number[]> {
    const { stdout } = await run('pgrep', ['-P', String(this.postmasterPid())]).catch(() => ({ stdout: '' }));
    return stdout.split('\n').filter(Boolean).map(Number);
  }

  /** `kill -9` of the postmaster; resolves once its children have gone too (they leave on its death). */
  async killPostmaster(): Promise<void> {
    const children = await this.children();
    process.kill(this.postmasterPid(), 'SIGKILL');
    for (let attempt = 0; attempt < 200 && children.some(isAlive); attempt++) await sleep(50);
  }

  /** SIGSTOP to the postmaster (first: it forks no more) and every child: a hung database. */
  async freeze(): Promise<void> {
    const postmaster = this.postmasterPid();
    process.kill(postmaster, 'SIGSTOP');
    this.#frozen.push(postmaster);
    for (const pid of await this.children()) {
      try {
        process.kill(pid, 'SIGSTOP');
        this.#frozen.push(pid);
      } catch { /* gone meanwhile */ }
    }
  }

  thaw(): void {
    for (const pid of this.#frozen.reverse()) {
      try {
        process.kill(pid, 'SIGCONT');
      } catch { /* gone */ }
    }
    this.#frozen = [];
  }

  /** Thaws, stops the server (kill -9 if it will not stop) and removes the folder: safe to call after any failure. */
  async destroy(): Promise<void> {
    this.thaw();
    await this.stop().catch(() => {
      try {
        process.kill(this.postmasterPid(), 'SIGKILL');
      } catch { /* not running */ }
    });
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
