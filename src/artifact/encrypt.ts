import { createHash } from 'node:crypto'
import { createReadStream, createWriteStream } from 'node:fs'
import { rm, stat } from 'node:fs/promises'
import { Readable, Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { Encrypter } from 'age-encryption'
import { InputError } from '../core/errors.ts'

/**
 * `encrypt-to`: the validated ZIP is uploaded as an age file (age-encryption.org/v1), so the
 * plain ZIP never leaves the runner. Only public recipients are taken; there is no passphrase
 * mode, since a passphrase in a workflow file would sit next to the ciphertext it protects.
 */

const INPUT = 'encrypt-to'
const ACCEPTED =
  'one age recipient per line (or comma-separated): an X25519 public key such as age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p, or a post-quantum age1pq1… key; blank lines and # comments are ignored'

function shown(value: string): string {
  return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value)
}

function why(value: string): string {
  // A pasted identity is a secret: say what it is without echoing it into the job log.
  if (/AGE-(SECRET-KEY|PLUGIN)-/i.test(value)) {
    return 'is an age identity (a secret key), not a recipient: use the age1… public key that `age-keygen -y` prints for it (and replace the key if it is written in the workflow file)'
  }
  const reason = /^(ssh-|ecdsa-)/.test(value)
    ? 'is an SSH public key, which this action does not take'
    : 'is not a valid age recipient (wrong prefix, bech32 checksum or key length)'
  return `${shown(value)} ${reason}`
}

/**
 * Split the raw input into recipients, each checked by age-encryption's own parser (the one
 * `Encrypter.addRecipient` runs: bech32 checksum, HRP and key length), so a bad key fails here,
 * before any request is made, rather than after the export has been downloaded.
 */
export function parseRecipients(raw: string): string[] {
  const lines = raw.split(/\r?\n/)
  const recipients = new Set<string>()
  lines.forEach((line, index) => {
    // `#` never occurs in bech32, so a comment may also follow a key on the same line.
    for (const part of line.replace(/#.*/, '').split(',')) {
      const value = part.trim()
      if (value === '') continue
      try {
        // Also accepts the tagged (age1tag1…, age1tagpq1…) recipients of hardware-key plugins.
        new Encrypter().addRecipient(value)
      } catch {
        throw new InputError(`Input '${INPUT}' line ${index + 1}: ${why(value)}. Expected ${ACCEPTED}.`)
      }
      recipients.add(value)
    }
  })
  if (recipients.size === 0) {
    const where = lines.length === 1 ? 'its only line is' : `all ${lines.length} lines are`
    throw new InputError(
      `Input '${INPUT}' is set but lists no recipient: ${where} blank or a comment. Expected ${ACCEPTED}.`,
    )
  }
  return [...recipients]
}

/**
 * Encrypt `source` to `target` (mode 0o600) for every recipient, as a stream: the library
 * works in 64 KiB STREAM chunks and both ends apply backpressure, so memory stays flat
 * whatever the ZIP's size. The digest is taken of the ciphertext on its way to disk, which is
 * the file that gets uploaded, so `artifact-digest` describes what a downloader receives.
 */
export async function encryptFile(
  source: string,
  target: string,
  recipients: string[],
): Promise<{ bytes: number; sha256: string }> {
  if (recipients.length === 0) throw new Error('encryptFile needs at least one recipient')
  const encrypter = new Encrypter()
  for (const recipient of recipients) encrypter.addRecipient(recipient)

  // A file left over from an earlier attempt would keep its mode; 'wx' then guarantees 0o600.
  await rm(target, { force: true })
  const plainSize = (await stat(source)).size
  // ReadableStream.from pulls one 64 KiB read at a time, only when the encrypter asks for it
  // (Readable.toWeb pre-reads, and once buffered whole files: nodejs/node#46347).
  const ciphertext = await encrypter.encrypt(ReadableStream.from(createReadStream(source)))
  const hash = createHash('sha256')
  let bytes = 0
  const measure = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk)
      bytes += chunk.length
      done(null, chunk)
    },
  })

  try {
    await pipeline(Readable.fromWeb(ciphertext), measure, createWriteStream(target, { flags: 'wx', mode: 0o600 }))
    // The ZIP was validated before this step: a size change means it was not what got encrypted.
    if (bytes !== ciphertext.size(plainSize)) {
      throw new Error(`${source} changed while it was being encrypted (${bytes} bytes of ciphertext written)`)
    }
  } catch (error) {
    // Never leave a truncated age file where an upload step could pick it up.
    await rm(target, { force: true })
    throw error
  }
  return { bytes, sha256: hash.digest('hex') }
}
