/** JSON files under the sandbox's state directory, written atomically (temp file + rename). */
import fs from 'node:fs';
import path from 'node:path';

export class JsonFileStore {
  constructor(readonly dir: string) {
    fs.mkdirSync(dir, { recursive: true });
  }

  private file(name: string): string {
    if (!/^[a-z0-9_-]+$/i.test(name)) throw new Error(`invalid state file name: ${name}`);
    return path.join(this.dir, `${name}.json`);
  }

  read<T>(name: string): T | undefined {
    let text: string;
    try {
      text = fs.readFileSync(this.file(name), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    return JSON.parse(text) as T;
  }

  /** Atomic: readers see the old file or the new one, never a torn write. */
  write(name: string, value: unknown): void {
    const target = this.file(name);
    const temp = `${target}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    const fd = fs.openSync(temp, 'w');
    try {
      fs.writeFileSync(fd, JSON.stringify(value));
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temp, target);
  }

  remove(name: string): void {
    fs.rmSync(this.file(name), { force: true });
  }
}
