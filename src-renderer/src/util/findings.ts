/** The rows of a categorical residual finding: "col = v, col2 = w" -> column/value pairs. */
export function findingRows(name: string): { column: string; value: string }[] {
  return name.split(', ').map((part) => {
    const at = part.indexOf(' = ');
    return { column: part.slice(0, at), value: part.slice(at + 3) };
  });
}
