export const id = 682;
export const ids = [682];
export const modules = {

/***/ 96508:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Qg: () => (/* binding */ tasksBelow),
/* harmony export */   k1: () => (/* binding */ coverageFigures),
/* harmony export */   mL: () => (/* binding */ TaskCoverage)
/* harmony export */ });
/* unused harmony export TASK_RESPONSES_FIELD */
/** The array on a responses-by-task.jsonl line that holds the task's responses. */
const TASK_RESPONSES_FIELD = 'responses';
/**
 * Counts the responses of each task as responses-by-task.jsonl streams past. Only how many
 * tasks have each count is kept, not one number per task: n distinct counts need at least
 * 0 + 1 + … + (n - 1) responses, so the map stays tiny (a few thousand entries for ten million
 * responses) however many tasks there are.
 */
class TaskCoverage {
    tasksWith = new Map();
    untold = 0;
    firstUntoldLine = 0;
    /** One line's record: its responses counted, or the line noted as one that cannot be. */
    add(record, line) {
        const responses = record[TASK_RESPONSES_FIELD];
        if (Array.isArray(responses)) {
            this.tasksWith.set(responses.length, (this.tasksWith.get(responses.length) ?? 0) + 1);
            return;
        }
        if (this.untold++ === 0)
            this.firstUntoldLine = line;
    }
    finish() {
        const counts = [...this.tasksWith].map(([responses, tasks]) => ({ responses, tasks }));
        counts.sort((a, b) => a.responses - b.responses);
        return { counts, untold: this.untold, firstUntoldLine: this.firstUntoldLine };
    }
    /** Why some tasks' responses cannot be counted; undefined when every line has its array. */
    problem(file) {
        if (this.untold === 0)
            return undefined;
        return (`${this.untold} record(s) in ${file} have no '${TASK_RESPONSES_FIELD}' array (first on line ` +
            `${this.firstUntoldLine}), so their responses cannot be counted: min-task-responses and ` +
            'max-task-responses are empty and a min-responses-per-task gate fails.');
    }
}
/** Min, median and max; undefined where some line's count is unknown or there is no task. */
function coverageFigures({ counts, untold }) {
    const tasks = counts.reduce((sum, each) => sum + each.tasks, 0);
    if (untold > 0 || tasks === 0)
        return { tasks: tasks + untold, min: undefined, median: undefined, max: undefined };
    // An even number of tasks has two middles: their mean, as a statistician would give it.
    const lower = nthResponses(counts, Math.floor((tasks - 1) / 2));
    const upper = nthResponses(counts, Math.floor(tasks / 2));
    return { tasks, min: counts[0]?.responses, median: (lower + upper) / 2, max: counts.at(-1)?.responses };
}
/** Tasks with fewer responses than `minimum`; undefined where some line's count is unknown. */
function tasksBelow({ counts, untold }, minimum) {
    if (untold > 0)
        return undefined;
    return counts.filter((each) => each.responses < minimum).reduce((sum, each) => sum + each.tasks, 0);
}
/** The response count of the task at `index` (0-based) in ascending order. */
function nthResponses(counts, index) {
    let seen = 0;
    for (const each of counts) {
        seen += each.tasks;
        if (index < seen)
            return each.responses;
    }
    return NaN;
}


/***/ }),

/***/ 47682:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  openRunMemory: () => (/* binding */ openRunMemory)
});

// EXTERNAL MODULE: ./src/archive/task-coverage.ts
var task_coverage = __webpack_require__(96508);
// EXTERNAL MODULE: ./src/core/errors.ts
var errors = __webpack_require__(74296);
// EXTERNAL MODULE: ./src/runner/log.ts
var log = __webpack_require__(47708);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(77598);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(51455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
// EXTERNAL MODULE: ./node_modules/zod/v4/classic/schemas.js + 11 modules
var schemas = __webpack_require__(92857);
// EXTERNAL MODULE: ./src/runner/outside-text.ts
var outside_text = __webpack_require__(63353);
// EXTERNAL MODULE: ./src/settings/input-parsers.ts
var input_parsers = __webpack_require__(75300);
;// CONCATENATED MODULE: ./src/pipeline/state-file.ts







/*
 * The state file `state-file` names: what the last successful run of each ID exported. It holds
 * digests, counts and the window only: no token, no URL, nothing about a participant. It comes
 * back from a cache or a checkout, so it is parsed like any outside data.
 */
const dateTime = schemas/* string */.YjP().refine((value) => value !== '' && input_parsers/* optionalDateTime */.Yx.safeParse(value).success);
const count = schemas/* number */.aig().int().nonnegative();
const hex64 = schemas/* string */.YjP().regex(/^[0-9a-f]{64}$/);
const entrySchema = schemas/* object */.Ikc({
    'content-digest': hex64,
    sha256: hex64,
    'submission-count': count,
    'task-count': count.nullable(),
    'file-count': count,
    'instruction-count': count.nullable(),
    'min-task-responses': count.nullable(),
    'max-task-responses': count.nullable(),
    /** The filter values sent; null where none was. */
    window: schemas/* object */.Ikc({ from: dateTime.nullable(), to: dateTime.nullable() }),
    /** When the export was requested, UTC. */
    'exported-at': dateTime,
});
const id = schemas/* string */.YjP().regex(/^[A-Za-z0-9_-]{1,100}$/);
const stateSchema = schemas/* object */.Ikc({
    version: schemas/* literal */.euz(1),
    batches: schemas/* record */.g1P(id, entrySchema),
    collections: schemas/* record */.g1P(id, entrySchema),
});
function emptyState() {
    return { version: 1, batches: {}, collections: {} };
}
/** The state at `path`; undefined, with a warning, where there is a file that is not such a state. */
async function readState(path, warn) {
    let text;
    try {
        text = await (0,promises_.readFile)(path, 'utf8');
    }
    catch (error) {
        if (error.code === 'ENOENT')
            return undefined;
        warn(unusable(path, (0,outside_text/* neutralise */.$0)((0,errors/* messageOf */.bD)(error), 200)));
        return undefined;
    }
    let json;
    try {
        json = JSON.parse(text);
    }
    catch {
        warn(unusable(path, 'it is not JSON'));
        return undefined;
    }
    const parsed = stateSchema.safeParse(json);
    if (parsed.success)
        return parsed.data;
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? ` at ${issue.path.map(String).join('.')}` : '';
    warn(unusable(path, (0,outside_text/* neutralise */.$0)(`it is not this action's state${where}`, 200)));
    return undefined;
}
function unusable(path, why) {
    return (`The state file ${path} cannot be used (${why}): it counts as absent, so every ID is exported as on a first run, ` +
        'and it is replaced after a successful run.');
}
/**
 * Writes the state atomically: a temporary file beside it, renamed over it, so a reader never
 * sees half a state and a failed write leaves the old one.
 */
async function writeState(path, state) {
    const temporary = (0,external_node_path_.join)((0,external_node_path_.dirname)(path), `.${(0,external_node_path_.basename)(path)}.${(0,external_node_crypto_.randomBytes)(4).toString('hex')}.tmp`);
    try {
        await (0,promises_.mkdir)((0,external_node_path_.dirname)(path), { recursive: true });
        await (0,promises_.writeFile)(temporary, `${JSON.stringify(sorted(state), null, 2)}\n`, { mode: 0o600 });
        await (0,promises_.rename)(temporary, path);
    }
    catch (error) {
        await (0,promises_.rm)(temporary, { force: true }).catch(() => undefined);
        throw new errors/* ActionError */.lZ(`Could not write the state file ${path}: ${(0,outside_text/* neutralise */.$0)((0,errors/* messageOf */.bD)(error), 200)}. The exports succeeded and their ` +
            "outputs are set, but the next run will not know of them: check that 'state-file' names a writable path.");
    }
}
/** IDs in order, so that the file changes only where an entry does. */
function sorted(state) {
    const byId = (entries) => Object.fromEntries(Object.entries(entries).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    return { version: 1, batches: byId(state.batches), collections: byId(state.collections) };
}

;// CONCATENATED MODULE: ./src/pipeline/run-memory.ts




const SECTION = { batch: 'batches', collection: 'collections' };
function entries(state, kind) {
    return state[SECTION[kind]];
}
/**
 * Reads `state-file` (absent, or unusable with a warning: a first run) and settles each export's
 * previous digest and `from: last-run` window from its ID's entry. `requestedAt` is the `to` a
 * last-run window ends at unless `to` is given: recorded as sent, so the next window starts
 * exactly there.
 */
async function openRunMemory(plan, requestedAt) {
    const path = plan.stateFile;
    if (path === undefined)
        return { plan, save: async () => undefined };
    const state = (await readState(path, (message) => log/* jobLog */.Wh.warning(message))) ?? emptyState();
    const at = requestedAt.toISOString();
    const exports = plan.exports.map((settings) => remembered(settings, entries(state, settings.kind)[settings.targetId], at));
    return {
        plan: { ...plan, exports },
        save: async (exported) => {
            for (const { settings, result } of exported) {
                if (result)
                    entries(state, settings.kind)[settings.targetId] = entryOf(settings, result, at);
            }
            await writeState(path, state);
            log/* jobLog */.Wh.info(`Wrote the state of ${exported.length} export(s) to ${path}.`);
        },
    };
}
function remembered(settings, entry, at) {
    const { kind, targetId } = settings;
    log/* jobLog */.Wh.info(entry
        ? `The state file knows ${kind} ${targetId}: last exported at ${entry['exported-at']}, content digest ${entry['content-digest']}.`
        : `The state file has no entry for ${kind} ${targetId}: exported as on a first run.`);
    const previousDigest = settings.previousDigest ?? entry?.['content-digest'];
    if (!settings.fromLastRun)
        return { ...settings, previousDigest };
    const from = entry?.window.to ?? undefined;
    const to = settings.filter.to ?? at;
    if (from !== undefined && Date.parse(from) > Date.parse(to)) {
        throw new errors/* InputError */.dz(`The last run of ${kind} ${targetId} exported up to ${from}, later than 'to' (${to}), so 'from: last-run' ` +
            "makes no window: set 'to' later, or leave it empty.");
    }
    return { ...settings, previousDigest, filter: { ...settings.filter, from, to } };
}
function entryOf(settings, result, at) {
    const { archive } = result;
    const figures = archive.taskResponses ? (0,task_coverage/* coverageFigures */.k1)(archive.taskResponses) : undefined;
    return {
        'content-digest': archive.contentDigest,
        sha256: result.sha256,
        'submission-count': archive.submissions,
        'task-count': archive.tasks ?? null,
        'file-count': archive.files,
        'instruction-count': archive.instructions ?? null,
        'min-task-responses': figures?.min ?? null,
        'max-task-responses': figures?.max ?? null,
        window: { from: settings.filter.from ?? null, to: settings.filter.to ?? null },
        'exported-at': at,
    };
}


/***/ })

};
