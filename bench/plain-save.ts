// `node bench/plain-save.ts <url> <file>`: the work no action can skip, done the plain Node way
// with the same stack and nothing validated: undici receives, the file is written through a
// stream, and SHA-256 is computed on the same thread. The benchmark times it beside the action
// to show what Node and undici cost on this machine before any validation.
import { createHash } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { request } from 'undici'

const [url, target] = process.argv.slice(2)
if (!url || !target) throw new Error('usage: node bench/plain-save.ts <url> <file>')
const { statusCode, body } = await request(url)
if (statusCode !== 200) throw new Error(`HTTP ${statusCode}`)
const hash = createHash('sha256')
const hashing = new Transform({
  transform(chunk: Buffer, _encoding, done) {
    hash.update(chunk)
    done(null, chunk)
  },
})
await pipeline(body, hashing, createWriteStream(target))
console.log(hash.digest('hex'))
