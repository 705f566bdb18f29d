/**
 * `lbsim report <summary.json ...>` rebuilds the HTML report from saved summaries — one, or
 * several runs (other seeds, other scenarios) compared in one page — and `readHtmlAssets` reads
 * the chart libraries from node_modules for it and for `lbsim run`. The page itself is
 * report/html's pure `renderHtml`; this file only reads and writes.
 */
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { HTML_ASSET_FILES, parseSummaryText, renderHtml, type HtmlAssets, type Summary } from '../report/index.js';
import { FILE_LIMITS, type Io } from './io.js';

export interface ReportArgs {
  readonly summaries: readonly string[];
  /** The HTML file to write; undefined: see `defaultReportPath`. */
  readonly out: string | undefined;
}

/** The file name of the report, beside summary.json. */
export const REPORT_FILE = 'report.html';

/**
 * Where `lbsim report` writes when `--out` is not given: beside the summary for one summary,
 * `reports/comparison/report.html` for several.
 */
export function defaultReportPath(summaries: readonly string[]): string {
  return summaries.length === 1 ? join(dirname(summaries[0]!), REPORT_FILE) : join('reports', 'comparison', REPORT_FILE);
}

/** The directory a dependency is installed in, found through Node's resolution from this file. */
function packageDir(name: string): string {
  let dir = dirname(createRequire(import.meta.url).resolve(name));
  while (!(basename(dir) === name && basename(dirname(dir)) === 'node_modules')) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find the ${name} package directory`);
    dir = parent;
  }
  return dir;
}

/** Reads Chart.js and the annotation plugin from node_modules (an error here is an installation problem). */
export async function readHtmlAssets(io: Io): Promise<HtmlAssets> {
  const read = async (file: string) => {
    const [name, ...rest] = file.split('/');
    return io.readFile(join(packageDir(name!), ...rest), FILE_LIMITS.packaged);
  };
  return { chartJs: await read(HTML_ASSET_FILES.chartJs), annotationPlugin: await read(HTML_ASSET_FILES.annotationPlugin) };
}

async function readSummary(file: string, io: Io): Promise<Summary | string> {
  let text: string;
  try {
    text = await io.readFile(file, FILE_LIMITS.summary);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    return `${file}: cannot read the summary: ${reason}`;
  }
  const read = parseSummaryText(text, file);
  return read.ok ? read.summary : read.error;
}

/** Runs `lbsim report`: 0 when the page was written, 2 when a summary is missing or not one. */
export async function reportCommand(args: ReportArgs, io: Io): Promise<number> {
  const summaries: Summary[] = [];
  const errors: string[] = [];
  for (const file of args.summaries) {
    const read = await readSummary(file, io);
    if (typeof read === 'string') errors.push(read);
    else summaries.push(read);
  }
  if (errors.length > 0) {
    io.stderr.write(errors.map((e) => `lbsim: ${e}\n`).join(''));
    return 2;
  }
  const out = args.out ?? defaultReportPath(args.summaries);
  await io.writeFileAtomic(out, renderHtml(summaries, await readHtmlAssets(io)));
  io.stdout.write(`wrote ${out} (${summaries.length} summar${summaries.length === 1 ? 'y' : 'ies'}, ${summaries.reduce((n, s) => n + s.strategies.length, 0)} strategies)\n`);
  return 0;
}
