/** The playground as the CLI writes it: the page, and what it is made of. */
export { renderPlayground, type PlaygroundInput } from './page.js';
export { FIRST_SCENARIO, type CatalogEntry } from './catalog.js';
