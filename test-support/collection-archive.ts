// A realistic, valid Prolific collection export: README.md, responses.jsonl, collection.json and
// files/. The fields of a collection's records are not published; these follow the nearest
// documented record, as the batch builder does. Fully deterministic.
import { FIXED_MTIME } from './zip-builder.ts'
import {
  type ArchiveShapeOptions,
  assembleArchive,
  hexId,
  instructionList,
  jsonlText,
  submissionIds,
  uploadEntries,
  uuid,
} from './export-archive.ts'

export interface CollectionArchiveOptions extends ArchiveShapeOptions {
  /** Lines in responses.jsonl (default 3). */
  submissions?: number
}

export const COLLECTION_ID = '679c0a1b2c3d4e5f60718293'

export function buildCollectionArchive(options: CollectionArchiveOptions = {}): Buffer {
  const submissions = submissionIds(options.submissions ?? 3)
  const instructions = instructionList(options.instructions ?? 4)
  // One line per submission, answering every instruction of the collection.
  const responses = submissions.map((submission_id, s) => ({
    submission_id,
    participant_id: hexId(`participant:${s}`, 24),
    collection_id: COLLECTION_ID,
    created_at: new Date(FIXED_MTIME.getTime() - s * 60_000).toISOString(),
    responses: instructions.map((instruction, i) => ({
      id: uuid(`collection-response:${s}:${i}`),
      instruction_id: instruction.id,
      type: 'free_text',
      answer: [{ value: `Answer ${s + 1}.${i + 1}` }],
    })),
  }))
  const collection = {
    id: COLLECTION_ID,
    name: 'Image descriptions (test collection)',
    created_at: '2025-01-10T09:00:00.000Z',
    instructions,
  }
  return assembleArchive(
    [
      { name: 'README.md', data: README },
      { name: 'responses.jsonl', data: jsonlText(responses, options) },
      { name: 'collection.json', data: JSON.stringify(collection, null, 2) + '\n' },
      ...uploadEntries(submissions, options),
    ],
    options,
  )
}

const README = `# Collection export

This archive holds every participant response of one AI Task Builder collection.

- \`responses.jsonl\`: one line per submission
- \`collection.json\`: collection metadata and instructions
- \`files/\`: participant uploads, named after their submission id

\`\`\`python
import pandas as pd
df = pd.read_json("responses.jsonl", lines=True)
\`\`\`
`
