/**
 * A row key for tables whose rows have no unique field: segments are told apart by their values,
 * not their shown names ("a | b" + "c" and "a" + "b | c" show alike), and a row object keeps its
 * key for as long as it lives.
 */
export function rowKeyer(): (row: object) => number {
  const keys = new WeakMap<object, number>();
  let next = 0;
  return (row) => {
    let key = keys.get(row);
    if (key === undefined) {
      key = next++;
      keys.set(row, key);
    }
    return key;
  };
}
