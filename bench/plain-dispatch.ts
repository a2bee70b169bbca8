// `node bench/plain-dispatch.ts <url> <file>`: only the work no action can skip, on undici's
// lowest-level API: getGlobalDispatcher().dispatch() with a new-style handler whose
// onResponseData writes each chunk at its position (fs.writeSync) and feeds a SHA-256 on the
// same thread. No stream, no promise per chunk, nothing validated; prints the hex digest. The
// benchmark times it beside plain-save.ts and the action: what the runtime costs, and what
// the action adds to it.
import { createHash } from 'node:crypto'
import { closeSync, openSync, writeSync } from 'node:fs'
import { type Dispatcher, getGlobalDispatcher } from 'undici'

const [url, target] = process.argv.slice(2)
if (!url || !target) throw new Error('usage: node bench/plain-dispatch.ts <url> <file>')
const { origin, pathname, search } = new URL(url)
const fd = openSync(target, 'w')
const hash = createHash('sha256')
let position = 0

const digest = await new Promise<string>((resolve, reject) => {
  const handler: Dispatcher.DispatchHandler = {
    onRequestStart() {},
    onResponseStart(controller, statusCode) {
      if (statusCode !== 200) controller.abort(new Error(`HTTP ${statusCode}`))
    },
    onResponseData(_controller, chunk) {
      let written = 0
      while (written < chunk.length) {
        written += writeSync(fd, chunk, written, chunk.length - written, position + written)
      }
      position += chunk.length
      hash.update(chunk)
    },
    onResponseEnd() {
      resolve(hash.digest('hex'))
    },
    onResponseError(_controller, error) {
      reject(error)
    },
  }
  getGlobalDispatcher().dispatch({ origin, path: pathname + search, method: 'GET' }, handler)
})
closeSync(fd)
console.log(digest)
