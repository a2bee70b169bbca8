// Starts the embedded fake Prolific API and prints `url=<base URL>` (for CI's self-test job).
import { startFakeProlific } from '../test-support/fake-prolific.ts'

const token = process.env.FAKE_PROLIFIC_TOKEN ?? 'ci-token'
const fake = await startFakeProlific({ token })
console.log(`url=${fake.url}`)
process.on('SIGTERM', () => void fake.close().then(() => process.exit(0)))
