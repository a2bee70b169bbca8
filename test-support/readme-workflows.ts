// README's ```yaml examples as whole workflows, so GitHub's parser can read them: a steps-only
// fragment goes into one job, a jobs-only fragment gets an `on:`. Line numbers stay README's.
import { parse } from 'yaml'

export interface ReadmeWorkflow {
  /** README line of the example's first line. */
  line: number
  /** A whole workflow. */
  content: string
  /** Added to a line of `content` to give the README line. */
  lineOffset: number
}

const STEPS_HEADER = ['on: workflow_dispatch', 'jobs:', '  example:', '    runs-on: ubuntu-latest', '    steps:']
const JOBS_HEADER = ['on: workflow_dispatch']

/** Fenced ```yaml / ```yml blocks, with the README line of their first line. */
function yamlBlocks(markdown: string): { line: number; text: string }[] {
  const blocks: { line: number; text: string }[] = []
  let open: { line: number; yaml: boolean; body: string[] } | undefined
  markdown.split(/\r?\n/).forEach((text, index) => {
    const fence = /^\s*```\s*(\S*)/.exec(text)
    if (open === undefined) {
      if (fence) open = { line: index + 2, yaml: /^ya?ml$/i.test(fence[1]!), body: [] }
    } else if (fence) {
      if (open.yaml) blocks.push({ line: open.line, text: open.body.join('\n') })
      open = undefined
    } else open.body.push(text)
  })
  return blocks
}

function wrapped(header: string[], body: string[], line: number): ReadmeWorkflow {
  return { line, content: [...header, ...body].join('\n') + '\n', lineOffset: line - 1 - header.length }
}

/** Every example, wrapped where it is a fragment; a shape nobody knows how to wrap throws. */
export function readmeWorkflows(markdown: string): ReadmeWorkflow[] {
  return yamlBlocks(markdown).map(({ line, text }) => {
    const shape: unknown = parse(text)
    const lines = text.split('\n')
    if (Array.isArray(shape)) {
      return wrapped(
        STEPS_HEADER,
        lines.map((entry) => (entry === '' ? entry : `      ${entry}`)),
        line,
      )
    }
    if (shape !== null && typeof shape === 'object' && 'jobs' in shape) {
      return 'on' in shape ? wrapped([], lines, line) : wrapped(JOBS_HEADER, lines, line)
    }
    throw new Error(`README line ${line}: a YAML example that is neither steps, jobs nor a workflow`)
  })
}
