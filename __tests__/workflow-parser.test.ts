// GitHub's own parser (@actions/workflow-parser) reads what we ship: action.yml, every workflow in
// .github/workflows/ and every README example. Each check also runs on a copy with a deliberate
// mistake, so a check that stopped finding anything fails too.
import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import {
  type ActionMetadata,
  checkAction,
  checkWorkflow,
  type Problem,
  type SourceFile,
  type UsesReference,
} from '../test-support/github-parser.ts'
import { readmeWorkflows } from '../test-support/readme-workflows.ts'

const root = fileURLToPath(new URL('..', import.meta.url))
const read = (name: string): SourceFile => ({ name, content: readFileSync(`${root}/${name}`, 'utf8') })
const ACTION_YML = read('action.yml')
const README = read('README.md')
const WORKFLOWS = readdirSync(`${root}/.github/workflows`)
  .filter((name) => /\.ya?ml$/.test(name))
  .map((name) => read(`.github/workflows/${name}`))
const CI = WORKFLOWS.find((file) => file.name.endsWith('/ci.yml'))!

/**
 * The current major of each action we name, from its releases (tag, date):
 * checkout v7.0.1 (2026-07-17), setup-node v7.0.0 (2026-07-13), cache v6.1.0 (2026-06-26),
 * upload-artifact v7.0.0 (2026-02-25; there is no v8), download-artifact v8.0.1 (2026-03-11).
 */
const CURRENT_MAJOR: Record<string, string> = {
  'actions/checkout': 'v7',
  'actions/setup-node': 'v7',
  'actions/cache': 'v6',
  'actions/upload-artifact': 'v7',
  'actions/download-artifact': 'v8',
}

const shown = (file: string, problems: Problem[]) =>
  problems.map((problem) => `${file}:${problem.line ?? '?'}: ${problem.message}`)

/** A copy of `text` with one mistake; throws where `from` is not there, so no mutation is a no-op. */
function mutate(file: SourceFile, from: string, to: string): SourceFile {
  if (!file.content.includes(from)) throw new Error(`${file.name} no longer holds ${JSON.stringify(from)}`)
  return { name: file.name, content: file.content.replace(from, to) }
}

function metadata(file: SourceFile = ACTION_YML): ActionMetadata {
  const { problems, metadata } = checkAction(file)
  if (metadata === undefined) throw new Error(shown(file.name, problems).join('\n'))
  return metadata
}

/** The workflows of this repository run where it is public (the Marketplace requires that). */
async function workflowProblems(file: SourceFile, action = metadata()): Promise<string[]> {
  const report = await checkWorkflow(file, { action, publicRepository: true })
  return shown(file.name, [...report.problems, ...outdated(report.uses)])
}

async function readmeProblems(readme: SourceFile): Promise<string[]> {
  const action = metadata()
  const problems: string[] = []
  for (const example of readmeWorkflows(readme.content)) {
    const report = await checkWorkflow(
      { name: readme.name, content: example.content },
      { action, lineOffset: example.lineOffset },
    )
    problems.push(...shown(readme.name, [...report.problems, ...outdated(report.uses)]))
  }
  return problems
}

function outdated(uses: UsesReference[]): Problem[] {
  return uses.flatMap(({ line, uses }) => {
    const match = /^(actions\/[\w.-]+)(?:\/[\w./-]+)?@(\S+)$/.exec(uses)
    const current = match && CURRENT_MAJOR[match[1]!]
    return current && match[2] !== current ? [{ line, message: `${uses}: the current major is ${current}` }] : []
  })
}

describe('GitHub’s workflow parser on what we ship', () => {
  it('accepts action.yml, a node24 action', () => {
    const { problems, metadata } = checkAction(ACTION_YML)
    expect(shown(ACTION_YML.name, problems)).toEqual([])
    expect(metadata?.using).toBe('node24')
    expect(metadata?.inputs.has('batch-id')).toBe(true)
  })

  it('accepts every workflow: valid, only inputs action.yml has, no upload the action would refuse', async () => {
    expect(WORKFLOWS.map((file) => file.name)).toContain('.github/workflows/ci.yml')
    const problems = (await Promise.all(WORKFLOWS.map((file) => workflowProblems(file)))).flat()
    expect(problems).toEqual([])
  })

  it('accepts every README example, fragments wrapped into a whole workflow', async () => {
    expect(readmeWorkflows(README.content).length).toBeGreaterThanOrEqual(8)
    expect(await readmeProblems(README)).toEqual([])
  })
})

describe('what the checks catch, on mutated copies', () => {
  it('an unclosed expression', async () => {
    const broken = mutate(CI, 'token: ci-token', 'token: ${{ secrets.X ')
    expect((await workflowProblems(broken)).join('\n')).toMatch(/ci\.yml:\d+: The expression is not closed/)
  })

  it('an expression that does not parse', async () => {
    const broken = mutate(CI, 'retention-days: 1', 'retention-days: ${{ foo( }}')
    expect((await workflowProblems(broken)).join('\n')).toMatch(/ci\.yml:\d+: Unexpected end of expression/)
  })

  it('an input action.yml does not have, given to uses: ./', async () => {
    const broken = mutate(CI, 'token: ci-token', 'token: ci-token\n          bogus-input: 1')
    expect(await workflowProblems(broken)).toEqual([
      expect.stringMatching(/^\.github\/workflows\/ci\.yml:\d+: '\.\/' is given 'bogus-input': no such input$/),
    ])
  })

  it('an input README gives the Marketplace action that action.yml does not have', async () => {
    const broken = mutate(README, '    prune-exports: true\n', '    prune-export: true\n')
    expect(await readmeProblems(broken)).toEqual([
      expect.stringMatching(/^README\.md:\d+: '[\w-]+\/prolific-export-action@v1' is given 'prune-export'/),
    ])
  })

  it('a runs.using the runner does not know', () => {
    const { problems, metadata } = checkAction(mutate(ACTION_YML, 'using: node24', 'using: node99'))
    expect(metadata).toBeUndefined()
    expect(shown('action.yml', problems)).toEqual([
      expect.stringMatching(/^action\.yml:\d+: Unexpected value 'node99'$/),
    ])
  })

  it('a required input a workflow leaves out', async () => {
    const action = metadata()
    action.inputs.set('strict', { required: true, default: undefined })
    expect(await workflowProblems(CI, action)).toEqual(
      expect.arrayContaining([expect.stringMatching(/ci\.yml:\d+: '\.\/' lacks its required input 'strict'$/)]),
    )
  })

  it('a job of this public repository that uploads without encrypt-to or allow-public-repository', async () => {
    const uploading = mutate(CI, 'allow-public-repository: true', 'allow-public-repository: ${{ vars.ALLOW }}')
    expect(await workflowProblems(uploading)).toEqual([
      expect.stringMatching(/ci\.yml:\d+: uploads from a public repository without encrypt-to/),
    ])
    const encrypted = mutate(uploading, 'overwrite-artifact: true', 'encrypt-to: ${{ vars.AGE_RECIPIENTS }}')
    expect(await workflowProblems(encrypted)).toEqual([])
  })

  it('an action named at an old major', async () => {
    const old = mutate(CI, 'actions/download-artifact@v8', 'actions/download-artifact@v4')
    expect(await workflowProblems(old)).toEqual([
      expect.stringMatching(/ci\.yml:\d+: actions\/download-artifact@v4: the current major is v8$/),
    ])
  })
})
