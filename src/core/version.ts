// The action's name and version, from package.json (ncc inlines the JSON into dist/), so a
// release bumps one place. Prolific asks API clients to identify themselves.
import manifest from '../../package.json' with { type: 'json' }

/** `prolific-export-action/<version>`: the User-Agent of every Prolific API call. */
export const USER_AGENT = `prolific-export-action/${manifest.version}`
