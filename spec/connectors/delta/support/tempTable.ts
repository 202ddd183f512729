/**
 * A fresh table folder per test, under the OS temp folder.
 *
 * Invariant: each call returns a path that does not exist yet, inside a new private temp folder.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

export function tempTable(name = 't'): string {
  return path.join(mkdtempSync(path.join(tmpdir(), 'weir-delta-')), name);
}
