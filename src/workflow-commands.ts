import { EOL } from 'node:os'
import { neutralise } from './outside-text.ts'

/*
 * The four runner commands the action needs before it knows its inputs are good. Why not
 * @actions/core here: importing it evaluates its OIDC client, and with it @actions/http-client
 * and a bundled copy of undici, which tripled the time `node dist/index.js` takes to reject a
 * bad input. Everything after the inputs uses @actions/core, loaded with the export code.
 * Same formats and escaping as @actions/core's command.ts and getInput.
 */

function issue(command: string, message: string): void {
  const data = message.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
  process.stdout.write(`::${command}::${data}${EOL}`)
}

/** The input as the runner passes it (INPUT_<NAME>), trimmed; '' when not set. */
export function getInput(name: string): string {
  return (process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim()
}

/** Masks the value in everything the runner shows from now on. */
export function setSecret(value: string): void {
  issue('add-mask', value)
}

/** Fails the step with the message as its annotation; outside text in it is inert (see outside-text.ts). */
export function setFailed(message: string): void {
  process.exitCode = 1
  issue('error', neutralise(message, Infinity))
}

export function debug(message: string): void {
  issue('debug', neutralise(message, 4000))
}
