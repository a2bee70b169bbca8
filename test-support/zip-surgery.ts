// Hand-made hostile ZIPs that no writer produces: here, an entry whose local header and data
// lie inside another entry's data (the overlapping-files zip bomb).
import { buildZip, type ZipEntrySpec } from './zip-builder.ts'

const CDH = 0x02014b50
const EOCD = 0x06054b50

function centralDirectory(zip: Buffer): { offset: number; eocd: number } {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]))
  if (eocd < 0 || zip.readUInt32LE(eocd) !== EOCD) throw new Error('no end record')
  return { offset: zip.readUInt32LE(eocd + 16), eocd }
}

/**
 * `entries` plus one more entry, `hidden`, stored inside the data of the last of `entries`
 * (which must be stored) and listed in the central directory: two entries sharing bytes.
 */
export function overlappingZip(entries: ZipEntrySpec[], hidden: { name: string; data: string }): Buffer {
  const inner = buildZip([{ ...hidden, method: 'store' }])
  const innerDir = centralDirectory(inner)
  const innerLocal = inner.subarray(0, innerDir.offset)
  const innerCentral = Buffer.from(inner.subarray(innerDir.offset, innerDir.eocd))
  const carrier = entries.at(-1)
  if (!carrier) throw new Error('need a carrier entry')
  const outer = buildZip([...entries.slice(0, -1), { ...carrier, method: 'store', data: innerLocal }])
  const dir = centralDirectory(outer)
  // The carrier's data starts right after its local header (30 bytes + name, no extra field).
  const carrierCentral = outer.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]), dir.eocd)
  const carrierOffset = outer.readUInt32LE(carrierCentral + 42)
  const hiddenOffset = carrierOffset + 30 + Buffer.byteLength(carrier.name)
  if (innerCentral.readUInt32LE(0) !== CDH) throw new Error('no central header')
  innerCentral.writeUInt32LE(hiddenOffset, 42)
  const central = Buffer.concat([outer.subarray(dir.offset, dir.eocd), innerCentral])
  const eocd = Buffer.from(outer.subarray(dir.eocd))
  eocd.writeUInt16LE(eocd.readUInt16LE(8) + 1, 8)
  eocd.writeUInt16LE(eocd.readUInt16LE(10) + 1, 10)
  eocd.writeUInt32LE(central.length, 12)
  return Buffer.concat([outer.subarray(0, dir.offset), central, eocd])
}
