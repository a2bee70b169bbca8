// Azurite, the Azure Storage emulator (npm package `azurite`), as real blob storage for the
// artifact upload: its blob service runs as a child process on a loopback port the OS picks,
// keeps everything in memory (nothing is written to disk, let alone to the repository) and
// speaks the real Azure Storage REST API, SAS checks included. azuriteArtifactStorage() gives
// the fake results service signed upload and download URLs into it.
import {
  BlobSASPermissions,
  BlobServiceClient,
  type ContainerClient,
  generateBlobSASQueryParameters,
  StorageSharedKeyCredential,
} from '@azure/storage-blob'
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ArtifactStorage } from './fake-results-twirp.ts'
import { ROOT } from './run-action.ts'

/** Azurite's well-known development account and key (public, documented, emulator-only). */
export const DEV_ACCOUNT = 'devstoreaccount1'
export const DEV_ACCOUNT_KEY =
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='

const BLOB_MAIN = join(ROOT, 'node_modules', 'azurite', 'dist', 'src', 'blob', 'main.js')
// Azurite only ends on a signal or an IPC 'shutdown'; this makes it end with its parent too
// (the IPC channel closes when the test worker exits or is killed), so none is ever left behind.
const EXIT_WITH_PARENT = `data:text/javascript,process.on('disconnect', () => process.exit(0))`

export interface Azurite {
  /** Blob service endpoint, path style: http://127.0.0.1:PORT/devstoreaccount1 */
  url: string
  /** A client with the account key: full access, for set-up and for reading blobs back. */
  service: BlobServiceClient
  credential: StorageSharedKeyCredential
  /** What Azurite printed, for a failing test's message. */
  log(): string
  stop(): Promise<void>
}

export async function startAzurite({ timeoutMs = 20_000 } = {}): Promise<Azurite> {
  // --inMemoryPersistence rules out --location; the working directory is where anything else
  // (a debug log, were one asked for) would go, so it is a private temporary folder.
  const cwd = mkdtempSync(join(tmpdir(), 'azurite-'))
  const args = [
    ...['--blobHost', '127.0.0.1', '--blobPort', '0'],
    '--inMemoryPersistence',
    '--disableTelemetry',
    '--skipApiVersionCheck',
    '--silent',
  ]
  const child = spawn(process.execPath, ['--import', EXIT_WITH_PARENT, BLOB_MAIN, ...args], {
    cwd,
    env: { PATH: process.env.PATH, SYSTEMROOT: process.env.SYSTEMROOT },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  })
  let output = ''
  const stop = () => stopChild(child).finally(() => rmSync(cwd, { recursive: true, force: true }))
  let url: string
  try {
    url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`Azurite did not start in ${timeoutMs} ms`)), timeoutMs)
      const onData = (chunk: Buffer): void => {
        output += chunk.toString()
        const listening = /successfully listens on (http:\/\/\S+)/.exec(output)
        if (listening?.[1]) {
          clearTimeout(timer)
          resolve(listening[1])
        }
      }
      child.stdout?.on('data', onData)
      child.stderr?.on('data', onData)
      child.once('error', reject)
      child.once('exit', (code, signal) => reject(new Error(`Azurite exited (${signal ?? code}) before listening`)))
    })
  } catch (error) {
    await stop()
    throw new Error(`${(error as Error).message}:\n${output}`, { cause: error })
  }
  const endpoint = `${url.replace(/\/$/, '')}/${DEV_ACCOUNT}`
  const credential = new StorageSharedKeyCredential(DEV_ACCOUNT, DEV_ACCOUNT_KEY)
  return { url: endpoint, service: new BlobServiceClient(endpoint, credential), credential, log: () => output, stop }
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000)
    child.once('exit', () => {
      clearTimeout(timer)
      resolve()
    })
    // Closing the IPC channel ends it (EXIT_WITH_PARENT); in memory, there is nothing to save.
    if (child.connected) child.disconnect()
    else child.kill('SIGKILL')
  })
}

export interface AzuriteArtifactStorage extends ArtifactStorage {
  container: ContainerClient
  /** The blob of the artifact with this id, read back with the account key. */
  read(blob: string): Promise<{ bytes: Buffer; contentType: string | undefined }>
}

/**
 * Artifact blobs in one container of Azurite. Upload URLs carry a blob SAS (create + write,
 * one hour) signed with the account key, like the results service hands out; download URLs a
 * read SAS whose `rscd` makes the answer name the file (the library saves it under that name).
 */
export async function azuriteArtifactStorage(azurite: Azurite, containerName: string): Promise<AzuriteArtifactStorage> {
  const container = azurite.service.getContainerClient(containerName)
  await container.create()
  const sign = (blob: string, permissions: string, contentDisposition?: string): string => {
    const sas = generateBlobSASQueryParameters(
      {
        containerName,
        blobName: blob,
        permissions: BlobSASPermissions.parse(permissions),
        expiresOn: new Date(Date.now() + 3_600_000),
        ...(contentDisposition === undefined ? {} : { contentDisposition }),
      },
      azurite.credential,
    )
    return `${container.getBlobClient(blob).url}?${sas.toString()}`
  }
  return {
    container,
    signUpload: async (blob) => sign(blob, 'cw'),
    signDownload: async (blob, fileName) => sign(blob, 'r', attachment(fileName)),
    size: async (blob) => {
      const properties = await container
        .getBlobClient(blob)
        .getProperties()
        .catch((error: unknown) => {
          if ((error as { statusCode?: number }).statusCode === 404) return undefined
          throw error
        })
      return properties?.contentLength
    },
    remove: async (blob) => void (await container.getBlobClient(blob).deleteIfExists()),
    read: async (blob) => {
      const client = container.getBlobClient(blob)
      const [bytes, properties] = await Promise.all([client.downloadToBuffer(), client.getProperties()])
      return { bytes, contentType: properties.contentType }
    },
  }
}

/** RFC 6266: an ASCII stand-in for old clients, and the exact name in RFC 5987 form. */
function attachment(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_')
  const exact = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
  return `attachment; filename="${ascii}"; filename*=UTF-8''${exact}`
}
