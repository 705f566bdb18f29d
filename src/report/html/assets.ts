/**
 * The scripts the report inlines so that it opens offline: Chart.js and its annotation plugin.
 * The renderer stays pure: the CLI reads these files from `node_modules` (paths below) and
 * passes their text in. Nothing is fetched, by the page or by lbsim.
 */

/** Script texts the HTML page inlines, in the order they must run. */
export interface HtmlAssets {
  /** Chart.js's UMD build; it defines `window.Chart`. */
  readonly chartJs: string;
  /** chartjs-plugin-annotation's UMD build; it registers itself with `window.Chart`. */
  readonly annotationPlugin: string;
}

/** Where each asset lives, relative to `node_modules` (the packages are dependencies of lbsim). */
export const HTML_ASSET_FILES: Readonly<Record<keyof HtmlAssets, string>> = {
  chartJs: 'chart.js/dist/chart.umd.js',
  annotationPlugin: 'chartjs-plugin-annotation/dist/chartjs-plugin-annotation.min.js',
};

/** Assets that define nothing: for tests of the markup, where no browser runs the page. */
export const NO_ASSETS: HtmlAssets = { chartJs: '', annotationPlugin: '' };
