import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { DATABASE_BUSY, DATABASE_UNAVAILABLE, DatabaseAvailability, databaseFault } from './availability.js';
import { connectDatabase } from './database.js';

function databaseError(code: string, message: string): pg.DatabaseError {
  const error = new pg.DatabaseError(message, message.length, 'error');
  error.code = code;
  return error;
}

describe('databaseFault', () => {
  it('names the SQLSTATEs of a database going away or not there yet', () => {
    expect(databaseFault(databaseError('57P01', 'terminating connection due to administrator command'))).toBe(DATABASE_UNAVAILABLE);
    expect(databaseFault(databaseError('57P03', 'the database system is starting up'))).toBe(DATABASE_UNAVAILABLE);
    expect(databaseFault(databaseError('08006', 'connection failure'))).toBe(DATABASE_UNAVAILABLE);
    expect(databaseFault(databaseError('23505', 'duplicate key value violates unique constraint'))).toBeNull();
    expect(databaseFault(databaseError('57014', 'canceling statement due to statement timeout'))).toBeNull();
  });

  it("knows pg's own words for a lost connection, a hung query and a full pool", () => {
    expect(databaseFault(new Error('Connection terminated unexpectedly'))).toBe(DATABASE_UNAVAILABLE);
    expect(databaseFault(new Error('Query read timeout'))).toBe(DATABASE_UNAVAILABLE);
    expect(databaseFault(new Error('timeout exceeded when trying to connect'))).toBe(DATABASE_BUSY);
    expect(databaseFault(new Error('wrapped', { cause: new Error('Connection terminated due to connection timeout') }))).toBe(DATABASE_UNAVAILABLE);
  });

  it('counts a refused connection only when it comes from the database, not from an aborted upload', async () => {
    expect(databaseFault(Object.assign(new Error('aborted'), { code: 'ECONNRESET' }))).toBeNull();
    // Nothing listens on port 1: a real refused connection, through the guarded pool.
    const nowhere = connectDatabase('postgres://nobody@127.0.0.1:1/nothing', 1);
    nowhere.availability.log = { warn: () => undefined, info: () => undefined };
    try {
      const refused = await nowhere.pool.query('SELECT 1').then(() => null, (error: unknown) => error);
      expect(databaseFault(refused)).toBe(DATABASE_UNAVAILABLE);
      expect(nowhere.availability.available).toBe(false);
    } finally {
      await nowhere.close();
    }
  });
});

describe('DatabaseAvailability', () => {
  it('logs an outage once when it begins and once when an attempt made since succeeds', () => {
    const lines: string[] = [];
    const tracker = new DatabaseAvailability();
    tracker.log = { warn: (line) => lines.push(`warn ${line}`), info: (line) => lines.push(`info ${line}`) };
    const before = performance.now() - 1;
    for (let request = 0; request < 20; request++) tracker.refused(new Error('Connection terminated unexpectedly'));
    tracker.refused(new Error('not a database fault'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^warn 数据库不可用/);
    tracker.answered(before); // a query sent before the outage began proves nothing
    expect(tracker.available).toBe(false);
    tracker.answered();
    expect(tracker.available).toBe(true);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^info 数据库已恢复.* 20 request\(s\) got 503/);
  });
});
