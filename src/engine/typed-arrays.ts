/** Growing the typed arrays that hot paths keep instead of objects. */

type AnyTypedArray = Float64Array | Int32Array | Uint32Array | Uint8Array;

/** A copy of `array`, `length` long (at least its length), of the same kind, with its values first. */
export function grown<T extends AnyTypedArray>(array: T, length: number): T {
  const next = new (array.constructor as new (length: number) => T)(Math.max(length, array.length));
  next.set(array);
  return next;
}
