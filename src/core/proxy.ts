import { InputError } from './errors.ts'

/** One proxy variable as the step's environment sets it. */
export interface ProxyVariable {
  name: string
  value: string | undefined
}

/**
 * HTTP_PROXY, HTTPS_PROXY and NO_PROXY (either case) read the way undici's EnvHttpProxyAgent
 * reads them, but from the step's injected environment, not from process.env: lower case
 * first, HTTPS falling back to HTTP.
 */
export interface ProxyEnvironment {
  http: ProxyVariable
  https: ProxyVariable
  noProxy: string
}

/** No proxy at all. */
export const NO_PROXY: ProxyEnvironment = {
  http: { name: 'HTTP_PROXY', value: undefined },
  https: { name: 'HTTP_PROXY', value: undefined },
  noProxy: '',
}

/** The proxy variables of `env`; fails before any request when one is not an http(s) URL, never echoing it (userinfo). */
export function readProxyEnvironment(env: NodeJS.ProcessEnv): ProxyEnvironment {
  const httpName = env.http_proxy !== undefined ? 'http_proxy' : 'HTTP_PROXY'
  const httpsName = env.https_proxy !== undefined ? 'https_proxy' : 'HTTPS_PROXY'
  const http = { name: httpName, value: env[httpName] }
  const proxy = {
    http,
    https: env[httpsName] ? { name: httpsName, value: env[httpsName] } : http,
    noProxy: env.no_proxy ?? env.NO_PROXY ?? '',
  }
  for (const { name, value } of [proxy.http, proxy.https]) {
    const problem = !value
      ? undefined
      : !URL.canParse(value)
        ? 'is not a valid URL'
        : !['http:', 'https:'].includes(new URL(value).protocol)
          ? 'does not start with http:// or https://'
          : undefined
    if (problem) {
      throw new InputError(
        `The proxy URL in the ${name} environment variable ${problem} (its value is not shown: it may hold a ` +
          `password). Set ${name} to http://[user:password@]host:port, with special characters percent-encoded, ` +
          'or unset it, then run the workflow again.',
      )
    }
  }
  return proxy
}

/** The proxy a request to `protocol` goes through, if any. */
export function proxyFor(protocol: string, proxy: ProxyEnvironment): ProxyVariable {
  return protocol === 'https:' ? proxy.https : proxy.http
}
