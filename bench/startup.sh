#!/usr/bin/env bash
# Start-up cost of weir as a user installs it: for each tarball given (default: `npm pack` of this checkout),
# install it with rxjs into a scratch project (runtime dependencies only), then report the installed size and,
# from fresh node processes run alternately across the tarballs (ROUNDS rounds, default 15), the median time of
# `require(entry)` and the number of modules it loads, for the main entry, `weir-streams/operators`, and rxjs
# alone as the floor.
#
#   bash bench/startup.sh [a.tgz b.tgz ...]        # e.g. the tarball of the previous commit and of this one
#   taskset -c 1 bash bench/startup.sh ...          # pinned, as BENCHMARKS.md reports it
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS="${ROUNDS:-15}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
tarballs=("$@")
if [ "${#tarballs[@]}" -eq 0 ]; then
  npm pack --silent --pack-destination "$work" >/dev/null
  tarballs=("$work"/*.tgz)
fi
rxjs="$(node -p "require('rxjs/package.json').version")"
i=0
dirs=()
for t in "${tarballs[@]}"; do
  d="$work/c$i"; mkdir -p "$d"; echo '{"name":"c","version":"1.0.0","private":true}' > "$d/package.json"
  (cd "$d" && npm install --silent --no-audit --no-fund --no-package-lock "$(realpath "$t")" "rxjs@$rxjs" >/dev/null 2>&1)
  size_mb=$(du -sm "$d/node_modules" | cut -f1)
  largest=$(cd "$d/node_modules" && du -sm -- * @* 2>/dev/null | sort -rn | head -3 | awk '{printf "%s %s MB; ", $2, $1}')
  echo "tarball $i: $(basename "$t"): installed runtime size ${size_mb} MB (largest: ${largest})"
  dirs+=("$d"); i=$((i + 1))
done
cat > "$work/probe.js" <<'JS'
const target = require.resolve(process.argv[2], { paths: [process.cwd()] });
const t0 = process.hrtime.bigint();
require(target);
const ms = Number(process.hrtime.bigint() - t0) / 1e6;
const files = Object.keys(require.cache);
console.log(JSON.stringify({ ms, files: files.length, kafkajs: files.some((f) => f.includes('/kafkajs/')), level: files.some((f) => f.includes('/classic-level/')) }));
JS
node - "$ROUNDS" "$work/probe.js" "${dirs[@]}" <<'JS'
const { execFileSync } = require('node:child_process');
const [rounds, probe, ...dirs] = process.argv.slice(2);
const entries = ['weir-streams', 'weir-streams/operators', 'rxjs'];
const samples = {};
for (let r = 0; r < Number(rounds); r += 1) {
  for (const [i, d] of dirs.entries()) {
    for (const e of entries) {
      const out = JSON.parse(execFileSync(process.execPath, [probe, e], { cwd: d, encoding: 'utf8' }));
      (samples[`${i} ${e}`] ??= []).push(out);
    }
  }
}
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
for (const [k, v] of Object.entries(samples)) {
  const [i, e] = k.split(' ');
  console.log(`tarball ${i} require('${e}'): median ${median(v.map((x) => x.ms)).toFixed(1)} ms over ${v.length} runs, ${v[0].files} modules, kafkajs ${v[0].kafkajs ? 'loaded' : 'not loaded'}, level ${v[0].level ? 'loaded' : 'not loaded'}`);
}
JS
