// Every failure message the code can produce has a row in README "Troubleshooting": the test
// reads src/ with the TypeScript compiler, takes the message of every typed error it constructs
// (and every setFailed), and looks for a row whose message column begins the same way.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'
import { ROOT } from '../test-support/run-action.ts'

const ERROR_CLASSES = new Set([
  'ActionError',
  'InputError',
  'HttpError',
  'ArchiveError',
  'ExportFailedError',
  'DeadlineError',
  'UploadError',
  'NetworkError',
])
/** Where a placeholder stood: `${…}` in the code, `…` in README. */
const GAP = '\u0000'

function sourceFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name)
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : []
  })
}

/**
 * The message as text with GAP where the code puts a value, once for each way a `? :` can
 * word it; empty when it is not written out here (a variable, a call).
 */
function messageTexts(node: ts.Expression): string[] {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return [node.text]
  if (ts.isTemplateExpression(node)) {
    return [node.head.text + node.templateSpans.map((span) => GAP + span.literal.text).join('')]
  }
  if (ts.isParenthesizedExpression(node)) return messageTexts(node.expression)
  if (ts.isConditionalExpression(node)) return [...messageTexts(node.whenTrue), ...messageTexts(node.whenFalse)]
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const right = messageTexts(node.right)
    return messageTexts(node.left).flatMap((left) => (right.length === 0 ? [left + GAP] : right.map((r) => left + r)))
  }
  return []
}

interface Message {
  where: string
  text: string
}

function failureMessages(): Message[] {
  const found: Message[] = []
  for (const file of sourceFiles(join(ROOT, 'src'))) {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true)
    const visit = (node: ts.Node): void => {
      const callee = ts.isNewExpression(node) || ts.isCallExpression(node) ? node.expression : undefined
      const name = callee && ts.isIdentifier(callee) ? callee.text : ''
      const constructs = ts.isNewExpression(node) && ERROR_CLASSES.has(name)
      const fails = ts.isCallExpression(node) && name === 'setFailed'
      const first = (node as ts.NewExpression | ts.CallExpression).arguments?.[0]
      if ((constructs || fails) && first) {
        const line = source.getLineAndCharacterOfPosition(node.getStart()).line + 1
        for (const text of messageTexts(first)) found.push({ where: `${file.slice(ROOT.length + 1)}:${line}`, text })
      }
      ts.forEachChild(node, visit)
    }
    visit(source)
  }
  return found
}

/** The literal pieces between the values, trimmed, empty ones dropped. */
const pieces = (text: string) =>
  text
    .split(GAP)
    .map((piece) => piece.replace(/\s+/g, ' ').trim())
    .filter((piece) => piece !== '')

/** The message column of every row of README's Troubleshooting tables, as one line of text each. */
function readmeRows(): string[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
  const section = readme.slice(readme.indexOf('## Troubleshooting'), readme.indexOf('## Security and privacy'))
  return section
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => (line.split(' | ')[0] ?? '').replace(/[`|]/g, '').replaceAll('…', ' ').replace(/\s+/g, ' '))
}

/**
 * Whether a row's message column describes a message: the start (24 characters) of the message's
 * first literal piece of 10 or more characters is in it (the part a reader finds in the table;
 * the values around it vary from run to run), or, for a message of short pieces only, its first
 * three pieces are, in order.
 */
function describes(row: string, message: string): boolean {
  const literal = pieces(message)
    .map((text) => text.replace(/^[\s.,:;)]+/, ''))
    .filter(Boolean)
  const long = literal.find((text) => text.length >= 10)
  if (long) return row.includes(long.slice(0, 24))
  let from = 0
  for (const piece of literal.slice(0, 3)) {
    from = row.indexOf(piece, from)
    if (from < 0) return false
    from += piece.length
  }
  return literal.length > 0
}

describe('README Troubleshooting', () => {
  const rows = readmeRows()
  const messages = failureMessages()

  it('finds the messages (the scan itself works)', () => {
    expect(messages.length).toBeGreaterThan(50)
    expect(messages.map((m) => m.text)).toContainEqual(expect.stringMatching(/^No Prolific API token/))
  })

  it('has a row for every failure message the code can produce', () => {
    const missing = messages
      .filter((message) => !rows.some((row) => describes(row, message.text)))
      .map((message) => `${message.where}: ${message.text.replaceAll(GAP, '…').slice(0, 120)}`)
    expect(missing).toEqual([])
  })

  it('a made-up message without a row is caught', () => {
    expect(rows.some((row) => describes(row, `The widget ${GAP} is frobnicated beyond repair.`))).toBe(false)
    expect(describes('The widget … is frobnicated …', `The widget ${GAP} is frobnicated beyond repair.`)).toBe(true)
  })
})
