// The ZIP features an export uses, and so the only ones the checks accept.

/** 4.4.5 Compression method: exports store or deflate, nothing else. */
export const METHOD = { stored: 0, deflated: 8 } as const

export function isAllowedMethod(method: number): boolean {
  return method === METHOD.stored || method === METHOD.deflated
}

/** Why an entry's method is refused (after the entry's description), or undefined for an allowed one. */
export function methodProblem(method: number): string | undefined {
  if (isAllowedMethod(method)) return undefined
  return `uses compression method ${method}; exports use only stored or deflated entries.`
}

/** 4.4.3.2: ZIP 4.5 (ZIP64) is the newest feature an export needs; Info-ZIP reads up to 4.6. */
export const NEWEST_VERSION_NEEDED = 46

/** 4.4.3.1: the version needed to extract is the lower byte; the upper one names a host system. */
export function versionNeeded(field: number): number {
  return field & 0xff
}
