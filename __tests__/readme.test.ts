// README.md, .env.example and action.yml describe one interface: these tests keep them in step.
// Each check is a function returning the problems it finds, run once on the real files and
// once on a copy with a deliberate mistake, so a check that stopped finding anything fails too.
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { parse, parseDocument } from 'yaml'

const read = (file: string) => readFileSync(fileURLToPath(new URL(`../${file}`, import.meta.url)), 'utf8')
const ACTION_YML = read('action.yml')
const README = read('README.md')
const ENV_EXAMPLE = read('.env.example')

/** How README examples refer to this action: the Marketplace name, or `./` in this repository. */
const THIS_ACTION = /^(?:[\w.-]+\/prolific-export-action@\S+|\.\/?)$/

interface Metadata {
  inputs: Record<string, { description?: unknown; required?: unknown; default?: unknown }>
  outputs: Record<string, { description?: unknown }>
}

function metadata(yml: string): Metadata {
  const parsed = parse(yml) as Partial<Metadata>
  return { inputs: parsed.inputs ?? {}, outputs: parsed.outputs ?? {} }
}

/** Body rows of the first table after the line `heading`, as trimmed cells. */
function tableRows(markdown: string, heading: string): string[][] {
  const lines = markdown.split(/\r?\n/)
  const start = lines.indexOf(heading)
  if (start < 0) throw new Error(`README.md has no '${heading}' heading`)
  const first = lines.findIndex((line, index) => index > start && line.startsWith('|'))
  if (first < 0) throw new Error(`README.md has no table after '${heading}'`)
  const rows: string[][] = []
  for (let index = first; index < lines.length && lines[index]!.startsWith('|'); index++) {
    rows.push(
      lines[index]!.split(/(?<!\\)\|/)
        .slice(1, -1)
        .map((cell) => cell.trim()),
    )
  }
  return rows.slice(2) // header and separator
}

/** The names a row documents: every code span of its first cell (`from`, `to` is two). */
function rowNames(row: string[]): string[] {
  return [...(row[0] ?? '').matchAll(/`([^`]+)`/g)].map((match) => match[1]!)
}

/** The default column as README writes it: `(required)`, `''` or the value in backticks. */
function expectedDefault(input: Metadata['inputs'][string]): string {
  if (input.required === true && input.default === undefined) return '(required)'
  const value = input.default === undefined ? '' : String(input.default)
  return value === '' ? "`''`" : `\`${value}\``
}

function documented(rows: string[][], kind: string): { names: Map<string, string[]>; problems: string[] } {
  const names = new Map<string, string[]>()
  const problems: string[] = []
  for (const row of rows) {
    const found = rowNames(row)
    if (found.length === 0) problems.push(`README ${kind} row without a \`name\`: | ${row.join(' | ')} |`)
    for (const name of found) {
      if (names.has(name)) problems.push(`README documents ${kind} '${name}' twice`)
      names.set(name, row)
    }
  }
  return { names, problems }
}

function inputTableProblems(yml: string, readme: string): string[] {
  const { inputs } = metadata(yml)
  const { names, problems } = documented(tableRows(readme, '### Inputs'), 'input')
  for (const [name, input] of Object.entries(inputs)) {
    const row = names.get(name)
    if (!row) problems.push(`input '${name}' of action.yml has no row in README's Inputs table`)
    else if (row[1] !== expectedDefault(input)) {
      problems.push(`input '${name}': README gives default ${row[1]}, action.yml ${expectedDefault(input)}`)
    }
  }
  for (const name of names.keys()) {
    if (!(name in inputs)) problems.push(`README's Inputs table has '${name}', which action.yml does not define`)
  }
  return problems
}

function outputTableProblems(yml: string, readme: string): string[] {
  const { outputs } = metadata(yml)
  const { names, problems } = documented(tableRows(readme, '### Outputs'), 'output')
  for (const name of Object.keys(outputs)) {
    if (!names.has(name)) problems.push(`output '${name}' of action.yml has no row in README's Outputs table`)
  }
  for (const name of names.keys()) {
    if (!(name in outputs)) problems.push(`README's Outputs table has '${name}', which action.yml does not define`)
  }
  return problems
}

interface Block {
  line: number
  text: string
}

/** Fenced ```yaml / ```yml blocks, with the line their fence opens on. */
function yamlBlocks(markdown: string): Block[] {
  const blocks: Block[] = []
  let open: { line: number; yaml: boolean; body: string[] } | undefined
  markdown.split(/\r?\n/).forEach((line, index) => {
    const fence = /^\s*```\s*([\w-]*)/.exec(line)
    if (!open) {
      if (fence) open = { line: index + 1, yaml: /^ya?ml$/i.test(fence[1]!), body: [] }
    } else if (fence && fence[1] === '') {
      if (open.yaml) blocks.push({ line: open.line, text: open.body.join('\n') })
      open = undefined
    } else open.body.push(line)
  })
  return blocks
}

/** Every mapping with a `uses:` of this action, however deep it sits in the example. */
function stepsOfThisAction(value: unknown, found: Array<Record<string, unknown>> = []) {
  if (Array.isArray(value)) value.forEach((item) => stepsOfThisAction(item, found))
  else if (value !== null && typeof value === 'object') {
    const step = value as Record<string, unknown>
    if (typeof step.uses === 'string' && THIS_ACTION.test(step.uses)) found.push(step)
    Object.values(step).forEach((item) => stepsOfThisAction(item, found))
  }
  return found
}

function exampleProblems(yml: string, readme: string): string[] {
  const { inputs } = metadata(yml)
  const required = Object.entries(inputs)
    .filter(([, input]) => input.required === true)
    .map(([name]) => name)
  const problems: string[] = []
  for (const block of yamlBlocks(readme)) {
    const document = parseDocument(block.text)
    const errors = [...document.errors, ...document.warnings]
    if (errors.length > 0) {
      problems.push(`README line ${block.line}: the YAML does not parse: ${errors.map((e) => e.message).join('; ')}`)
      continue
    }
    for (const step of stepsOfThisAction(document.toJS())) {
      const given = step.with !== null && typeof step.with === 'object' ? Object.keys(step.with) : []
      for (const key of given) {
        if (!(key in inputs))
          problems.push(`README line ${block.line}: '${step.uses}' is given '${key}', no such input`)
      }
      for (const name of required) {
        if (!given.includes(name)) problems.push(`README line ${block.line}: '${step.uses}' lacks required '${name}'`)
      }
      // What to export: exactly one of batch-id and collection-id.
      const targets = ['batch-id', 'collection-id'].filter((name) => given.includes(name))
      if (targets.length === 0) {
        problems.push(`README line ${block.line}: '${step.uses}' lacks required 'batch-id' (or 'collection-id')`)
      } else if (targets.length > 1) {
        problems.push(`README line ${block.line}: '${step.uses}' is given both 'batch-id' and 'collection-id'`)
      }
    }
  }
  return problems
}

function descriptionProblems(yml: string): string[] {
  const { inputs, outputs } = metadata(yml)
  const problems: string[] = []
  const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '')
  for (const [name, input] of Object.entries(inputs)) {
    if (!text(input.description)) problems.push(`input '${name}' has no description`)
  }
  for (const [name, output] of Object.entries(outputs)) {
    const description = text(output.description)
    if (!description) problems.push(`output '${name}' has no description`)
    else if (!/\bempty\b|\bfail/i.test(description)) {
      problems.push(`output '${name}': the description does not say what it holds on failure or when empty`)
    }
  }
  return problems
}

function envExampleProblems(yml: string, envExample: string): string[] {
  const { inputs } = metadata(yml)
  const problems: string[] = []
  const set = new Set<string>()
  for (const match of envExample.matchAll(/^(#\s*)?INPUT_([A-Za-z0-9_-]+)=/gm)) {
    const name = match[2]!.toLowerCase()
    if (!(name in inputs)) problems.push(`.env.example sets INPUT_${match[2]}, but action.yml has no input '${name}'`)
    if (!match[1]) set.add(name)
  }
  for (const [name, input] of Object.entries(inputs)) {
    if (input.required === true && !set.has(name)) problems.push(`.env.example does not set required INPUT_${name}`)
  }
  if (!set.has('batch-id') && !set.has('collection-id')) {
    problems.push('.env.example does not set required INPUT_batch-id (or INPUT_collection-id)')
  }
  return problems
}

/** What a check finds in the mutated text beyond what it finds in the real one. */
function introduced<T extends unknown[]>(check: (...args: T) => string[], real: T, mutated: T): string[] {
  const before = new Set(check(...real))
  return check(...mutated).filter((problem) => !before.has(problem))
}

/** action.yml with one more input or output, added in the text so parsing is exercised too. */
function withExtra(section: 'inputs' | 'outputs', entry: string): string {
  const patched = ACTION_YML.replace(new RegExp(`^${section}:\\n`, 'm'), `${section}:\n${entry}`)
  expect(patched).not.toBe(ACTION_YML)
  return patched
}

describe('README.md Inputs table', () => {
  const real: [string, string] = [ACTION_YML, README]

  it('has one row per input of action.yml, with the same default, and no other rows', () => {
    expect(inputTableProblems(...real)).toEqual([])
  })

  it('is reported out of step when action.yml gains an input, or README keeps or changes a row', () => {
    const added = withExtra('inputs', "  fake-input:\n    description: Not real.\n    default: ''\n")
    expect(introduced(inputTableProblems, real, [added, README])).toEqual([
      "input 'fake-input' of action.yml has no row in README's Inputs table",
    ])
    const stale = README.replace(/^\| `batch-id` /m, '| `batch-id`, `old-input` ')
    expect(stale).not.toBe(README)
    expect(introduced(inputTableProblems, real, [ACTION_YML, stale])).toEqual([
      "README's Inputs table has 'old-input', which action.yml does not define",
    ])
    const dropped = README.replace(/^\| `strict` .*\n/m, '')
    expect(dropped).not.toBe(README)
    expect(introduced(inputTableProblems, real, [ACTION_YML, dropped])).toEqual([
      "input 'strict' of action.yml has no row in README's Inputs table",
    ])
    const retimed = ACTION_YML.replace(/^( {2}timeout:\n(?: {4}.*\n)*? {4}default: )10m$/m, '$115m')
    expect(retimed).not.toBe(ACTION_YML)
    expect(introduced(inputTableProblems, real, [retimed, README])).toEqual([
      "input 'timeout': README gives default `10m`, action.yml `15m`",
    ])
  })
})

describe('README.md Outputs table', () => {
  const real: [string, string] = [ACTION_YML, README]

  it('has one row per output of action.yml and no other rows', () => {
    expect(outputTableProblems(...real)).toEqual([])
  })

  it('is reported out of step when action.yml gains an output or README documents a missing one', () => {
    const added = withExtra('outputs', '  fake-output:\n    description: Not real, or empty.\n')
    expect(introduced(outputTableProblems, real, [added, README])).toEqual([
      "output 'fake-output' of action.yml has no row in README's Outputs table",
    ])
    const stale = README.replace(/^\| `sha256` /m, '| `sha256`, `md5` ')
    expect(stale).not.toBe(README)
    expect(introduced(outputTableProblems, real, [ACTION_YML, stale])).toEqual([
      "README's Outputs table has 'md5', which action.yml does not define",
    ])
  })
})

describe('README.md workflow examples', () => {
  const real: [string, string] = [ACTION_YML, README]

  it('include at least three complete workflows that use this action', () => {
    const workflows = yamlBlocks(README)
      .map((block) => parseDocument(block.text))
      .filter((document) => document.errors.length === 0)
      .map((document) => document.toJS() as Record<string, unknown> | null)
      .filter((doc) => doc && 'on' in doc && 'jobs' in doc && stepsOfThisAction(doc).length > 0)
    expect(workflows.length).toBeGreaterThanOrEqual(3)
  })

  it('all parse, and give this action only inputs that exist, including every required one', () => {
    expect(yamlBlocks(README).length).toBeGreaterThanOrEqual(4)
    expect(exampleProblems(...real)).toEqual([])
  })

  it('are reported when one does not parse, passes an input that does not exist or omits batch-id', () => {
    const mutate = (pattern: RegExp, replacement: string) => {
      const mutated = README.replace(pattern, replacement)
      expect(mutated).not.toBe(README)
      return introduced(exampleProblems, real, [ACTION_YML, mutated]).join('\n')
    }
    expect(mutate(/^( +)timeout-minutes: (\d+)$/m, '$1timeout-minutes: $2\n$1 bad: [indent')).toMatch(
      /the YAML does not parse/,
    )
    expect(mutate(/^( +)retention-days: /m, '$1retention-day: ')).toMatch(/is given 'retention-day', no such input/)
    expect(mutate(/^( +)batch-id: \$\{\{ inputs\.batch-id \}\}\n/m, '')).toMatch(/lacks required 'batch-id'/)
  })
})

describe('action.yml descriptions', () => {
  it('describe every input and output, and say what each output holds on failure or when empty', () => {
    expect(descriptionProblems(ACTION_YML)).toEqual([])
  })

  it('are reported when missing, or when an output is silent about failure', () => {
    const bare = withExtra('inputs', '  fake-input:\n    required: false\n')
    expect(introduced(descriptionProblems, [ACTION_YML], [bare])).toEqual(["input 'fake-input' has no description"])
    const silent = withExtra('outputs', '  fake-output:\n    description: Something useful.\n')
    expect(introduced(descriptionProblems, [ACTION_YML], [silent])).toEqual([
      "output 'fake-output': the description does not say what it holds on failure or when empty",
    ])
  })
})

describe('.env.example', () => {
  it('only names inputs that exist and sets every required one', () => {
    expect(envExampleProblems(ACTION_YML, ENV_EXAMPLE)).toEqual([])
  })

  it('is reported when it names an input that does not exist or leaves batch-id out', () => {
    const real: [string, string] = [ACTION_YML, ENV_EXAMPLE]
    expect(introduced(envExampleProblems, real, [ACTION_YML, `${ENV_EXAMPLE}\nINPUT_BATCH_ID=x\n`])).toEqual([
      ".env.example sets INPUT_BATCH_ID, but action.yml has no input 'batch_id'",
    ])
    const commented = ENV_EXAMPLE.replace(/^INPUT_BATCH-ID=/m, '# INPUT_BATCH-ID=')
    expect(commented).not.toBe(ENV_EXAMPLE)
    expect(introduced(envExampleProblems, real, [ACTION_YML, commented])).toEqual([
      '.env.example does not set required INPUT_batch-id (or INPUT_collection-id)',
    ])
  })
})

describe('README.md, where a newcomer starts', () => {
  it('opens with the two commands, and says the EBADENGINE warnings of npm ci are harmless', () => {
    const opening = README.split('\n').slice(0, 12).join('\n')
    expect(opening).toContain('npm ci && npm start')
    expect(opening).toContain('npm test')
    expect(opening).toMatch(/EBADENGINE[\s\S]*harmless/)
  })
})
