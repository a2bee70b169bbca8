// The contents of a benchmark export, deterministic from a seed and produced piece by piece:
// JSONL records of realistic size (about 1.6 KB per submission: ids, timestamps, four answers,
// some free text), small uploads, and incompressible "media" bytes from AES-128-CTR over zeros
// (far faster than any other seeded generator in Node).
import { createCipheriv, createHash } from 'node:crypto'

export const BATCH_ID = '67a1b2c3d4e5f60718293a4b'
/** Every task is answered by about this many submissions, as in an annotation batch. */
const SUBMISSIONS_PER_TASK = 5
const BASE_TIME = Date.parse('2025-01-10T09:00:00Z')
const CHUNK_BYTES = 1024 * 1024

const WORDS = (
  'the a this that image shows person people car street tree building sky water dog cat child ' +
  'woman man table chair window door light dark red blue green yellow white black small large ' +
  'old new bright quiet busy empty near far left right front behind above below next to with ' +
  'without holding walking sitting standing looking smiling reading writing playing running ' +
  'clearly probably maybe seems appears looks like similar different because although while ' +
  'background foreground corner centre edge detail texture colour shadow reflection label text ' +
  'sign logo screen phone laptop book cup bottle plate food fruit bread flower grass road bridge ' +
  'river mountain beach cloud rain snow sun night morning evening winter summer answer question'
).split(' ')

const INSTRUCTIONS = [
  { type: 'free_text', description: 'Describe what you see in the image in two or three sentences.' },
  { type: 'multiple_choice', description: 'Which category fits the image best?' },
  { type: 'free_text', description: 'What, if anything, is wrong or misleading in the caption?' },
  { type: 'multiple_choice', description: 'How confident are you in your answers?' },
].map((instruction, i) => ({ id: uuid(random(0x1257 + i)), ...instruction }))

/** mulberry32: a tiny, fast seeded PRNG, good enough for plausible text. */
export function random(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export function submissionId(s: number): string {
  return hex(random(s * 2 + 1), 24)
}

export function sentences(next: () => number, words: number): string {
  const out: string[] = []
  for (let i = 0; i < words; i++) {
    const word = WORDS[Math.floor(next() * WORDS.length)] ?? 'the'
    out.push(i === 0 || out[out.length - 1]?.endsWith('.') ? word[0]?.toUpperCase() + word.slice(1) : word)
    if (next() < 0.08 || i === words - 1) out[out.length - 1] += '.'
  }
  return out.join(' ')
}

export interface ExportShape {
  submissions: number
  tasks: number
}

export function shape(submissions: number): ExportShape {
  return { submissions, tasks: Math.max(1, Math.ceil(submissions / SUBMISSIONS_PER_TASK)) }
}

function response(s: number, i: number, tasks: number) {
  const next = random(s * 16 + i + 0x5eed)
  const instruction = INSTRUCTIONS[i] ?? INSTRUCTIONS[0]
  const choice = ['Option A', 'Option B', 'Option C', 'Option D'][Math.floor(next() * 4)] ?? 'Option A'
  return {
    id: uuid(next),
    created_at: new Date(BASE_TIME + s * 41_000 + i * 9_000).toISOString(),
    submission_id: submissionId(s),
    task_id: taskId(s % tasks),
    instruction_id: instruction?.id,
    response:
      instruction?.type === 'free_text'
        ? { type: 'free_text', answer: [{ value: sentences(next, 5 + Math.floor(next() * 16)) }] }
        : { type: 'multiple_choice', answer: [{ value: choice }] },
  }
}

function taskData(t: number) {
  const next = random(t * 7 + 0x7a5c)
  return {
    image_url: `https://cdn.example.org/datasets/street-scenes/${hex(next, 16)}.jpg`,
    caption: sentences(next, 12 + Math.floor(next() * 12)),
  }
}

/** responses-by-submission.jsonl in chunks of about a megabyte. */
export function* bySubmission({ submissions, tasks }: ExportShape): Generator<Buffer> {
  yield* chunked(submissions, (s) => {
    const next = random(s * 3 + 0x51)
    const started = BASE_TIME + s * 41_000
    const taken = 120 + Math.floor(next() * 900)
    return {
      submission_id: submissionId(s),
      participant_id: hex(random(s * 2 + 2), 24),
      batch_id: BATCH_ID,
      study_id: '6790f1e2d3c4b5a697887766',
      status: next() < 0.97 ? 'APPROVED' : 'AWAITING REVIEW',
      started_at: new Date(started).toISOString(),
      completed_at: new Date(started + taken * 1000).toISOString(),
      time_taken_seconds: taken,
      task_id: taskId(s % tasks),
      responses: INSTRUCTIONS.map((_, i) => response(s, i, tasks)),
    }
  })
}

/** responses-by-task.jsonl: the same responses, grouped by task. */
export function* byTask({ submissions, tasks }: ExportShape): Generator<Buffer> {
  yield* chunked(tasks, (t) => {
    const responses = []
    for (let s = t; s < submissions; s += tasks) {
      for (let i = 0; i < INSTRUCTIONS.length; i++) responses.push(response(s, i, tasks))
    }
    return { task_id: taskId(t), batch_id: BATCH_ID, task_data: taskData(t), responses }
  })
}

export function batchJson({ tasks }: ExportShape): string {
  const batch = {
    id: BATCH_ID,
    name: 'Street scene captions (benchmark batch)',
    status: 'COMPLETED',
    created_at: new Date(BASE_TIME).toISOString(),
    total_task_count: tasks,
    instructions: INSTRUCTIONS,
  }
  return JSON.stringify(batch, null, 2) + '\n'
}

export const README = `# Batch export

This archive holds every participant response of one AI Task Builder batch.

- \`responses-by-submission.jsonl\`: one line per submission
- \`responses-by-task.jsonl\`: one line per task
- \`batch.json\`: batch metadata and instructions
- \`files/\`: participant uploads and recordings, named after their submission id
`

function* chunked(count: number, record: (index: number) => object): Generator<Buffer> {
  let text = ''
  for (let index = 0; index < count; index++) {
    text += JSON.stringify(record(index)) + '\n'
    if (text.length >= CHUNK_BYTES) {
      yield Buffer.from(text, 'utf8')
      text = ''
    }
  }
  if (text.length > 0) yield Buffer.from(text, 'utf8')
}

/** Incompressible bytes: AES-128-CTR keystream of a seeded key, taken in order. */
export class Noise {
  private readonly cipher
  private readonly zeros = Buffer.alloc(CHUNK_BYTES)

  constructor(seed: string) {
    const key = createHash('sha256').update(seed).digest()
    this.cipher = createCipheriv('aes-128-ctr', key.subarray(0, 16), key.subarray(16, 32))
  }

  take(length: number): Buffer {
    if (length <= CHUNK_BYTES) return this.cipher.update(this.zeros.subarray(0, length))
    return Buffer.concat([...this.chunks(length)])
  }

  *chunks(length: number): Generator<Buffer> {
    for (let left = length; left > 0; left -= CHUNK_BYTES) yield this.take(Math.min(left, CHUNK_BYTES))
  }
}

function taskId(t: number): string {
  return uuid(random(t * 5 + 0x7a5))
}

function hex(next: () => number, length: number): string {
  let out = ''
  while (out.length < length)
    out += Math.floor(next() * 0x100000000)
      .toString(16)
      .padStart(8, '0')
  return out.slice(0, length)
}

function uuid(next: () => number): string {
  const h = hex(next, 32)
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20)}`
}
