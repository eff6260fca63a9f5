import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataDirLockedError, lockDataDir } from './db.ts';

describe('embedded data directory lock', () => {
  it('refuses a second process while the first holds the directory, and takes over a stale lock', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-lock-'));
    const holder = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)']);
    fs.writeFileSync(path.join(dir, 'carecircle.lock'), String(holder.pid));
    try {
      expect(() => lockDataDir(dir)).toThrow(DataDirLockedError);
      expect(() => lockDataDir(dir)).toThrow(/已被另一个 CareCircle 进程/);
    } finally {
      holder.kill();
      await new Promise((r) => holder.once('exit', r));
    }
    // the holder died: its lock is stale and is taken over
    const release = lockDataDir(dir);
    expect(fs.readFileSync(path.join(dir, 'carecircle.lock'), 'utf8')).toBe(String(process.pid));
    release();
    expect(fs.existsSync(path.join(dir, 'carecircle.lock'))).toBe(false);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
