import { EXTRA_FIELD, PLACEHOLDER } from './records.ts'

/** 4.5.1: an extra field, its header ID and its data. */
export interface ExtraField {
  id: number
  data: Buffer
}

/**
 * 4.5.3: header values with the ZIP64 extended information field's in place of placeholders.
 * The field holds only the values whose header field is the placeholder, in the order
 * uncompressed size, compressed size, local header offset (8 bytes each), disk number start
 * (4 bytes): `values` and `placeholders` are given in that order. A value the field is missing
 * or too short for comes back undefined. `zip64Data` is asked only when a placeholder is there.
 */
export function zip64Values(
  zip64Data: () => Buffer | undefined,
  values: readonly number[],
  placeholders: readonly number[],
): ReadonlyArray<number | undefined> {
  if (!values.some((value, i) => value === placeholders[i])) return values
  const data = zip64Data()
  let at = 0
  return values.map((value, i) => {
    if (value !== placeholders[i]) return value
    const wide = placeholders[i] !== PLACEHOLDER.u16
    if (!data || at + (wide ? 8 : 4) > data.length) return undefined
    at += wide ? 8 : 4
    return wide ? Number(data.readBigUInt64LE(at - 8)) : data.readUInt32LE(at - 4)
  })
}

/** The data of the ZIP64 extended information field among `fields`, if there is one. */
export function zip64Field(fields: readonly ExtraField[] | undefined): Buffer | undefined {
  return fields?.find((field) => field.id === EXTRA_FIELD.zip64)?.data
}
