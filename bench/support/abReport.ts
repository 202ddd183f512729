/**
 * The report of bench/ab.sh: reads a run folder (runs.tsv: workload, side, round, exit status, ms, output prefix;
 * meta.json; notes.txt), takes each run's headline figures from the bench's JSON output, writes every run's
 * figures (and its whole JSON output) to the given JSON file and prints a markdown table to stdout.
 *
 * "head vs base" is head / base for throughputs and base / head for times: above 1 always means head is faster.
 *
 * Run: node -r @swc-node/register bench/support/abReport.ts <run folder> <out.json>
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { median } from './stats';

type Better = 'higher' | 'lower';
interface MetricDef {
  name: string;
  unit: string;
  better: Better;
  read: (out: Record<string, any>) => unknown;
}

/** The headline figure(s) of each workload, read from the bench's JSON output. */
const METRICS: Record<string, MetricDef[]> = {
  'engine-overhead': [
    { name: 'engine events/s (wall)', unit: 'events/s', better: 'higher', read: (o) => o.engineEventsPerSec },
    { name: 'empty batch mean', unit: 'ms', better: 'lower', read: (o) => o.emptyBatchMeanMs },
  ],
  dataframe: [
    { name: 'project, DataFrame steady', unit: 'events/s', better: 'higher', read: (o) => o.project?.dataFrameSteadyEventsPerSec },
    { name: 'window, DataFrame steady', unit: 'events/s', better: 'higher', read: (o) => o.window?.dataFrameSteadyEventsPerSec },
  ],
  'stateful-window': [{ name: 'steady events/s', unit: 'events/s', better: 'higher', read: (o) => o.engineSteadyEventsPerSec }],
  'file-window': [{ name: 'steady rows/s', unit: 'rows/s', better: 'higher', read: (o) => o.weirSteadyRowsPerSec }],
  join: [
    { name: 'steady events/s', unit: 'events/s', better: 'higher', read: (o) => o.steadyEventsPerSec },
    { name: 'steady events/CPU-s', unit: 'events/CPU-s', better: 'higher', read: (o) => o.steadyEventsPerCpuSec },
  ],
  startup: [
    { name: "require('weir-streams')", unit: 'ms', better: 'lower', read: (o) => o.requireMainMs },
    { name: "require('weir-streams/operators')", unit: 'ms', better: 'lower', read: (o) => o.requireOperatorsMs },
  ],
};

/** Figures that the same code on both sides computes (machine-noise controls), kept in the JSON only. */
const CONTROLS: Record<string, (o: Record<string, any>) => Record<string, unknown>> = {
  'engine-overhead': (o) => ({ handWrittenEventsPerSec: o.handWrittenEventsPerSec }),
  'stateful-window': (o) => ({ handWrittenEventsPerSec: o.handWrittenEventsPerSec, verified: o.verified }),
  'file-window': (o) => ({ jsonParseOnlyLinesPerSec: o.jsonParseOnlyLinesPerSec, sinkCountMatches: o.sinkCountMatches }),
  join: (o) => ({ joinedRows: o.joinedRows, joinedRowsExpected: o.joinedRowsExpected }),
};

interface Run {
  workload: string;
  side: 'base' | 'head';
  round: number;
  exitStatus: number;
  seconds: number;
  figures: Record<string, number | null>;
  controls?: Record<string, unknown>;
  error?: string;
  output?: unknown;
}

/** The bench's JSON result: the whole stdout, or else its last line that parses (some benches print one line). */
function parseOutput(text: string): Record<string, any> | undefined {
  const whole = text.trim();
  try {
    return JSON.parse(whole);
  } catch {
    const start = whole.indexOf('{');
    const end = whole.lastIndexOf('}');
    if (start >= 0 && end > start) {
      try {
        return JSON.parse(whole.slice(start, end + 1));
      } catch {
        /* fall through */
      }
    }
  }
  return undefined;
}

const fmt = (x: number | undefined, unit: string): string => {
  if (x === undefined || !Number.isFinite(x)) return '—';
  if (unit === 'ms') return x < 10 ? x.toFixed(2) : x.toFixed(1);
  return Math.round(x).toLocaleString('en-US');
};
const short = (x: number | null, unit: string): string => {
  if (x === null || !Number.isFinite(x)) return 'fail';
  if (unit === 'ms') return x < 10 ? x.toFixed(2) : x.toFixed(0);
  return x >= 1e6 ? `${(x / 1e6).toFixed(2)}M` : x >= 1e3 ? `${(x / 1e3).toFixed(0)}k` : String(Math.round(x));
};

function main(): void {
  const [dir, outFile] = process.argv.slice(2);
  if (!dir || !outFile) throw new Error('usage: abReport.ts <run folder> <out.json>');
  const meta = JSON.parse(readFileSync(`${dir}/meta.json`, 'utf8')) as Record<string, unknown>;
  const notes = existsSync(`${dir}/notes.txt`) ? readFileSync(`${dir}/notes.txt`, 'utf8').split('\n').filter(Boolean) : [];
  const runs: Run[] = [];
  for (const line of readFileSync(`${dir}/runs.tsv`, 'utf8').split('\n')) {
    if (!line) continue;
    const [workload, side, round, status, ms, prefix] = line.split('\t') as [string, 'base' | 'head', string, string, string, string];
    const defs = METRICS[workload] ?? [];
    const stdout = existsSync(`${prefix}.out`) ? readFileSync(`${prefix}.out`, 'utf8') : '';
    const out = Number(status) === 0 ? parseOutput(stdout) : undefined;
    const figures: Record<string, number | null> = {};
    for (const d of defs) {
      const v = out ? d.read(out) : undefined;
      figures[d.name] = typeof v === 'number' && Number.isFinite(v) ? v : null;
    }
    const run: Run = { workload, side, round: Number(round), exitStatus: Number(status), seconds: Number(ms) / 1000, figures };
    if (out && CONTROLS[workload]) run.controls = CONTROLS[workload]!(out);
    if (Number(status) !== 0 || !out) {
      const err = existsSync(`${prefix}.err`) ? readFileSync(`${prefix}.err`, 'utf8') : '';
      run.error = (Number(status) !== 0 ? err : `no JSON in the output: ${stdout}`).slice(-2000);
    }
    run.output = out;
    runs.push(run);
  }

  const lines: string[] = [];
  const summary: Record<string, unknown>[] = [];
  lines.push(
    `A/B: base ${String(meta.base).slice(0, 10)} (${String(meta.baseRev)}) vs head ${String(meta.head).slice(0, 10)} (${String(meta.headRev)}), ` +
      `${String(meta.rounds)} rounds (base, head alternating), pinned to CPU ${String(meta.cpu)}, SIZE=${String(meta.size)}, node ${String(meta.node)}, ` +
      `load average at the end ${String(meta.loadavg)}`,
  );
  lines.push('');
  lines.push('head vs base: head/base for throughputs, base/head for times, so > 1 means head is faster. paired: the median of the per-round ratios.');
  lines.push('');
  lines.push('| workload | metric | base median | head median | head vs base | paired | per round (base / head) |');
  lines.push('|---|---|---|---|---|---|---|');
  let worst: { workload: string; metric: string; ratio: number } | undefined;
  const workloads = [...new Set(runs.map((r) => r.workload))];
  for (const w of workloads) {
    for (const d of METRICS[w] ?? []) {
      const mine = runs.filter((r) => r.workload === w);
      const rounds = [...new Set(mine.map((r) => r.round))].sort((a, b) => a - b);
      const value = (side: 'base' | 'head', round: number) => mine.find((r) => r.side === side && r.round === round)?.figures[d.name] ?? null;
      const baseVals = rounds.map((r) => value('base', r));
      const headVals = rounds.map((r) => value('head', r));
      const ok = (xs: (number | null)[]) => xs.filter((x): x is number => x !== null);
      const bm = ok(baseVals).length ? median(ok(baseVals)) : undefined;
      const hm = ok(headVals).length ? median(ok(headVals)) : undefined;
      const speed = (b: number, h: number) => (d.better === 'higher' ? h / b : b / h);
      const ratio = bm !== undefined && hm !== undefined ? speed(bm, hm) : undefined;
      const paired = ok(rounds.map((_, i) => (baseVals[i] !== null && headVals[i] !== null ? speed(baseVals[i]!, headVals[i]!) : null)));
      const pairedMedian = paired.length ? median(paired) : undefined;
      const perRound = rounds.map((_, i) => `${short(baseVals[i]!, d.unit)} / ${short(headVals[i]!, d.unit)}`).join(', ');
      lines.push(
        `| ${w} | ${d.name} (${d.unit}) | ${fmt(bm, d.unit)} | ${fmt(hm, d.unit)} | ${ratio === undefined ? '—' : `**${ratio.toFixed(3)}**`} | ` +
          `${pairedMedian === undefined ? '—' : pairedMedian.toFixed(3)} | ${perRound} |`,
      );
      summary.push({ workload: w, metric: d.name, unit: d.unit, better: d.better, baseMedian: bm, headMedian: hm, headVsBase: ratio, pairedMedianRatio: pairedMedian, base: baseVals, head: headVals });
      if (ratio !== undefined && (worst === undefined || ratio < worst.ratio)) worst = { workload: w, metric: d.name, ratio };
    }
  }
  const failed = runs.filter((r) => r.error);
  for (const r of failed) lines.push('', `failed: ${r.workload} ${r.side} round ${r.round} (exit ${r.exitStatus}): ${r.error!.split('\n').filter(Boolean).slice(-3).join(' | ')}`);
  if (notes.length) lines.push('', ...notes.map((n) => `note: ${n}`));
  lines.push('', worst ? `worst: ${worst.workload} ${worst.ratio.toFixed(3)} (${worst.metric})` : 'worst: none (no figures)');
  writeFileSync(outFile, `${JSON.stringify({ meta, notes, summary, runs }, null, 2)}\n`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

main();
