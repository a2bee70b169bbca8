import { createHash, randomBytes } from 'node:crypto'
import fs, { createReadStream } from 'node:fs'
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { bech32 } from '@scure/base'
import { Decrypter, generateHybridIdentity, generateIdentity, identityToRecipient } from 'age-encryption'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { encryptFile, parseRecipients } from '../src/artifact/encrypt.ts'
import { InputError } from '../src/core/errors.ts'
import { buildExportArchive } from '../test-support/export-archive.ts'

const MiB = 1024 * 1024
let dir: string
let identity: string
let recipient: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'encrypt-test-'))
  identity = await generateIdentity()
  recipient = await identityToRecipient(identity)
})
afterAll(() => rm(dir, { recursive: true, force: true }))

/** Decrypt an age file with the library's streaming API, as a downloader of the artifact would. */
async function decryptFile(path: string, ...identities: string[]): Promise<Buffer> {
  const decrypter = new Decrypter()
  for (const id of identities) decrypter.addIdentity(id)
  const plain = await decrypter.decrypt(ReadableStream.from(createReadStream(path)))
  return Buffer.from(await new Response(plain).arrayBuffer())
}

/** A few MiB that compress badly and are not one repeated block: a real ZIP, then random bytes. */
function sampleZipLike(): Buffer {
  return Buffer.concat([buildExportArchive({ submissions: 50, files: 5 }), randomBytes(3 * MiB + 12_345)])
}

describe('encryptFile', () => {
  it('round-trips a few MiB byte for byte, and reports the ciphertext it wrote', async () => {
    const plain = sampleZipLike()
    const source = join(dir, 'export.zip')
    const target = `${source}.age`
    await writeFile(source, plain)

    const result = await encryptFile(source, target, [recipient])

    const ciphertext = await readFile(target)
    expect(ciphertext.subarray(0, 22).toString()).toBe('age-encryption.org/v1\n')
    expect(ciphertext.includes(plain.subarray(0, 64))).toBe(false)
    expect(result.bytes).toBe(ciphertext.length)
    expect(result.sha256).toBe(createHash('sha256').update(ciphertext).digest('hex'))
    expect((await stat(target)).mode & 0o777).toBe(0o600)
    expect((await decryptFile(target, identity)).equals(plain)).toBe(true)
  })

  it('round-trips an empty file', async () => {
    const source = join(dir, 'empty.zip')
    await writeFile(source, Buffer.alloc(0))
    const result = await encryptFile(source, `${source}.age`, [recipient])
    expect(result.bytes).toBe((await stat(`${source}.age`)).size)
    expect((await decryptFile(`${source}.age`, identity)).length).toBe(0)
  })

  it('encrypts to every recipient: each identity alone decrypts, a stranger cannot', async () => {
    const second = await generateIdentity()
    const stranger = await generateIdentity()
    const plain = randomBytes(MiB + 1)
    const source = join(dir, 'two.zip')
    await writeFile(source, plain)
    await encryptFile(source, `${source}.age`, [recipient, await identityToRecipient(second)])

    expect((await decryptFile(`${source}.age`, identity)).equals(plain)).toBe(true)
    expect((await decryptFile(`${source}.age`, second)).equals(plain)).toBe(true)
    await expect(decryptFile(`${source}.age`, stranger)).rejects.toThrow(/no identity matched/)
  })

  it('encrypts to a post-quantum hybrid recipient', async () => {
    const pq = await generateHybridIdentity()
    const source = join(dir, 'pq.zip')
    const plain = randomBytes(100_000)
    await writeFile(source, plain)
    await encryptFile(source, `${source}.age`, parseRecipients(await identityToRecipient(pq)))
    expect((await decryptFile(`${source}.age`, pq)).equals(plain)).toBe(true)
  })

  it('needs no age binary: works with an empty PATH', async () => {
    const source = join(dir, 'nopath.zip')
    await writeFile(source, 'PK')
    const path = process.env.PATH
    process.env.PATH = ''
    try {
      await encryptFile(source, `${source}.age`, [recipient])
    } finally {
      process.env.PATH = path
    }
    expect((await decryptFile(`${source}.age`, identity)).toString()).toBe('PK')
  })

  it('replaces a stale target with a 0o600 file, and leaves none behind when it fails', async () => {
    const source = join(dir, 'stale.zip')
    const target = `${source}.age`
    await writeFile(source, randomBytes(MiB))
    await writeFile(target, 'left over from an earlier attempt', { mode: 0o644 })
    await encryptFile(source, target, [recipient])
    expect((await stat(target)).mode & 0o777).toBe(0o600)

    await rm(source)
    await expect(encryptFile(source, target, [recipient])).rejects.toThrow(/ENOENT/)
    await expect(stat(target)).rejects.toThrow(/ENOENT/)
    await writeFile(source, randomBytes(MiB))
    await expect(encryptFile(source, join(dir, 'missing', 'x.age'), [recipient])).rejects.toThrow(/ENOENT/)
  })

  it('streams: 32 MiB never holds more than a few MiB of buffers alive', async () => {
    // What is held is what was read from the ZIP but is not yet ciphertext on disk, measured at
    // every read of the file (fs.read, which read streams call): no sampling, no forced GC.
    // Streaming keeps well under 16 MiB in flight; reading the file whole holds all 32 MiB.
    const source = join(dir, 'big.zip')
    const target = `${source}.age`
    await writeFile(source, randomBytes(32 * MiB))
    const read = fs.read.bind(fs) as (...args: unknown[]) => void
    let plainRead = 0
    let mostInFlight = 0
    const reads = vi.spyOn(fs, 'read').mockImplementation(((...args: unknown[]) => {
      const done = args.pop() as (error: Error | null, bytes: number, buffer: Buffer) => void
      read(...args, (error: Error | null, bytes: number, buffer: Buffer) => {
        plainRead += bytes
        const written = fs.statSync(target, { throwIfNoEntry: false })?.size ?? 0
        mostInFlight = Math.max(mostInFlight, plainRead - written)
        done(error, bytes, buffer)
      })
    }) as typeof fs.read)
    try {
      const result = await encryptFile(source, target, [recipient])
      // 512 STREAM chunks of 64 KiB, 16 bytes of tag each, behind the header and its nonce.
      expect(result.bytes).toBe((await stat(target)).size)
      expect(result.bytes).toBeGreaterThan(32 * MiB + 512 * 16)
    } finally {
      reads.mockRestore()
    }
    expect(plainRead).toBe(32 * MiB)
    expect(mostInFlight).toBeLessThan(16 * MiB)
  })
})

describe('parseRecipients', () => {
  it('reads one per line or comma-separated, skipping blank lines and # comments', async () => {
    const other = await identityToRecipient(await generateIdentity())
    const raw = `# research team\n\n  ${recipient}  \r\n${other}, ${recipient} # alice again\n   \n# end\n`
    expect(parseRecipients(raw)).toEqual([recipient, other])
  })

  const hrp = (prefix: string, bytes: number) => bech32.encode(prefix, bech32.toWords(new Uint8Array(bytes).fill(7)))

  it.each([
    ['a bad bech32 string', 'age1xyz'],
    ['an SSH key', 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl user@host'],
    ['bech32 with the wrong HRP', hrp('agf', 32)],
    ['bech32 with an HRP that only starts with age1', hrp('age1x', 32)],
    ['a 31-byte key', hrp('age', 31)],
    ['a corrupted checksum', 'age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8q'],
  ])('refuses %s, naming encrypt-to, the line and the value', (_, bad) => {
    const raw = `# keys\n${recipient}\n${bad}\n`
    expect(() => parseRecipients(raw)).toThrow(InputError)
    expect(() => parseRecipients(raw)).toThrow(`Input 'encrypt-to' line 3: "${bad.slice(0, 80)}`)
    expect(() => parseRecipients(raw)).toThrow(/Expected one age recipient per line/)
  })

  it('cuts a long bad value to 80 characters', () => {
    const bad = `age1${'q'.repeat(200)}`
    expect(() => parseRecipients(bad)).toThrow(`line 1: ${JSON.stringify(`${bad.slice(0, 80)}…`)} is not`)
  })

  it('refuses a secret key without echoing it into the log', async () => {
    const secret = await generateIdentity()
    let message = ''
    try {
      parseRecipients(`${recipient}\n\n${secret}`)
    } catch (error) {
      message = (error as Error).message
    }
    expect(message).toMatch(/^Input 'encrypt-to' line 3: is an age identity \(a secret key\), not a recipient/)
    expect(message).not.toContain(secret.slice(15))
  })

  it.each(['', '\n\n', '# only a comment\n  \n# another'])('refuses %j: no recipient left', (raw) => {
    expect(() => parseRecipients(raw)).toThrow(InputError)
    expect(() => parseRecipients(raw)).toThrow(
      /^Input 'encrypt-to' is set but lists no recipient: (its only line is|all \d lines are)/,
    )
  })
})
