// GitHub's own workflow parser (@actions/workflow-parser, the one behind the Actions language
// service) run over what we ship, plus the two checks it leaves to its callers.
//
// The parser checks a workflow's structure and every `${{ }}` expression, and action.yml against
// the strict action schema (which lists the `runs.using` values the runner knows). It does not
// know an action's inputs: the converted WorkflowTemplate even drops a step's `with:`. So the
// inputs given to this action, and whether a workflow would upload from a public repository, are
// checked here over the parser's own token tree.
import {
  convertWorkflowTemplate,
  isBasicExpression,
  isLiteral,
  isMapping,
  isSequence,
  isString,
  NoOperationTraceWriter,
  parseWorkflow,
} from '@actions/workflow-parser'
import { convertActionTemplate, parseAction } from '@actions/workflow-parser/actions/index'
import type { TemplateContext } from '@actions/workflow-parser/templates/template-context'
import type { MappingToken, TemplateToken } from '@actions/workflow-parser/templates/tokens/index'

export interface SourceFile {
  name: string
  content: string
}

/** One finding; `line` is in the file as written (README lines for a wrapped README example). */
export interface Problem {
  line: number | undefined
  message: string
}

export interface ActionMetadata {
  /** Input names, lower-cased: the runner matches them case-insensitively. */
  inputs: Map<string, { required: boolean; default: string | undefined }>
  using: string
}

export interface UsesReference {
  line: number | undefined
  uses: string
}

export interface WorkflowReport {
  problems: Problem[]
  uses: UsesReference[]
}

export interface WorkflowCheckOptions {
  action: ActionMetadata
  /** Added to the parser's line numbers: where a wrapped fragment's first line sits. */
  lineOffset?: number
  /** The workflow runs in a public repository: an unencrypted upload must be allowed in so many words. */
  publicRepository?: boolean
}

/** How workflows refer to this action: `./` in this repository, the Marketplace name elsewhere. */
export const THIS_ACTION = /^(?:\.\/?|[\w.-]+\/prolific-export-action@\S+)$/

const trace = new NoOperationTraceWriter()
const YAML_TRUE = /^(?:true|True|TRUE)$/
const YAML_FALSE = /^(?:false|False|FALSE)$/

function problemsOf(context: TemplateContext, lineOffset: number): Problem[] {
  return context.errors.getErrors().map((error) => ({
    line: error.range === undefined ? undefined : error.range.start.line + lineOffset,
    message: error.rawMessage,
  }))
}

/** action.yml through the parser's strict action schema; the metadata only when it is valid. */
export function checkAction(file: SourceFile): { problems: Problem[]; metadata: ActionMetadata | undefined } {
  const parsed = parseAction(file, trace)
  const problems = problemsOf(parsed.context, 0)
  if (problems.length > 0 || parsed.value === undefined) return { problems, metadata: undefined }
  const template = convertActionTemplate(parsed.context, parsed.value)
  problems.push(...problemsOf(parsed.context, 0))
  const inputs = new Map(
    (template.inputs ?? []).map((input) => [
      input.id.toLowerCase(),
      { required: input.required === true, default: input.default?.toString() },
    ]),
  )
  return { problems, metadata: { inputs, using: template.runs.using } }
}

/** A workflow through the parser and its converter, then this action's steps against action.yml. */
export async function checkWorkflow(file: SourceFile, options: WorkflowCheckOptions): Promise<WorkflowReport> {
  const offset = options.lineOffset ?? 0
  const parsed = parseWorkflow(file, trace)
  if (parsed.value === undefined) return { problems: problemsOf(parsed.context, offset), uses: [] }
  // The converter adds what only a whole workflow shows (job graph, cron, matrix) to the same context.
  await convertWorkflowTemplate(parsed.context, parsed.value)
  const problems = problemsOf(parsed.context, offset)
  const uses: UsesReference[] = []
  for (const step of steps(parsed.value)) {
    const reference = step.find('uses')
    if (reference === undefined || !isString(reference)) continue
    const line = lineOf(reference, offset)
    uses.push({ line, uses: reference.value })
    if (!THIS_ACTION.test(reference.value)) continue
    const given = withInputs(step)
    problems.push(...inputProblems(reference.value, given, options.action, line))
    if (options.publicRepository) problems.push(...publicUploadProblems(given, options.action, line))
  }
  return { problems, uses }
}

function lineOf(token: TemplateToken, offset: number): number | undefined {
  return token.line === undefined ? undefined : token.line + offset
}

function* mappings(token: TemplateToken | undefined, key: string): Generator<MappingToken> {
  const value = token !== undefined && isMapping(token) ? token.find(key) : undefined
  if (value === undefined) return
  if (isMapping(value)) for (const pair of value) if (isMapping(pair.value)) yield pair.value
  if (isSequence(value)) for (const item of value) if (isMapping(item)) yield item
}

/** Every step of every job (a reusable-workflow job has none). */
function* steps(root: TemplateToken): Generator<MappingToken> {
  for (const job of mappings(root, 'jobs')) yield* mappings(job, 'steps')
}

/** A `with:` value: its literal text, or undefined for an expression known only at run time. */
type Given = Map<string, { text: string | undefined; line: number | undefined }>

function withInputs(step: MappingToken): Given {
  const given: Given = new Map()
  const inputs = step.find('with')
  if (inputs === undefined || !isMapping(inputs)) return given
  for (const { key, value } of inputs) {
    const text = isLiteral(value) ? value.toString() : isBasicExpression(value) ? undefined : ''
    given.set(key.toString().toLowerCase(), { text, line: key.line })
  }
  return given
}

function inputProblems(uses: string, given: Given, action: ActionMetadata, line: number | undefined): Problem[] {
  const problems: Problem[] = []
  for (const name of given.keys()) {
    if (!action.inputs.has(name)) problems.push({ line, message: `'${uses}' is given '${name}': no such input` })
  }
  for (const [name, input] of action.inputs) {
    if (input.required && input.default === undefined && !given.has(name)) {
      problems.push({ line, message: `'${uses}' lacks its required input '${name}'` })
    }
  }
  return problems
}

/**
 * The action refuses an unencrypted upload from a public repository (or one whose visibility the
 * run cannot establish) unless `allow-public-repository` is true: a workflow of this public
 * repository must say so, encrypt, or not upload. An expression for `allow-public-repository`
 * might be false at run time; one for `encrypt-to` is how recipients are usually given (vars).
 */
function publicUploadProblems(given: Given, action: ActionMetadata, line: number | undefined): Problem[] {
  const value = (name: string) => (given.has(name) ? given.get(name)!.text : action.inputs.get(name)?.default)
  const upload = value('upload-artifact')
  if (upload !== undefined && YAML_FALSE.test(upload.trim())) return []
  const encryptTo = value('encrypt-to')
  if (encryptTo === undefined || encryptTo.trim() !== '') return []
  const allowPublic = value('allow-public-repository')
  if (allowPublic !== undefined && YAML_TRUE.test(allowPublic.trim())) return []
  return [
    {
      line,
      message:
        'uploads from a public repository without encrypt-to or allow-public-repository: true ' +
        '(the action refuses that): set one, or upload-artifact: false',
    },
  ]
}
