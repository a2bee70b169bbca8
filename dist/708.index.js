export const id = 708;
export const ids = [708];
export const modules = {

/***/ 94708:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  buildTables: () => (/* binding */ buildTables)
});

// EXTERNAL MODULE: ./src/archive/layout.ts
var archive_layout = __webpack_require__(72630);
// EXTERNAL MODULE: ./src/core/errors.ts
var errors = __webpack_require__(74296);
// EXTERNAL MODULE: ./src/tables/cells.ts
var cells = __webpack_require__(78788);
;// CONCATENATED MODULE: ./src/tables/column-plan.ts

/** More columns than this is no longer a table anyone reads: the rest are left out with a warning. */
const MAX_EXTRA_COLUMNS = 200;
/** A longer field name is not a field anyone named: left out with a warning. */
const MAX_FIELD_NAME_BYTES = 200;
/** The columns of one table: the fixed ones, then each source's fields in the order first seen. */
class ColumnPlan {
    columns;
    extras = [];
    /** Fields with no column: past MAX_EXTRA_COLUMNS, a name too long, or a name no fallback frees. */
    leftOut = 0;
    constructor(fixed, sources) {
        const taken = new Set(fixed.map((column) => column.name));
        sources.forEach(({ kinds, name, fallback }, source) => {
            for (const [key, kind] of kinds.kinds) {
                let column = name(key);
                if (taken.has(column) && fallback)
                    column = fallback(key);
                const fits = Buffer.byteLength(column) <= MAX_FIELD_NAME_BYTES && this.extras.length < MAX_EXTRA_COLUMNS;
                if (taken.has(column) || !fits) {
                    this.leftOut += 1;
                    continue;
                }
                taken.add(column);
                this.extras.push({ name: column, type: (0,cells/* typeOf */.QP)(kind), source, key });
            }
        });
        this.columns = [...fixed, ...this.extras.map(({ name, type }) => ({ name, type }))];
    }
    /** The extra cells of one row, from the objects of each source (in the same order). */
    extraCells(objects) {
        return this.extras.map(({ source, key, type }) => {
            const object = objects[source];
            // Own fields only: a record without 'constructor' must not give Object's.
            return (0,cells/* cellOf */.WC)(object && Object.hasOwn(object, key) ? object[key] : undefined, type);
        });
    }
}

;// CONCATENATED MODULE: ./src/tables/instructions.ts


/**
 * The codebook: one row per instruction of batch.json or collection.json. Their fields are not
 * published; `text` is the instruction's `text`, or else its `description` (what the test
 * fixtures and Prolific's docs call it), and every other field becomes a column of its own.
 */
const INSTRUCTION_COLUMNS = [
    { name: 'id', type: 'string' },
    { name: 'type', type: 'string' },
    { name: 'text', type: 'string' },
    { name: 'options', type: 'list' },
];
function codebookOf(metadata) {
    const list = (0,cells/* own */.ZV)((0,cells/* isObject */.Gv)(metadata) ? metadata : undefined, 'instructions');
    const instructions = Array.isArray(list) ? list.filter(cells/* isObject */.Gv) : [];
    const kinds = new cells/* FieldKinds */.gu();
    for (const instruction of instructions) {
        const consumed = consumedFields(instruction);
        for (const key of Object.keys(instruction))
            if (!consumed.has(key))
                kinds.observe(key, instruction[key]);
    }
    const plan = new ColumnPlan(INSTRUCTION_COLUMNS, [{ kinds, name: (key) => key }]);
    const missing = new Map();
    const rows = instructions.map((instruction) => {
        const cells = fixedCells(instruction);
        cells.slice(0, 3).forEach((cell, at) => {
            const name = INSTRUCTION_COLUMNS[at]?.name ?? '';
            if (cell === null)
                missing.set(name, (missing.get(name) ?? 0) + 1);
        });
        return [...cells, ...plan.extraCells([instruction])];
    });
    const notObjects = Array.isArray(list) ? list.length - instructions.length : 0;
    return { plan, rows, missing, notObjects, listed: Array.isArray(list) };
}
function textField(instruction) {
    return Object.hasOwn(instruction, 'text') ? 'text' : 'description';
}
function consumedFields(instruction) {
    return new Set(['id', 'type', 'options', textField(instruction)]);
}
function fixedCells(instruction) {
    const text = (key) => {
        const value = (0,cells/* own */.ZV)(instruction, key);
        return value === undefined || value === null ? null : (0,cells/* textOf */.b6)(value);
    };
    const options = (0,cells/* own */.ZV)(instruction, 'options');
    return [
        text('id'),
        text('type'),
        text(textField(instruction)),
        options === undefined || options === null ? null : Array.isArray(options) ? options : [options],
    ];
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(77598);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(51455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
// EXTERNAL MODULE: ./src/runner/outside-text.ts
var outside_text = __webpack_require__(63353);
// EXTERNAL MODULE: ./src/runner/scratch.ts
var scratch = __webpack_require__(83968);
// EXTERNAL MODULE: ./src/tables/formats.ts
var formats = __webpack_require__(20161);
;// CONCATENATED MODULE: ./src/tables/place-tables.ts







/** `<target>.partial-<8 hex>` and `<target>.old-<8 hex>`: the folders placeTables makes beside the target. */
const OURS = /^\.(partial|old)-[0-9a-f]{8}$/;
/**
 * Writes the tables into a staging folder (0700) beside `target` and renames it into place
 * only once `write` has finished, so a failure, the timeout or a cancel leaves no half-written
 * table. A tables folder an earlier run made at `target` is replaced; anything else there is
 * left alone and refused.
 */
async function placeTables(target, write) {
    await removeLeftovers(target);
    const staging = `${target}.partial-${(0,external_node_crypto_.randomBytes)(4).toString('hex')}`;
    await (0,promises_.mkdir)((0,external_node_path_.dirname)(target), { recursive: true }).catch((error) => {
        throw writeFailure(target, error);
    });
    await (0,promises_.mkdir)(staging, { mode: 0o700 }).catch((error) => {
        throw writeFailure(target, error);
    });
    (0,scratch/* trackScratch */.yx)(staging);
    try {
        const written = await write(staging);
        await replace(target, staging);
        return written;
    }
    catch (error) {
        await (0,promises_.rm)(staging, { recursive: true, force: true });
        throw error instanceof errors/* ActionError */.lZ ? error : writeFailure(target, error);
    }
    finally {
        (0,scratch/* untrackScratch */.hg)(staging);
    }
}
async function replace(target, staging) {
    const existing = await (0,promises_.lstat)(target).catch(() => undefined);
    if (!existing)
        return (0,promises_.rename)(staging, target);
    const names = existing.isDirectory() && !existing.isSymbolicLink() ? await (0,promises_.readdir)(target) : undefined;
    if (!names || names.some((name) => !formats/* TABLE_FILE_NAMES */.Vk.has(name))) {
        throw new errors/* ActionError */.lZ(`The tables folder ${target} already exists and holds something other than tables from an earlier run: ` +
            "move it away, or set 'path' so the tables folder beside the ZIP is free.");
    }
    const old = `${target}.old-${(0,external_node_crypto_.randomBytes)(4).toString('hex')}`;
    await (0,promises_.rename)(target, old);
    await (0,promises_.rename)(staging, target);
    await (0,promises_.rm)(old, { recursive: true, force: true });
}
/** Staging and replaced folders a killed run left beside the same target: they hold participant data. */
async function removeLeftovers(target) {
    const prefix = (0,external_node_path_.basename)(target);
    const parent = (0,external_node_path_.dirname)(target);
    for (const name of await (0,promises_.readdir)(parent).catch(() => [])) {
        if (!name.startsWith(prefix) || !OURS.test(name.slice(prefix.length)))
            continue;
        const stale = (0,external_node_path_.join)(parent, name);
        if ((await (0,promises_.lstat)(stale).catch(() => undefined))?.isDirectory())
            await (0,promises_.rm)(stale, { recursive: true, force: true });
    }
}
function writeFailure(target, error) {
    return new errors/* ActionError */.lZ(`Could not write the tables into ${target}: ${(0,outside_text/* neutralise */.$0)((0,errors/* messageOf */.bD)(error), 200)}. No table was kept (the partial folder was removed); ` +
        'the ZIP is not affected. Free disk space or choose another path.');
}

// EXTERNAL MODULE: ./src/archive/entry-data.ts
var entry_data = __webpack_require__(83091);
// EXTERNAL MODULE: ./src/archive/entry-name.ts
var entry_name = __webpack_require__(51576);
// EXTERNAL MODULE: ./src/archive/jsonl.ts
var jsonl = __webpack_require__(33588);
// EXTERNAL MODULE: ./src/archive/limits.ts
var limits = __webpack_require__(79180);
// EXTERNAL MODULE: ./src/archive/zip/zip-reader.ts + 1 modules
var zip_reader = __webpack_require__(65539);
;// CONCATENATED MODULE: ./src/tables/read-archive.ts







const DURING = 'making the tables';
/**
 * Reads the archive at `zipPath`, which validation has accepted, from its central directory,
 * with the readers validation uses: names decoded as they were, data inflated and held to its
 * CRC-32 as it passes, JSONL parsed line by line. Nothing is extracted, and only the entries a
 * reader is given for are inflated.
 */
async function readForTables(zipPath, layout, readers, deadline) {
    const zip = await (0,zip_reader/* openZip */.QH)(zipPath);
    try {
        let index = 0;
        for await (const entry of zip.eachEntry()) {
            (0,limits/* checkDeadline */.Ft)(deadline, DURING);
            const { name, isDirectory } = (0,entry_name/* safeEntry */.ys)(entry, index);
            const where = (0,archive_layout/* describeEntry */.OY)(name, index++);
            if (isDirectory)
                continue;
            if (name.startsWith(archive_layout/* FILES_DIR */.qM)) {
                readers.file?.({ name, size: entry.uncompressedSize, crc32: entry.crc32 });
                continue;
            }
            const sink = sinkFor(name, layout, readers);
            if (sink)
                await inflateInto(zip, entry, sink, where, deadline);
        }
    }
    finally {
        zip.close();
    }
}
function sinkFor(name, layout, { record, metadata }) {
    if (name === layout.submissions && record)
        return new jsonl/* JsonlChecker */.m(name, record);
    if (name === layout.metadata && metadata)
        return metadataSink(name, metadata);
    return undefined;
}
async function inflateInto(zip, entry, sink, where, deadline) {
    const { fileDataStart } = await zip.readLocalFileHeaderPromise(entry, { minimal: true });
    await (0,entry_data/* checkData */.T)(zip, entry, fileDataStart, sink, where, deadline, DURING);
}
/** The metadata whole (validation has held it to MAX_METADATA_BYTES and parsed it already). */
function metadataSink(file, take) {
    const chunks = [];
    let size = 0;
    return {
        push: (chunk) => {
            size += chunk.length;
            if (size > limits/* MAX_METADATA_BYTES */.Fx)
                throw new errors/* ArchiveError */.di(`${file} changed after it was validated.`);
            chunks.push(Buffer.from(chunk));
        },
        end: () => {
            let value;
            try {
                value = JSON.parse(Buffer.concat(chunks, size).toString('utf8'));
            }
            catch {
                throw new errors/* ArchiveError */.di(`${file} changed after it was validated.`);
            }
            take(value);
        },
    };
}

;// CONCATENATED MODULE: ./src/tables/responses.ts


/**
 * One row per response. A JSONL line of a batch's responses-by-submission.jsonl or of a
 * collection's responses.jsonl is a submission holding a `responses` array; each response
 * follows the documented Get Batch Responses record (`submission_id`, `participant_id`,
 * `task_id`, `response: {instruction_id, type, answer: [{value}]}`), or carries those three
 * fields itself, as collection responses do. A line that is itself one response counts as one.
 */
/** The fixed columns, in order. */
const RESPONSE_COLUMNS = [
    { name: 'submission_id', type: 'string' },
    { name: 'participant_id', type: 'string' },
    { name: 'task_id', type: 'string' },
    { name: 'instruction_id', type: 'string' },
    { name: 'type', type: 'string' },
    { name: 'answer', type: 'list' },
];
/** Fields of a response that fill the fixed columns (or hold those that do). */
const CONSUMED = new Set([...RESPONSE_COLUMNS.map((column) => column.name), 'response']);
const INNER_CONSUMED = new Set(['instruction_id', 'type', 'answer']);
const OUTER_CONSUMED = new Set(['submission_id', 'participant_id', 'task_id', 'responses']);
/** What a pass over the records learns: the fields, and what the rows will lack. */
class ResponseFields {
    responses = 0;
    /** Records that hold no response at all. */
    empty = 0;
    /** Elements of a `responses` array that are not objects. */
    notObjects = 0;
    missing = new Map();
    item = new cells/* FieldKinds */.gu();
    inner = new cells/* FieldKinds */.gu();
    outer = new cells/* FieldKinds */.gu();
    /** Counts one record's responses and notes their fields. */
    observe(record) {
        const found = eachResponse(record, (parts) => {
            this.responses += 1;
            note(this.item, parts.item, CONSUMED);
            if (parts.inner)
                note(this.inner, parts.inner, INNER_CONSUMED);
            if (parts.outer)
                note(this.outer, parts.outer, OUTER_CONSUMED);
            responses_fixedCells(parts).forEach((cell, at) => {
                const name = RESPONSE_COLUMNS[at]?.name ?? '';
                if (cell === null)
                    this.missing.set(name, (this.missing.get(name) ?? 0) + 1);
            });
        });
        if (found.responses === 0 && found.notObjects === 0)
            this.empty += 1;
        this.notObjects += found.notObjects;
    }
    plan() {
        return new ColumnPlan(RESPONSE_COLUMNS, [
            { kinds: this.item, name: (key) => key },
            { kinds: this.inner, name: (key) => `response_${key}` },
            { kinds: this.outer, name: (key) => key, fallback: (key) => `submission_${key}` },
        ]);
    }
}
function note(kinds, object, consumed) {
    for (const key of Object.keys(object))
        if (!consumed.has(key))
            kinds.observe(key, object[key]);
}
/** Calls `visit` for each response the record holds; says how many, and how many were not objects. */
function eachResponse(record, visit) {
    const list = (0,cells/* own */.ZV)(record, 'responses');
    if (Array.isArray(list)) {
        let notObjects = 0;
        for (const item of list) {
            if ((0,cells/* isObject */.Gv)(item))
                visit(partsOf(item, record));
            else
                notObjects += 1;
        }
        return { responses: list.length - notObjects, notObjects };
    }
    const single = (0,cells/* isObject */.Gv)((0,cells/* own */.ZV)(record, 'response')) || Object.hasOwn(record, 'instruction_id') || Object.hasOwn(record, 'answer');
    if (!single)
        return { responses: 0, notObjects: 0 };
    visit(partsOf(record, undefined));
    return { responses: 1, notObjects: 0 };
}
function partsOf(item, outer) {
    const inner = (0,cells/* own */.ZV)(item, 'response');
    return { item, inner: (0,cells/* isObject */.Gv)(inner) ? inner : undefined, outer };
}
/** The fixed columns' cells: ids from the response or else its submission; the rest from `response` or else the response. */
function responses_fixedCells({ item, inner, outer }) {
    const id = (key) => idCell((0,cells/* own */.ZV)(item, key) ?? (0,cells/* own */.ZV)(outer, key));
    const field = (key) => (0,cells/* own */.ZV)(inner, key) ?? (0,cells/* own */.ZV)(item, key);
    const kind = field('type');
    return [
        id('submission_id'),
        id('participant_id'),
        id('task_id'),
        idCell(field('instruction_id')),
        kind === undefined || kind === null ? null : (0,cells/* textOf */.b6)(kind),
        answerCell(field('answer')),
    ];
}
function idCell(value) {
    return value === undefined || value === null || value === '' ? null : (0,cells/* textOf */.b6)(value);
}
/**
 * The answer's values: `[{value}]` gives the values; an element with anything besides `value`
 * (a unit, say) is kept whole, so nothing is lost.
 */
function answerCell(answer) {
    if (answer === undefined || answer === null)
        return null;
    const elements = Array.isArray(answer) ? answer : [answer];
    return elements.map((element) => {
        if (!(0,cells/* isObject */.Gv)(element))
            return element;
        const keys = Object.keys(element);
        return keys.length === 1 && keys[0] === 'value' ? element.value : element;
    });
}
/** One row of the responses table, laid out as `plan` says. */
function responseRow(parts, plan) {
    return [...responses_fixedCells(parts), ...plan.extraCells([parts.item, parts.inner, parts.outer])];
}

;// CONCATENATED MODULE: ./src/tables/table-sink.ts

/** One table in every format asked for, as one sink. */
async function openTable(folder, table, formats, columns) {
    const sinks = [];
    try {
        for (const format of formats)
            sinks.push((await factory(format))((0,external_node_path_.join)(folder, `${table}.${format}`), columns));
    }
    catch (error) {
        for (const sink of sinks)
            sink.discard();
        throw error;
    }
    return {
        add: (row) => sinks.forEach((sink) => sink.add(row)),
        close: () => sinks.forEach((sink) => sink.close()),
        discard: () => sinks.forEach((sink) => sink.discard()),
    };
}
// Each format's library is loaded only when that format is asked for.
async function factory(format) {
    if (format === 'csv')
        return (await __webpack_require__.e(/* import() */ 316).then(__webpack_require__.bind(__webpack_require__, 71316))).csvTable;
    return (await Promise.all(/* import() */[__webpack_require__.e(855), __webpack_require__.e(720)]).then(__webpack_require__.bind(__webpack_require__, 96720))).parquetTable;
}

;// CONCATENATED MODULE: ./src/tables/table-warnings.ts



/** The fields a response is expected to fill: the fixed columns, but a task where the layout has tasks. */
function expectedFields(kind) {
    const names = RESPONSE_COLUMNS.map((column) => column.name);
    return archive_layout/* LAYOUTS */.my[kind].tasks === undefined ? names.filter((name) => name !== 'task_id') : names;
}
/**
 * What the tables will lack, in counts and field names of the documented shape only: the
 * records' own field names and values are participant data's neighbours and never shown.
 */
function tableWarnings({ kind, fields, plan, codebook }) {
    const { submissions, metadata } = archive_layout/* LAYOUTS */.my[kind];
    const warnings = [];
    for (const field of expectedFields(kind)) {
        const count = fields.missing.get(field) ?? 0;
        if (count > 0) {
            warnings.push(`${count} of ${fields.responses} response(s) in ${submissions} have no '${field}', so that column is empty there.`);
        }
    }
    if (fields.empty > 0) {
        warnings.push(`${fields.empty} record(s) in ${submissions} hold no responses, so they give no rows.`);
    }
    if (fields.notObjects > 0) {
        warnings.push(`${fields.notObjects} entr(ies) of 'responses' arrays in ${submissions} are not objects and give no rows.`);
    }
    for (const [what, leftOut] of [
        ['responses', plan.leftOut],
        ['instructions', codebook.plan.leftOut],
    ]) {
        if (leftOut > 0) {
            warnings.push(`${leftOut} field(s) of the ${what} have no column (past ${MAX_EXTRA_COLUMNS} columns, ` +
                `a name longer than ${MAX_FIELD_NAME_BYTES} bytes, or a name already taken).`);
        }
    }
    for (const field of ['id', 'type', 'text']) {
        const count = codebook.missing.get(field) ?? 0;
        if (count > 0) {
            const also = field === 'text' ? " (nor 'description')" : '';
            warnings.push(`${count} of ${codebook.rows.length} instruction(s) in ${metadata} have no '${field}'${also}.`);
        }
    }
    if (codebook.notObjects > 0) {
        warnings.push(`${codebook.notObjects} entr(ies) of 'instructions' in ${metadata} are not objects and give no row.`);
    }
    return warnings;
}

;// CONCATENATED MODULE: ./src/tables/build-tables.ts








const FILE_COLUMNS = [
    { name: 'path', type: 'string' },
    { name: 'submission_id', type: 'string' },
    { name: 'size', type: 'int' },
    { name: 'crc32', type: 'int' },
];
/**
 * The tables of a validated archive, in two passes over it. The first lists the uploads, reads
 * the codebook and learns the responses' fields (the columns must be known before the first
 * row is written); the second writes the responses. Both stream: memory holds a batch of rows.
 */
async function buildTables({ zipPath, kind, request, strict, deadline }) {
    const layout = archive_layout/* LAYOUTS */.my[kind];
    const { formats } = request;
    return placeTables(request.path, async (folder) => {
        const fields = new ResponseFields();
        let metadata;
        let files = 0;
        await writeTable(openTable(folder, 'files', formats, FILE_COLUMNS), async (table) => {
            const file = (entry) => {
                table.add(fileRow(entry));
                files += 1;
            };
            const record = (value) => fields.observe(value);
            await readForTables(zipPath, layout, { file, record, metadata: (value) => (metadata = value) }, deadline);
        });
        const codebook = codebookOf(metadata);
        const plan = fields.plan();
        const warnings = tableWarnings({ kind, fields, plan, codebook });
        if (strict && warnings.length > 0) {
            throw new errors/* ArchiveError */.di(`The archive lacks what the tables expect (strict is on): ${warnings.join(' ')}`);
        }
        await writeTable(openTable(folder, 'instructions', formats, codebook.plan.columns), async (table) => {
            for (const row of codebook.rows)
                table.add(row);
        });
        await writeTable(openTable(folder, 'responses', formats, plan.columns), async (table) => {
            const record = (value) => void eachResponse(value, (parts) => table.add(responseRow(parts, plan)));
            await readForTables(zipPath, layout, { record }, deadline);
        });
        const rows = { responses: fields.responses, instructions: codebook.rows.length, files };
        return { path: request.path, rows, warnings };
    });
}
async function writeTable(opening, write) {
    const table = await opening;
    try {
        await write(table);
    }
    catch (error) {
        table.discard();
        throw error;
    }
    table.close();
}
/** An upload's row: its path, the submission_id its name begins with, its size and CRC-32. */
function fileRow({ name, size, crc32 }) {
    const owner = (0,archive_layout/* uploadOwner */.JT)(name);
    return [name, owner === '' ? null : owner, size, crc32];
}


/***/ }),

/***/ 78788:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Gv: () => (/* binding */ isObject),
/* harmony export */   QP: () => (/* binding */ typeOf),
/* harmony export */   WC: () => (/* binding */ cellOf),
/* harmony export */   ZV: () => (/* binding */ own),
/* harmony export */   b6: () => (/* binding */ textOf),
/* harmony export */   gu: () => (/* binding */ FieldKinds)
/* harmony export */ });
const STRING = 1;
const INT = 2;
const DOUBLE = 4;
const BOOLEAN = 8;
const JSON_TEXT = 16;
function kindOf(value) {
    if (value === null || value === undefined)
        return 0;
    if (typeof value === 'string')
        return STRING;
    if (typeof value === 'boolean')
        return BOOLEAN;
    if (typeof value === 'number')
        return Number.isSafeInteger(value) ? INT : DOUBLE;
    return JSON_TEXT;
}
/** The type a column gets from the kinds of value seen in it. */
function typeOf(kinds) {
    if (kinds === BOOLEAN)
        return 'boolean';
    if (kinds === INT)
        return 'int';
    if (kinds === DOUBLE || kinds === (INT | DOUBLE))
        return 'double';
    return 'string';
}
/** The kinds of value seen under each field name, in the order the names first appear. */
class FieldKinds {
    kinds = new Map();
    observe(name, value) {
        this.kinds.set(name, (this.kinds.get(name) ?? 0) | kindOf(value));
    }
}
/** `value` as a cell of a column of `type` (typed by FieldKinds, so it fits). */
function cellOf(value, type) {
    if (value === null || value === undefined)
        return null;
    if (type === 'list')
        return Array.isArray(value) ? value : [value];
    if (type !== 'string')
        return value;
    return textOf(value);
}
/** Text as it is; anything else as its JSON. */
function textOf(value) {
    return typeof value === 'string' ? value : JSON.stringify(value);
}
function isObject(value) {
    return value !== null && typeof value === 'object' && !Array.isArray(value);
}
/** The object's own field `key` (never one inherited from Object.prototype). */
function own(object, key) {
    return object !== undefined && Object.hasOwn(object, key) ? object[key] : undefined;
}


/***/ })

};
