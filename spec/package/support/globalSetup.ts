/**
 * Jest globalSetup of the `package` project: packs weir and installs the tarball into fresh CommonJS and ESM
 * consumer projects (tools/pack-check/consumers.ts); the workers find them through `WEIR_PACK_CONSUMERS`.
 */
import { ensurePackedConsumers } from '../../../tools/pack-check/consumers';

export default function globalSetup(): void {
  const t0 = Date.now();
  const c = ensurePackedConsumers();
  process.stderr.write(`\n[package] packed ${c.tarball} and installed it into two consumer projects in ${Date.now() - t0} ms\n`);
}
