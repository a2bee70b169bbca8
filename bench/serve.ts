// Where the benchmark's downloads come from: bench/sendfile-server.py, which sends the archive
// with sendfile(2) and so leaves the client its cores (as S3 does for a runner); without
// python3, the fake Prolific API's own storage, which streams the file from Node in this
// process and competes with the measured client for the machine's cores.
import { spawn, spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { createInterface } from 'node:readline'

const SCRIPT = join(import.meta.dirname, 'sendfile-server.py')

export const hasPython = spawnSync('python3', ['--version'], { encoding: 'utf8' }).status === 0

export const serverDescription = hasPython
  ? 'sendfile server (bench/sendfile-server.py, python3 sendfile(2))'
  : "fake Prolific's own storage (Node streams in the bench process: python3 is missing)"

export interface ArchiveServer {
  /** http://127.0.0.1:<port>, or undefined for the fake's own storage. */
  origin: string | undefined
  close(): Promise<void>
}

/** Starts the sendfile server for this archive, or (no python3) nothing. */
export async function serveArchive(path: string): Promise<ArchiveServer> {
  if (!hasPython) return { origin: undefined, close: async () => undefined }
  const child = spawn('python3', [SCRIPT, path], { stdio: ['pipe', 'pipe', 'inherit'] })
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()))
  // It stops when its stdin closes; a server that does not is killed, and not waited for long.
  const close = async () => {
    child.stdin.end()
    let timer: NodeJS.Timeout | undefined
    const late = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        child.kill('SIGKILL')
        resolve()
      }, 5_000)
    })
    await Promise.race([exited, late])
    clearTimeout(timer)
  }
  try {
    const port = await new Promise<number>((resolve, reject) => {
      const lines = createInterface({ input: child.stdout })
      child.once('error', reject)
      child.once('close', (code) => reject(new Error(`bench/sendfile-server.py exited with ${code}`)))
      lines.once('line', (line) => {
        lines.close()
        const port = Number(line.trim())
        if (Number.isInteger(port) && port > 0) resolve(port)
        else reject(new Error(`bench/sendfile-server.py printed '${line}', not a port`))
      })
    })
    return { origin: `http://127.0.0.1:${port}`, close }
  } catch (error) {
    await close()
    throw error
  }
}
