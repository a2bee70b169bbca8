// Info-ZIP's `unzip`, the independent reader some tests judge archives by. Where it is not
// installed, those tests are skipped (and say so in the run), never passed without it.
import { spawnSync } from 'node:child_process'

/** Whether Info-ZIP's `unzip` runs on this machine. */
export const hasInfoZip = spawnSync('unzip', ['-v'], { stdio: 'ignore' }).status === 0
