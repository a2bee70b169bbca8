// Every hostile archive of the corpus, for the end-to-end test against dist/index.js.
export interface HostileArchive {
  title: string
  build(): Buffer
  extract: boolean
  error: RegExp
  forbidden: string[]
}
export const HOSTILE_ARCHIVES: HostileArchive[] = []
