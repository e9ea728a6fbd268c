/** The closing table: one row per figure, with its target and whether it is met when it has one. */
export interface TableRow {
  figure: string;
  value: string;
  target?: string;
  met?: boolean;
}

export function renderTable(rows: readonly TableRow[]): string {
  const cells = rows.map((row) => [
    row.figure,
    row.value,
    row.target ?? "",
    row.met === undefined ? "" : row.met ? "met" : "MISSED",
  ]);
  const header = ["figure", "value", "target", ""];
  const widths = header.map((title, i) =>
    Math.max(title.length, ...cells.map((cell) => cell[i]?.length ?? 0)),
  );
  const line = (cell: readonly string[]) =>
    cell
      .map((text, i) => (i === 1 ? text.padStart(widths[i] ?? 0) : text.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  return [
    line(header),
    widths
      .map((width) => "-".repeat(width))
      .join("  ")
      .trimEnd(),
    ...cells.map(line),
  ].join("\n");
}
