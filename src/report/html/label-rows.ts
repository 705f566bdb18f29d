/**
 * How the page stacks the event labels of a timeline chart: labels from left to right, each in
 * the first row whose last label ends before it starts, so that no two labels of a row overlap.
 * The page measures each label's drawn width and position, so the layout holds at any width.
 *
 * The page's script embeds this function's source (`labelRows.toString()`), so it is written to
 * stand alone: no imports, no names from outside, nothing a current browser lacks.
 */
export function labelRows(spans: readonly { readonly left: number; readonly width: number }[]): number[] {
  const order = spans.map((_, i) => i).sort((a, b) => spans[a]!.left - spans[b]!.left);
  const rowEnds: number[] = [];
  const rows: number[] = spans.map(() => 0);
  for (const i of order) {
    const span = spans[i]!;
    let row = rowEnds.findIndex((end) => end <= span.left);
    if (row < 0) row = rowEnds.push(0) - 1;
    rowEnds[row] = span.left + span.width;
    rows[i] = row;
  }
  return rows;
}
