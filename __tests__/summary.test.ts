import * as core from '@actions/core'
import { afterEach, describe, expect, it } from 'vitest'
import type { ExportResult } from '../src/pipeline/result.ts'
import { buildSummary, formatBytes } from '../src/report/summary.ts'

const result: ExportResult = {
  kind: 'batch',
  targetId: 'batch1',
  zipPath: '/work/batch1.zip',
  extractPath: undefined,
  archive: {
    submissions: 120,
    tasks: 8,
    files: 30,
    instructions: undefined,
    warnings: ["3 record(s) in responses-by-task.jsonl have no 'task_id' field (first on line 2)."],
    entries: 35,
    uncompressedBytes: 1,
    contentDigest: 'cd'.repeat(32),
  },
  sizeBytes: 5_452_595,
  sha256: 'ab'.repeat(32),
  exportId: 'job-1',
  reused: false,
  changed: true,
  artifact: {
    id: '42',
    name: 'batch1.zip',
    encrypted: false,
    url: 'https://github.com/o/r/actions/runs/1/artifacts/42',
    digest: 'ab'.repeat(32),
  },
  artifactNote: '',
  phases: [
    { name: 'Request the export', ms: 3200 },
    { name: 'Download', ms: 850 },
  ],
}

afterEach(() => void core.summary.emptyBuffer())

describe('buildSummary', () => {
  it('shows the batch, counts, size, digest, artifact link and time per phase', () => {
    const html = buildSummary(result).stringify()
    expect(html).toContain('<h2>Prolific export of batch batch1</h2>')
    for (const row of ['<td>Submissions</td><td>120</td>', '<td>Tasks</td><td>8</td>', '<td>Files</td><td>30</td>']) {
      expect(html).toContain(row)
    }
    expect(html).toContain('<td>Instructions</td><td>unknown</td>')
    expect(html).toContain('<td>Size</td><td>5.2 MiB (5452595 bytes)</td>')
    expect(html).toContain(`<code>${'ab'.repeat(32)}</code>`)
    expect(html).toContain('<a href="https://github.com/o/r/actions/runs/1/artifacts/42">batch1.zip (artifact 42)</a>')
    expect(html).toContain('<td>Request the export</td><td>3.2s</td>')
    expect(html).toMatch(/<h3>Warnings<\/h3>\s*<ul><li>3 record\(s\) in responses-by-task\.jsonl/)
  })

  it('says why there is no artifact, and shows a failure first', () => {
    const html = buildSummary(
      { ...result, artifact: undefined, artifactNote: 'upload failed' },
      'Too <few> records',
    ).stringify()
    expect(html).toContain('<td>Artifact</td><td>upload failed</td>')
    expect(html).toMatch(/<h2>.*<\/h2>\n?<p><strong>Step failed:<\/strong> Too &lt;few&gt; records<\/p>/)
  })
})

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [1023, '1023 B'],
    [1536, '1.5 KiB'],
    [1_073_741_824, '1.0 GiB'],
  ])('%d is %s', (bytes, text) => expect(formatBytes(bytes)).toBe(text))
})
