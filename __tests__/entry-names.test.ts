// The rules across names (twice, file and folder, names other systems cannot create), fed
// names directly: orders, folders met before and after their files, and what names of very
// many folders cost.
import { describe, expect, it } from 'vitest'
import { EntryNames, MAX_FOLDERS } from '../src/archive/entry-names.ts'
import { ArchiveError } from '../src/core/errors.ts'

/** As on a Windows runner, which refuses every kind of name other systems cannot create. */
function check(names: string[], extract = false): EntryNames {
  const rules = new EntryNames(extract, 'win32')
  names.forEach((name, index) => rules.name({ bytes: Buffer.from(name), flags: 0x800, extraFields: [] }, index))
  return rules
}

function refusal(names: string[], extract = false): string {
  try {
    check(names, extract)
  } catch (error) {
    expect(error).toBeInstanceOf(ArchiveError)
    return (error as Error).message
  }
  throw new Error('accepted')
}

const counts = { submissions: 0, tasks: 0, files: 0, instructions: 0, warnings: [] }

describe('EntryNames', () => {
  it.each([
    [['files/a', 'files/a/b']],
    [['files/a/b', 'files/a']],
    [['files/a/b/c', 'files/a']],
    [['files/a', 'files/a/b/c/']],
    [['files/a/', 'files/a']],
    [['files/a', 'files/a/']],
  ])('refuses a file that is also a folder: %j', (names) => {
    expect(refusal(names)).toMatch(/entry #2 under files\/ is both a file and a folder/)
  })

  it('refuses a name twice, a folder entry included', () => {
    expect(refusal(['files/', 'files/'])).toMatch(/lists files\/ twice/)
    expect(refusal(['files/x/', 'files/x/'])).toMatch(/lists entry #2 under files\/ twice/)
  })

  it('accepts a folder listed before, after or without its files', () => {
    expect(() => check(['files/a/x', 'files/a/', 'files/', 'files/b/', 'files/b/y', 'files/c/d/e'])).not.toThrow()
  })

  it('counts a folder Windows cannot create once, however many files it holds', () => {
    const rules = check(['files/CON/a', 'files/CON/b', 'files/CON/c', 'files/x.'])
    expect(rules.finish(counts).warnings).toEqual([
      expect.stringMatching(/^2 name\(s\) .*: 1 use a name Windows reserves.*; 1 end a file or folder name with a dot/),
    ])
  })

  it('tells case and normalisation clashes of folders and files apart from exact repeats', () => {
    expect(refusal(['files/A/x', 'files/a/y'], true)).toMatch(/entry #2 under files\/ has a name that differs/)
    expect(refusal(['files/a', 'files/A/'], true)).toMatch(/entry #2 under files\/ has a name that differs/)
    expect(refusal(['files/\u00e9', 'files/e\u0301'], true)).toMatch(/Unicode normalisation/)
    expect(() => check(['files/A/x', 'files/A/y', 'files/A/'], true)).not.toThrow()
  })

  it('refuses reserved names with any extension and case, not names that only begin like them', () => {
    for (const name of ['files/nul', 'files/Com1.txt', 'files/LPT9.tar.gz', 'files/aux .png', 'files/COM¹'])
      expect(refusal([name], true)).toMatch(/reserves for a device/)
    expect(() => check(['files/console.txt', 'files/nullable', 'files/com10', 'files/auxiliary'], true)).not.toThrow()
  })

  it(`stops at ${MAX_FOLDERS.toLocaleString('en-US')} folders, with names of thousands of folders each`, () => {
    // 32 names of 32,767 one-letter folders: hashed in one pass each, not once per folder.
    const deep = 'a/'.repeat(32_767)
    const names = Array.from({ length: 32 }, (_, i) => `d${i}${deep.slice(1)}x`)
    expect(refusal(names)).toMatch(/more than 1,000,000 folders/)
  })
})
