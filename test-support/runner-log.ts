// Reads a step's output the way the GitHub Actions runner does (actions/runner,
// ActionCommandManager.TryProcessCommand and ActionCommand.TryParseV2 / TryParse): each line is a
// command when, after trimming its start, it begins `::name::` (name registered, any case), or
// when it holds the legacy `##[name]` anywhere. `stop-commands` switches commands off until its
// token comes back as a command; `add-mask` masks its value in every line after it. Tests read
// logs through this, so a smuggled command shows up as the command it would have been.

export interface RunnerCommand {
  name: string
  data: string
  /** 1-based line of the output it came from. */
  line: number
  /** Which syntax the runner recognised: `::name::` or the legacy `##[name]`. */
  form: 'v2' | 'legacy'
}

export interface RunnerView {
  /** The log as the runner shows it: masks applied, annotations as `error: …`, other commands hidden. */
  shown: string
  /** Every command the runner would have executed, in order. */
  commands: RunnerCommand[]
  /** Lines whose commands were ignored because `stop-commands` was in force. */
  ignored: number
  /** Commands were still stopped at the end of the output. */
  stopped: boolean
}

const REGISTERED = new Set([
  'stop-commands',
  'set-env',
  'set-output',
  'save-state',
  'add-mask',
  'add-path',
  'add-matcher',
  'remove-matcher',
  'debug',
  'warning',
  'error',
  'notice',
  'group',
  'endgroup',
  'echo',
])

/** What the runner shows of an annotation or a group line; the rest of the commands print nothing. */
const SHOWN = new Set(['debug', 'warning', 'error', 'notice', 'group'])

function unescapeData(text: string): string {
  return text.replaceAll('%0D', '\r').replaceAll('%0A', '\n').replaceAll('%25', '%')
}

function unescapeLegacy(text: string): string {
  return text
    .replaceAll('%3B', ';')
    .replaceAll('%0D', '\r')
    .replaceAll('%0A', '\n')
    .replaceAll('%5D', ']')
    .replaceAll('%25', '%')
}

function parse(line: string, registered: Set<string>): Omit<RunnerCommand, 'line'> | undefined {
  const trimmed = line.trimStart()
  if (trimmed.startsWith('::')) {
    const end = trimmed.indexOf('::', 2)
    if (end >= 0) {
      const info = trimmed.slice(2, end)
      const name = info.split(' ', 1)[0] ?? ''
      if (registered.has(name.toLowerCase())) {
        return { name: name.toLowerCase(), data: unescapeData(trimmed.slice(end + 2)), form: 'v2' }
      }
    }
  }
  const prefix = line.indexOf('##[')
  if (prefix < 0) return undefined
  const close = line.indexOf(']', prefix)
  if (close < 0) return undefined
  const name = line.slice(prefix + 3, close).split(' ', 1)[0] ?? ''
  if (!registered.has(name.toLowerCase())) return undefined
  return { name: name.toLowerCase(), data: unescapeLegacy(line.slice(close + 1)), form: 'legacy' }
}

export interface ReadOptions {
  /**
   * Show the log as a person sees it in the runner's web view: group names as headings with
   * their lines indented, `Error:` and `Warning:` annotations, debug lines hidden (as when step
   * debug logging is off). Default: one `name: data` line per shown command, for tests.
   */
  person?: boolean
}

export function readRunnerLog(output: string, { person = false }: ReadOptions = {}): RunnerView {
  const registered = new Set(REGISTERED)
  const masks: string[] = []
  const lines: string[] = []
  let indent = ''
  const shown = { push: (line: string) => lines.push(indent + line) }
  const commands: RunnerCommand[] = []
  let stopToken: string | undefined
  let ignored = 0
  const mask = (text: string) =>
    [...masks].sort((a, b) => b.length - a.length).reduce((out, secret) => out.split(secret).join('***'), text)
  output.split(/\r\n|\r|\n/).forEach((line, i) => {
    const command = parse(line, registered)
    if (command && stopToken !== undefined) {
      if (command.name === stopToken.toLowerCase()) {
        registered.delete(stopToken.toLowerCase())
        stopToken = undefined
        shown.push(mask(line))
      } else {
        ignored += 1
        shown.push(mask(line))
      }
      return
    }
    if (!command) return void shown.push(mask(line))
    commands.push({ ...command, line: i + 1 })
    if (command.name === 'stop-commands') {
      stopToken = command.data
      registered.add(command.data.toLowerCase())
      if (command.data.length > 6) masks.push(command.data)
    } else if (command.name === 'add-mask') {
      if (command.data !== '') masks.push(command.data)
    } else if (person) {
      showToPerson(command, mask)
    } else if (SHOWN.has(command.name)) {
      shown.push(mask(`${command.name}: ${command.data}`))
    }
  })
  return { shown: lines.join('\n'), commands, ignored, stopped: stopToken !== undefined }

  function showToPerson({ name, data }: Omit<RunnerCommand, 'line'>, mask: (text: string) => string): void {
    if (name === 'group') {
      indent = ''
      shown.push(`▼ ${mask(data)}`)
      indent = '  '
    } else if (name === 'endgroup') {
      indent = ''
    } else if (name === 'error' || name === 'warning' || name === 'notice') {
      shown.push(`${name.charAt(0).toUpperCase()}${name.slice(1)}: ${mask(data)}`)
    }
  }
}

/** Commands a step of this action may issue; anything else in its output was smuggled in. */
export const OWN_COMMANDS = new Set(['add-mask', 'debug', 'warning', 'error', 'notice', 'group', 'endgroup'])

/** The commands of the output that this action never issues itself. */
export function foreignCommands(view: RunnerView): RunnerCommand[] {
  return view.commands.filter((command) => !OWN_COMMANDS.has(command.name) || command.form === 'legacy')
}
