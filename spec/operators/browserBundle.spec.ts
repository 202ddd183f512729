/**
 * The operators entry point is free of Node: esbuild bundles `weir-streams/operators` for the browser with no
 * polyfill (a Node built-in on its import graph fails the build), so importing only the operators never loads
 * `node:fs`, LevelDB or the engine.
 */
import * as path from 'node:path';
import { build } from 'esbuild';

const ROOT = path.join(__dirname, '..', '..');

describe('weir-streams/operators in a browser bundle', () => {
  it('bundles with platform=browser and no Node built-in, checkpoint or query module on its graph', async () => {
    const result = await build({
      entryPoints: [path.join(ROOT, 'operators', 'index.ts')],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      metafile: true,
      logLevel: 'silent',
    }).catch((e: { errors?: Array<{ text: string; location?: { file: string } | null }> }) => {
      throw new Error((e.errors ?? []).map((x) => `${x.text} (${x.location?.file ?? '?'})`).join('\n') || String(e));
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.filter((f) => /^(lib\/(query|engine|checkpoint)\/|lib\/state\/LevelStateStore|node_modules\/(level|classic-level|abstract-level)\/)/.test(f))).toEqual([]);
    expect(result.outputFiles[0]!.text).not.toMatch(/require\(["']node:/);
  }, 60_000);
});
