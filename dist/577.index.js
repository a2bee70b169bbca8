export const id = 577;
export const ids = [577];
export const modules = {

/***/ 83091:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   T: () => (/* binding */ checkData)
/* harmony export */ });
/* harmony import */ var node_zlib__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(38522);
/* harmony import */ var node_zlib__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_zlib__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(74296);
/* harmony import */ var _limits_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(79180);
/* harmony import */ var _zip_zip_reader_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(65539);
/* harmony import */ var _zip_small_entry_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(65383);





// One entry's data from disk, inflated into its sink and held to its declared size and CRC-32.
async function checkData(zip, entry, dataStart, sink, where, deadline, 
/** What the step was doing, for the message should the deadline pass (checkDeadline's default otherwise). */
during) {
    let checksum = 0;
    if ((0,_zip_small_entry_js__WEBPACK_IMPORTED_MODULE_4__/* .isSmallEntry */ ._)(entry.compressedSize, entry.uncompressedSize)) {
        const raw = await (0,_zip_zip_reader_js__WEBPACK_IMPORTED_MODULE_3__/* .readArchiveBytes */ .Yp)(zip, dataStart, entry.compressedSize);
        const data = (0,_zip_small_entry_js__WEBPACK_IMPORTED_MODULE_4__/* .smallEntryData */ .g)(raw, entry.compressionMethod, entry.uncompressedSize);
        checksum = (0,node_zlib__WEBPACK_IMPORTED_MODULE_0__.crc32)(data);
        sink.push(data);
    }
    else {
        let stream;
        try {
            stream = await (0,_zip_zip_reader_js__WEBPACK_IMPORTED_MODULE_3__/* .openEntryData */ .Hc)(zip, entry, dataStart);
        }
        catch (error) {
            if (error instanceof _core_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ArchiveError */ .di)
                throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ArchiveError */ .di(`The archive's ${where} ${error.message}`);
            throw error;
        }
        for await (const chunk of stream) {
            (0,_limits_js__WEBPACK_IMPORTED_MODULE_2__/* .checkDeadline */ .Ft)(deadline, during);
            checksum = (0,node_zlib__WEBPACK_IMPORTED_MODULE_0__.crc32)(chunk, checksum);
            sink.push(chunk);
        }
    }
    sink.end();
    if (checksum !== entry.crc32) {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ArchiveError */ .di(`The archive's ${where} fails its CRC-32 check (the bytes are not the ones the archive declares). ` +
            'The download or the export is corrupt; run the workflow again.');
    }
}


/***/ }),

/***/ 51576:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   E5: () => (/* binding */ checkLocalNameFields),
/* harmony export */   N9: () => (/* binding */ unsafe),
/* harmony export */   Yp: () => (/* binding */ typeProblem),
/* harmony export */   e4: () => (/* binding */ decodeName),
/* harmony export */   ys: () => (/* binding */ safeEntry)
/* harmony export */ });
/* unused harmony exports MAX_NAME_PART_BYTES, nameProblem */
/* harmony import */ var node_buffer__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4573);
/* harmony import */ var node_buffer__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_buffer__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var yauzl__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(20663);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(74296);
/* harmony import */ var _layout_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(72630);
/* harmony import */ var _zip_records_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(53296);





const UTF8_FLAG = _zip_records_js__WEBPACK_IMPORTED_MODULE_4__/* .FLAG */ .lx.utf8Names;
const UNICODE_PATH_FIELD = _zip_records_js__WEBPACK_IMPORTED_MODULE_4__/* .EXTRA_FIELD */ .GJ.unicodePath;
/** The longest file or folder name ext4, APFS, NTFS and most others store (255 bytes or UTF-16 units). */
const MAX_NAME_PART_BYTES = 255;
const S_IFMT = 0o170000;
const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;
const DOS_DIRECTORY = 0x10;
/**
 * The name's bytes checked before they are decoded, then the decoded name: what yauzl, Info-ZIP
 * and Python would each make of it is the same text, or the entry is refused. Names are
 * decoded here, not by yauzl (decodeStrings: false), so a refusal can say which entry without
 * echoing a name that may hold participant data.
 */
function decodeName(raw, index) {
    // One byte a character: the bytes as they are, and the name itself when it is ASCII.
    const bytes = raw.bytes.toString('latin1');
    const refuse = (problem) => unsafe((0,_layout_js__WEBPACK_IMPORTED_MODULE_3__/* .describeEntry */ .OY)(bytes, index), problem);
    const ascii = !NON_ASCII.test(bytes);
    if (BYTE_CONTROL.test(bytes))
        refuse('has control characters in its name');
    // Without the flag, yauzl reads CP437, Info-ZIP the local code page, others UTF-8.
    if (!ascii && !(raw.flags & UTF8_FLAG))
        refuse('has a non-ASCII name without the UTF-8 flag, which tools read differently');
    if (!ascii && !(0,node_buffer__WEBPACK_IMPORTED_MODULE_0__.isUtf8)(raw.bytes))
        refuse('has a name that is not valid UTF-8');
    for (const field of raw.extraFields) {
        if (field.id !== UNICODE_PATH_FIELD)
            continue;
        // Readers that honour this field (yauzl, Info-ZIP) take its name instead of the header's.
        const second = field.data.subarray(5);
        if (CONTROL.test(second.toString('utf8')))
            refuse('has control characters in its Unicode Path field');
        if (field.data.length < 5 || !second.equals(raw.bytes))
            refuse('has a second name, in a Unicode Path field, that differs from its name');
    }
    const name = ascii ? bytes : raw.bytes.toString('utf8');
    if (!ascii && CONTROL.test(name))
        refuse('has control characters in its name');
    const problem = nameProblem(name);
    if (problem)
        refuse(problem);
    return { name, isDirectory: name.endsWith('/') };
}
/** C0, DEL, C1 and the Unicode line breaks: anything that moves or hides text where a name is shown. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
/** The control bytes of any encoding, looked for in the bytes read one a character (latin1). */
// eslint-disable-next-line no-control-regex
const BYTE_CONTROL = /[\u0000-\u001f\u007f]/;
// eslint-disable-next-line no-control-regex
const NON_ASCII = /[^\u0000-\u007f]/;
/** Why a decoded name cannot be written below a folder as it is, on any file system. */
function nameProblem(name) {
    if (name === '')
        return 'has an empty name';
    if (name.includes('\\'))
        return 'has a backslash in its name (a Windows path)';
    if (name.startsWith('/') || /^[A-Za-z]:/.test(name))
        return 'has an absolute path';
    let climbs = false;
    let empty = false;
    let dot = false;
    let long = false;
    const end = name.endsWith('/') ? name.length - 1 : name.length;
    for (let start = 0; start <= end;) {
        const slash = name.indexOf('/', start);
        const stop = slash === -1 || slash > end ? end : slash;
        const length = stop - start;
        if (length === 0)
            empty = true;
        else if (length <= 2 && name.charCodeAt(start) === DOT) {
            if (length === 1)
                dot = true;
            else if (name.charCodeAt(start + 1) === DOT)
                climbs = true;
        }
        // A UTF-16 unit is at most 3 bytes of UTF-8: only long parts need counting.
        if (length > MAX_NAME_PART_BYTES / 3 && Buffer.byteLength(name.slice(start, stop)) > MAX_NAME_PART_BYTES)
            long = true;
        start = stop + 1;
    }
    if (climbs)
        return 'has a path that climbs out of the archive (..)';
    if (empty)
        return 'has an empty folder name (//) in its path';
    if (dot)
        return "has a '.' folder in its path";
    if (long)
        return `has a file or folder name longer than ${MAX_NAME_PART_BYTES} bytes, which file systems cannot store`;
    return undefined;
}
const DOT = 0x2e;
/**
 * Why the file type in the external attributes makes the entry something other than what its
 * name says. The Unix mode in the high 16 bits is honoured by Info-ZIP for "made by" Unix and
 * also VMS, Atari, BeOS, AtheOS and others, so it is checked whatever "made by" says.
 */
function typeProblem(externalAttributes, isDirectory) {
    const type = (externalAttributes >>> 16) & S_IFMT;
    if (type === S_IFLNK)
        return 'is a symbolic link';
    if (type !== 0 && type !== S_IFREG && type !== S_IFDIR)
        return 'is a special file (a device, pipe or socket)';
    if (!isDirectory && (type === S_IFDIR || externalAttributes & DOS_DIRECTORY))
        return 'is named as a file but marked as a folder';
    if (isDirectory && type === S_IFREG)
        return 'is named as a folder but marked as a file';
    return undefined;
}
/** Every check that needs only the central directory record of one entry. */
function safeEntry(entry, index) {
    const raw = { bytes: entry.fileNameRaw, flags: entry.generalPurposeBitFlag, extraFields: entry.extraFields };
    const safe = decodeName(raw, index);
    const problem = typeProblem(entry.externalFileAttributes, safe.isDirectory);
    if (problem)
        unsafe((0,_layout_js__WEBPACK_IMPORTED_MODULE_3__/* .describeEntry */ .OY)(safe.name, index), problem);
    if (entry.isEncrypted()) {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ArchiveError */ .di(`The archive has an encrypted entry, ${(0,_layout_js__WEBPACK_IMPORTED_MODULE_3__/* .describeEntry */ .OY)(safe.name, index)}; exports are never encrypted.`);
    }
    return safe;
}
/** A local header's extra fields may name the entry again; Info-ZIP reads them there too. */
function checkLocalNameFields(localExtra, entry, index) {
    const extraFields = yauzl__WEBPACK_IMPORTED_MODULE_1__.parseExtraFields(localExtra);
    decodeName({ bytes: entry.fileNameRaw, flags: entry.generalPurposeBitFlag, extraFields }, index);
}
function unsafe(where, problem) {
    throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ArchiveError */ .di(`The archive is unsafe: ${where} ${problem}. Nothing was extracted; ` +
        'do not open this archive with other tools. Request a new export, and tell Prolific support if it happens again.');
}


/***/ }),

/***/ 33588:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   m: () => (/* binding */ JsonlChecker),
/* harmony export */   x: () => (/* binding */ structureProblem)
/* harmony export */ });
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(74296);
/* harmony import */ var _limits_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(79180);


const NEWLINE = 0x0a;
const CR = 0x0d;
/** Runs of blank lines are skipped this many at a time, by comparing memory rather than line by line. */
const BLANK_RUN = Buffer.alloc(4096, NEWLINE);
/**
 * Checks a JSONL stream chunk by chunk: every non-empty line must be one JSON object, within
 * the limits of limits.ts. CRLF endings, a missing final newline and blank lines are accepted.
 * Errors name the file and the line, never the line's content (it is participant data).
 */
class JsonlChecker {
    records = 0;
    line = 0;
    pending = [];
    pendingBytes = 0;
    file;
    visit;
    decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
    constructor(file, visit) {
        this.file = file;
        this.visit = visit;
    }
    push(chunk) {
        let start = 0;
        for (let end = chunk.indexOf(NEWLINE); end !== -1; end = chunk.indexOf(NEWLINE, start)) {
            const piece = chunk.subarray(start, end);
            start = end + 1;
            if (this.pendingBytes === 0) {
                this.take(piece);
                if (piece.length === 0)
                    start = this.skipBlankRun(chunk, start);
                continue;
            }
            this.holdAtMost(piece.length);
            this.pending.push(piece);
            const line = Buffer.concat(this.pending, this.pendingBytes + piece.length);
            // Let go of the parts before parsing: the line is held once, not twice.
            this.pending = [];
            this.pendingBytes = 0;
            this.take(line);
        }
        if (start < chunk.length) {
            this.holdAtMost(chunk.length - start);
            this.pendingBytes += chunk.length - start;
            // Copy: the chunk's memory belongs to the stream and may be reused.
            this.pending.push(Buffer.from(chunk.subarray(start)));
        }
    }
    end() {
        if (this.pendingBytes === 0)
            return;
        const line = Buffer.concat(this.pending, this.pendingBytes);
        this.pending = [];
        this.pendingBytes = 0;
        this.take(line);
    }
    /** Past whole blocks of newlines at `start`: a file of newlines is a cheap bomb line by line. */
    skipBlankRun(chunk, start) {
        let at = start;
        while (at + BLANK_RUN.length <= chunk.length && BLANK_RUN.equals(chunk.subarray(at, at + BLANK_RUN.length))) {
            at += BLANK_RUN.length;
        }
        while (chunk[at] === NEWLINE)
            at += 1;
        this.line += at - start;
        return at;
    }
    /** Refuses the line being gathered before it grows past MAX_LINE_BYTES with `more` bytes. */
    holdAtMost(more) {
        if (this.pendingBytes + more <= _limits_js__WEBPACK_IMPORTED_MODULE_1__/* .MAX_LINE_BYTES */ .Oc)
            return;
        this.line += 1;
        throw this.beyondLimit(`is longer than ${_limits_js__WEBPACK_IMPORTED_MODULE_1__/* .MAX_LINE_BYTES */ .Oc} bytes`);
    }
    take(bytes) {
        this.line += 1;
        // Blank lines cost a counter, not a decode.
        if (bytes.length === 0 || (bytes.length === 1 && bytes[0] === CR))
            return;
        if (bytes.length > _limits_js__WEBPACK_IMPORTED_MODULE_1__/* .MAX_LINE_BYTES */ .Oc)
            throw this.beyondLimit(`is longer than ${_limits_js__WEBPACK_IMPORTED_MODULE_1__/* .MAX_LINE_BYTES */ .Oc} bytes`);
        let text;
        try {
            text = this.decoder.decode(bytes);
        }
        catch {
            throw this.error('is not valid UTF-8');
        }
        const structure = structureProblem(text);
        if (structure)
            throw this.beyondLimit(structure.problem);
        if (text.trim() === '')
            return;
        let value;
        try {
            value = JSON.parse(text);
        }
        catch (error) {
            // V8 quotes the offending input in its message: keep only the position.
            const position = /position (\d+)/.exec(String(error))?.[1];
            throw this.error(`is not valid JSON${position ? ` (at character ${Number(position) + 1})` : ''}`);
        }
        if (value === null || typeof value !== 'object' || Array.isArray(value)) {
            throw this.error(`is ${value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`}, not a JSON object`);
        }
        this.records += 1;
        this.visit(value, this.line);
    }
    beyondLimit(problem) {
        return new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ArchiveError */ .di(`${this.file} line ${this.line} ${problem}, far beyond any real record, so the action stops rather than ` +
            'hold it in memory. The export is damaged; request a new one.');
    }
    error(problem) {
        return new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ArchiveError */ .di(`${this.file} line ${this.line} ${problem}: every non-empty line must be one JSON object. ` +
            'The export is damaged; request a new one.');
    }
}
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
/**
 * Where `text` nests deeper than MAX_JSON_DEPTH or holds more than MAX_LINE_CONTAINERS objects
 * and arrays, found before JSON.parse pays for them; undefined within the limits. Only brackets
 * outside strings count, and strings are jumped over with indexOf, so the cost is per string,
 * not per byte. Text that is not JSON may get either answer: JSON.parse refuses it next, having
 * built no more than the valid part before the error, which was counted right.
 */
function structureProblem(text) {
    // The common case, a record with few objects and arrays, proven shallow without a scan.
    if (openingsAtMost(text, _limits_js__WEBPACK_IMPORTED_MODULE_1__/* .MAX_JSON_DEPTH */ .KX))
        return undefined;
    let depth = 0;
    let containers = 0;
    for (let i = 0, n = text.length; i < n; i++) {
        const c = text.charCodeAt(i);
        if (c === QUOTE) {
            i = closingQuote(text, i);
            if (i === -1)
                return undefined;
        }
        else if (c === 0x7b || c === 0x5b) {
            depth += 1;
            containers += 1;
            if (depth > _limits_js__WEBPACK_IMPORTED_MODULE_1__/* .MAX_JSON_DEPTH */ .KX)
                return { at: i, problem: `nests deeper than ${_limits_js__WEBPACK_IMPORTED_MODULE_1__/* .MAX_JSON_DEPTH */ .KX} levels` };
            if (containers > _limits_js__WEBPACK_IMPORTED_MODULE_1__/* .MAX_LINE_CONTAINERS */ .H$) {
                return { at: i, problem: `holds more than ${_limits_js__WEBPACK_IMPORTED_MODULE_1__/* .MAX_LINE_CONTAINERS */ .H$} objects and arrays` };
            }
        }
        else if (c === 0x7d || c === 0x5d) {
            depth -= 1;
        }
    }
    return undefined;
}
/** Whether `text` holds at most `most` '{' and '[' in all, strings included. */
function openingsAtMost(text, most) {
    let count = 0;
    for (let i = text.indexOf('{'); i !== -1; i = text.indexOf('{', i + 1))
        if (++count > most)
            return false;
    for (let i = text.indexOf('['); i !== -1; i = text.indexOf('[', i + 1))
        if (++count > most)
            return false;
    return true;
}
/** The index of the quote that closes the string opening at `open`, or -1. */
function closingQuote(text, open) {
    let at = text.indexOf('"', open + 1);
    while (at !== -1 && isEscaped(text, at))
        at = text.indexOf('"', at + 1);
    return at;
}
/** Whether an odd number of backslashes stands before `at` (the opening quote stops the count). */
function isEscaped(text, at) {
    let before = at - 1;
    while (text.charCodeAt(before) === BACKSLASH)
        before -= 1;
    return (at - 1 - before) % 2 === 1;
}


/***/ }),

/***/ 72630:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   DK: () => (/* binding */ README),
/* harmony export */   JT: () => (/* binding */ uploadOwner),
/* harmony export */   OY: () => (/* binding */ describeEntry),
/* harmony export */   Zo: () => (/* binding */ isLayoutName),
/* harmony export */   my: () => (/* binding */ LAYOUTS),
/* harmony export */   qM: () => (/* binding */ FILES_DIR)
/* harmony export */ });
/* unused harmony exports SUBMISSIONS, TASKS, BATCH, RESPONSES, COLLECTION */
/** The archive layouts Prolific documents for a batch export and a collection export. */
const SUBMISSIONS = 'responses-by-submission.jsonl';
const TASKS = 'responses-by-task.jsonl';
const BATCH = 'batch.json';
const RESPONSES = 'responses.jsonl';
const COLLECTION = 'collection.json';
const README = 'README.md';
const FILES_DIR = 'files/';
/** The submission_id an upload's name under files/ begins with (up to its first `_` or `/`); '' if none. */
function uploadOwner(name) {
    return name.slice(FILES_DIR.length).split(/[_/]/, 1)[0] ?? '';
}
const LAYOUTS = {
    batch: {
        required: [README, SUBMISSIONS, TASKS, BATCH],
        expectedFields: { [SUBMISSIONS]: 'submission_id', [TASKS]: 'task_id' },
        submissions: SUBMISSIONS,
        tasks: TASKS,
        metadata: BATCH,
        input: 'batch-id',
    },
    collection: {
        required: [README, RESPONSES, COLLECTION],
        expectedFields: { [RESPONSES]: 'submission_id' },
        submissions: RESPONSES,
        tasks: undefined,
        metadata: COLLECTION,
        input: 'collection-id',
    },
};
/** Names of the fixed layouts: public, unlike what lies under files/. */
const FIXED_NAMES = new Set([...LAYOUTS.batch.required, ...LAYOUTS.collection.required, FILES_DIR]);
/** Whether the name is one a layout fixes (and so may be looked up by name). */
function isLayoutName(name) {
    return FIXED_NAMES.has(name);
}
/**
 * How a message names an entry: a fixed layout name as it is, anything else by its number and,
 * under files/, that folder. Any other name may hold participant data (an upload misfiled,
 * a name decoded wrongly) and is never shown, not even cut short.
 */
function describeEntry(name, index) {
    if (FIXED_NAMES.has(name))
        return name;
    if (name.startsWith(FILES_DIR))
        return `entry #${index + 1} under ${FILES_DIR}`;
    return `entry #${index + 1}`;
}


/***/ }),

/***/ 79180:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Ft: () => (/* binding */ checkDeadline),
/* harmony export */   Fx: () => (/* binding */ MAX_METADATA_BYTES),
/* harmony export */   H$: () => (/* binding */ MAX_LINE_CONTAINERS),
/* harmony export */   J5: () => (/* binding */ checkLimits),
/* harmony export */   JX: () => (/* binding */ limitProblem),
/* harmony export */   KX: () => (/* binding */ MAX_JSON_DEPTH),
/* harmony export */   Oc: () => (/* binding */ MAX_LINE_BYTES),
/* harmony export */   dR: () => (/* binding */ DEFAULT_LIMITS)
/* harmony export */ });
/* unused harmony export RATIO_FLOOR_BYTES */
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(74296);

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
/**
 * 16 GiB is four times the largest export we have seen. Real exports deflate JSONL about 5-10x
 * and store their media as is, so they stay far below 100x; a zip bomb is at 1,000x or more.
 */
const DEFAULT_LIMITS = { maxUncompressedBytes: 16 * GiB, maxRatio: 100 };
/**
 * Up to 64 MiB declared in all, any ratio is accepted: inflating that much costs a fraction of a
 * second and memory the action bounds anyway, while a small export holding a blank BMP upload
 * (a 36 MB 12-megapixel image deflates to a few dozen KB) reaches 1,000x honestly.
 */
const RATIO_FLOOR_BYTES = 64 * MiB;
/**
 * Limits on the JSON the action parses (every line of the JSONL files, and batch.json or
 * collection.json whole), so that memory is bounded by the action, not by the archive.
 * JSON.parse holds the whole value: real records take about 3 bytes of memory per byte of
 * text, hostile ones up to 40 (a line of `{},{},…`), and deep nesting about 100 bytes a level.
 * - MAX_JSON_DEPTH: real records nest 5 or 6 levels (record, responses, response, answer…).
 * - MAX_LINE_BYTES: a line of responses-by-task.jsonl holds every response to one task, a few
 *   MB for a large batch; 16 MiB leaves several times that.
 * - MAX_LINE_CONTAINERS: objects and arrays in one line (or metadata file), the costliest values
 *   to hold; a real 16 MiB line has about 170,000.
 * - MAX_METADATA_BYTES: batch.json and collection.json hold a few KB of metadata.
 */
const MAX_JSON_DEPTH = 64;
const MAX_LINE_BYTES = 16 * MiB;
const MAX_LINE_CONTAINERS = 1024 * 1024;
const MAX_METADATA_BYTES = 16 * MiB;
/** Throws when the declared total passes either limit for an archive of `archiveBytes`. */
function checkLimits(declared, archiveBytes, limits) {
    const problem = limitProblem(declared, archiveBytes, limits);
    if (problem)
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ArchiveError */ .di(`The archive is refused before anything was inflated: ${problem}`);
}
/** Why the totals pass a limit, naming the input to raise; undefined within them. */
function limitProblem(declared, archiveBytes, limits) {
    if (declared > limits.maxUncompressedBytes) {
        return (`its entries declare ${describeBytes(declared)} uncompressed, more than 'max-uncompressed-size' ` +
            `(${describeBytes(limits.maxUncompressedBytes)}). Raise 'max-uncompressed-size' if this export is ` +
            'genuinely that large; otherwise it is a decompression bomb: request a new export.');
    }
    if (declared > RATIO_FLOOR_BYTES && declared > limits.maxRatio * archiveBytes) {
        return (`its entries declare ${describeBytes(declared)} uncompressed from ${describeBytes(archiveBytes)}, ` +
            `${Math.round(declared / Math.max(archiveBytes, 1))} times its size, more than 'max-compression-ratio' ` +
            `(${limits.maxRatio}). That is how a decompression bomb looks. Raise 'max-compression-ratio' if this ` +
            'export is genuinely that compressible (for example, many blank images); otherwise request a new export.');
    }
    return undefined;
}
/**
 * Throws once the timeout passed or the step was cancelled. The clock is asked as well as the
 * signal: a long run of work that never yields to the event loop would never see the signal fire.
 */
function checkDeadline(deadline, during = 'validating the archive') {
    if (deadline.signal.aborted || deadline.remainingMs() === 0)
        throw deadline.expired(during);
}
function describeBytes(bytes) {
    if (bytes >= GiB)
        return `${Number((bytes / GiB).toFixed(1))} GiB`;
    if (bytes >= MiB)
        return `${Number((bytes / MiB).toFixed(1))} MiB`;
    if (bytes >= 1024)
        return `${Number((bytes / 1024).toFixed(1))} KiB`;
    return `${bytes} bytes`;
}


/***/ }),

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

/***/ 45975:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Mx: () => (/* binding */ METHOD),
/* harmony export */   Pc: () => (/* binding */ methodProblem),
/* harmony export */   _N: () => (/* binding */ versionNeeded),
/* harmony export */   _Z: () => (/* binding */ isAllowedMethod),
/* harmony export */   s7: () => (/* binding */ NEWEST_VERSION_NEEDED)
/* harmony export */ });
// The ZIP features an export uses, and so the only ones the checks accept.
/** 4.4.5 Compression method: exports store or deflate, nothing else. */
const METHOD = { stored: 0, deflated: 8 };
function isAllowedMethod(method) {
    return method === METHOD.stored || method === METHOD.deflated;
}
/** Why an entry's method is refused (after the entry's description), or undefined for an allowed one. */
function methodProblem(method) {
    if (isAllowedMethod(method))
        return undefined;
    return `uses compression method ${method}; exports use only stored or deflated entries.`;
}
/** 4.4.3.2: ZIP 4.5 (ZIP64) is the newest feature an export needs; Info-ZIP reads up to 4.6. */
const NEWEST_VERSION_NEEDED = 46;
/** 4.4.3.1: the version needed to extract is the lower byte; the upper one names a host system. */
function versionNeeded(field) {
    return field & 0xff;
}


/***/ }),

/***/ 53296:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   E_: () => (/* binding */ CENTRAL_HEADER),
/* harmony export */   Et: () => (/* binding */ LOCAL_HEADER),
/* harmony export */   GJ: () => (/* binding */ EXTRA_FIELD),
/* harmony export */   J2: () => (/* binding */ SIGNATURE),
/* harmony export */   Kx: () => (/* binding */ PLACEHOLDER),
/* harmony export */   lx: () => (/* binding */ FLAG),
/* harmony export */   rA: () => (/* binding */ ZIP64_LOCATOR),
/* harmony export */   sd: () => (/* binding */ ZIP64_END_RECORD),
/* harmony export */   yF: () => (/* binding */ END_RECORD)
/* harmony export */ });
// The ZIP records an export is made of, as APPNOTE.TXT 6.3.10 lays them out: each field at its
// offset from the record's first byte (its signature), little-endian, named as the section
// names it. Stated here once; the scan during the download and the validation from disk both
// read through these names.
/** 4.3.7, 4.3.12, 4.3.14, 4.3.15, 4.3.16: the four bytes each record begins with. */
const SIGNATURE = {
    localHeader: 0x04034b50,
    centralHeader: 0x02014b50,
    zip64EndRecord: 0x06064b50,
    zip64Locator: 0x07064b50,
    endRecord: 0x06054b50,
};
/** 4.3.7 Local file header; the name and the extra field follow the fixed part. */
const LOCAL_HEADER = {
    signature: 0,
    versionNeeded: 4,
    flags: 6,
    method: 8,
    modifiedTime: 10,
    modifiedDate: 12,
    crc: 14,
    compressedSize: 18,
    uncompressedSize: 22,
    nameLength: 26,
    extraLength: 28,
    fixedBytes: 30,
};
/** 4.3.12 Central directory file header; the name, extra field and comment follow the fixed part. */
const CENTRAL_HEADER = {
    signature: 0,
    versionMadeBy: 4,
    versionNeeded: 6,
    flags: 8,
    method: 10,
    modifiedTime: 12,
    modifiedDate: 14,
    crc: 16,
    compressedSize: 20,
    uncompressedSize: 24,
    nameLength: 28,
    extraLength: 30,
    commentLength: 32,
    diskNumberStart: 34,
    internalAttributes: 36,
    externalAttributes: 38,
    localHeaderOffset: 42,
    fixedBytes: 46,
};
/** 4.3.14 ZIP64 end of central directory record; `recordSize` counts the bytes after itself. */
const ZIP64_END_RECORD = {
    signature: 0,
    recordSize: 4,
    versionMadeBy: 12,
    versionNeeded: 14,
    disk: 16,
    directoryDisk: 20,
    entriesOnDisk: 24,
    entries: 32,
    directorySize: 40,
    directoryOffset: 48,
    fixedBytes: 56,
};
/** 4.3.15 ZIP64 end of central directory locator, just before the end record. */
const ZIP64_LOCATOR = {
    signature: 0,
    recordDisk: 4,
    recordOffset: 8,
    disks: 16,
    fixedBytes: 20,
};
/** 4.3.16 End of central directory record; the comment follows the fixed part and ends the file. */
const END_RECORD = {
    signature: 0,
    disk: 4,
    directoryDisk: 6,
    entriesOnDisk: 8,
    entries: 10,
    directorySize: 12,
    directoryOffset: 16,
    commentLength: 20,
    fixedBytes: 22,
};
/** 4.4.4 General purpose bit flag. */
const FLAG = {
    encrypted: 0x01,
    /** Sizes and CRC-32 come after the data, and are zero in the local header. */
    dataDescriptor: 0x08,
    strongEncryption: 0x40,
    /** 4.4.4 bit 11: the name is UTF-8 (else CP437). */
    utf8Names: 0x800,
};
/** 4.4.1.4: a field too small for its value holds all ones, and the ZIP64 record or field holds the value. */
const PLACEHOLDER = { u16: 0xffff, u32: 0xffffffff };
/** 4.5.2 and 4.6: the header IDs of the extra fields the checks read. */
const EXTRA_FIELD = {
    /** 4.5.3 ZIP64 extended information. */
    zip64: 0x0001,
    /** 4.6.9 Info-ZIP Unicode Path: the name again, in UTF-8. */
    unicodePath: 0x7075,
};


/***/ }),

/***/ 65383:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  _: () => (/* binding */ isSmallEntry),
  g: () => (/* binding */ smallEntryData)
});

// EXTERNAL MODULE: ./node_modules/fflate/esm/index.mjs
var esm = __webpack_require__(51306);
;// CONCATENATED MODULE: ./src/archive/zip/inflate-small.ts

/** Entries up to this size, packed and unpacked, are taken whole and inflated in one call. */
const SMALL_ENTRY = 1024 * 1024;
/*
 * Why fflate and not zlib.inflateRawSync for small entries: each zlib call builds a stream
 * object with a native handle, and V8 frees those only in a full collection. An export has
 * tens of thousands of small uploads; through zlib they held 70-100 MiB until then. fflate
 * inflates into one buffer reused for every entry, leaving nothing to collect, at the same
 * speed for entries this small. Large entries still stream through zlib.
 */
const output = new Uint8Array(SMALL_ENTRY + 1);
/**
 * The inflated bytes of a small entry, in a buffer reused by the next call: use them (or copy
 * them) before inflating another. Never more than the declared size plus one byte, so a lying
 * entry cannot balloon in memory.
 */
function inflateSmall(raw, size) {
    if (size > SMALL_ENTRY)
        throw new RangeError(`${size} bytes is not a small entry`);
    const data = (0,esm/* inflateSync */.HM)(raw, { out: output.subarray(0, size + 1) });
    if (data.length > size)
        throw new Error(`its data inflates to more than the ${size} bytes its size declares`);
    if (data.length !== size)
        throw new Error(`its data inflates to ${data.length} bytes, not the ${size} it declares`);
    return Buffer.from(data.buffer, data.byteOffset, data.length);
}

// EXTERNAL MODULE: ./src/archive/zip/features.ts
var features = __webpack_require__(45975);
;// CONCATENATED MODULE: ./src/archive/zip/small-entry.ts


// Most entries of an export are small uploads: both readers take them whole, in one buffer,
// without a stream and its round trips.
/** Whether an entry is small enough, packed and unpacked, to be read whole. */
function isSmallEntry(compressedSize, uncompressedSize) {
    return compressedSize <= SMALL_ENTRY && uncompressedSize <= SMALL_ENTRY;
}
/**
 * The data of a small entry from its raw bytes, held to its declared size. Deflated data comes
 * in a buffer the next call reuses (see inflateSmall): use it before reading another entry.
 */
function smallEntryData(raw, method, uncompressedSize) {
    if (method === features/* METHOD */.Mx.deflated)
        return inflateSmall(raw, uncompressedSize);
    const problem = (0,features/* methodProblem */.Pc)(method);
    if (problem)
        throw new Error(problem);
    if (raw.length !== uncompressedSize) {
        throw new Error(`its data inflates to ${raw.length} bytes, not the ${uncompressedSize} it declares`);
    }
    return raw;
}


/***/ }),

/***/ 65539:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  Hc: () => (/* binding */ openEntryData),
  QH: () => (/* binding */ openZip),
  Yp: () => (/* binding */ readArchiveBytes)
});

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(51455);
// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(57075);
// EXTERNAL MODULE: ./node_modules/yauzl/index.js
var yauzl = __webpack_require__(20663);
// EXTERNAL MODULE: ./src/core/errors.ts
var errors = __webpack_require__(74296);
;// CONCATENATED MODULE: ./src/archive/zip/read-window.ts

const WINDOW_BYTES = 1024 * 1024;
const WINDOWS = 4;
/**
 * Small reads of the archive (headers, small entries) served from a few 1 MiB windows. Entries
 * are read in file order, so one read from disk answers hundreds of small reads instead of a
 * trip through the thread pool each; a handful of windows also covers the central directory,
 * which is read alongside. Reads of a window or more go straight to the file.
 */
class ReadWindows {
    fd;
    size;
    windows = new Map();
    constructor(fd, size) {
        this.fd = fd;
        this.size = size;
    }
    /** Exactly `length` bytes at `position`, which the caller has checked lie inside the file. */
    async read(position, length) {
        if (length * 4 > WINDOW_BYTES)
            return this.readFile(position, length);
        const start = position - (position % WINDOW_BYTES);
        if (position + length > start + WINDOW_BYTES)
            return this.readFile(position, length);
        const window = await this.window(start);
        if (position + length - start > window.length)
            throw new Error('unexpected end of the archive');
        return window.subarray(position - start, position - start + length);
    }
    window(start) {
        let window = this.windows.get(start);
        if (!window) {
            window = this.readFile(start, Math.min(WINDOW_BYTES, this.size - start));
            this.windows.set(start, window);
            // Maps iterate in insertion order: the first key is the oldest window.
            if (this.windows.size > WINDOWS)
                this.windows.delete(this.windows.keys().next().value);
            window.catch(() => this.windows.delete(start));
        }
        return window;
    }
    readFile(position, length) {
        return new Promise((resolve, reject) => {
            const buffer = Buffer.allocUnsafe(length);
            (0,external_node_fs_.read)(this.fd, buffer, 0, length, position, (error, bytesRead) => {
                if (error)
                    return reject(error);
                if (bytesRead !== length)
                    return reject(new Error('unexpected end of the archive'));
                resolve(buffer);
            });
        });
    }
}

// EXTERNAL MODULE: ./src/archive/zip/features.ts
var features = __webpack_require__(45975);
;// CONCATENATED MODULE: ./src/archive/zip/zip-reader.ts







/**
 * yauzl reads the central directory from the file instead of trusting a stream of local
 * headers, handles ZIP64, and checks each entry's declared sizes against the bytes it
 * inflates (the zip-bomb defence). It does not check CRC-32: we do, as the bytes pass.
 */
async function openZip(path) {
    const fd = (0,external_node_fs_.openSync)(path, 'r');
    const size = (0,external_node_fs_.fstatSync)(fd).size;
    const reader = new BoundedFileReader(fd, size);
    try {
        const zip = await yauzl.fromRandomAccessReaderPromise(reader, size, {
            lazyEntries: true,
            autoClose: false,
            decodeStrings: false,
            validateEntrySizes: true,
        });
        readers.set(zip, reader);
        return zip;
    }
    catch (error) {
        reader.close(() => undefined);
        throw new errors/* ArchiveError */.di(`The download is not a readable ZIP archive (${(0,errors/* messageOf */.bD)(error)}).${await sniff(path)} ` +
            'Run the workflow again; if it keeps happening, request a new export.');
    }
}
/**
 * Reads the file for yauzl, refusing any position outside it with an error. A forged ZIP64
 * offset can exceed what fs.read accepts, and yauzl's own reader then throws from inside a
 * callback: an uncaught exception instead of a rejected archive. Streams read by position and
 * never own the descriptor (an fs.ReadStream closes it when destroyed, even with autoClose
 * off), and the descriptor is closed once, after the last read in flight has returned, so a
 * late read can never land on a descriptor number the process has reused.
 */
class BoundedFileReader extends yauzl.RandomAccessReader {
    fd;
    size;
    inFlight = 0;
    closing;
    closed = false;
    windows;
    constructor(fd, size) {
        super();
        this.fd = fd;
        this.size = size;
        this.windows = new ReadWindows(fd, size);
    }
    _readStreamForRange(start, end) {
        let position = start;
        const readAt = (chunk, done) => this.read(chunk, 0, chunk.length, position, done);
        return new external_node_stream_.Readable({
            highWaterMark: 256 * 1024,
            read(wanted) {
                const length = Math.min(wanted, end - position);
                if (length <= 0)
                    return void this.push(null);
                const chunk = Buffer.allocUnsafe(length);
                readAt(chunk, (error) => {
                    if (error)
                        return void this.destroy(error);
                    position += length;
                    this.push(chunk);
                });
            },
        });
    }
    read(buffer, offset, length, position, done) {
        this.readBytes(position, length).then((bytes) => {
            bytes.copy(buffer, offset);
            done(null, length);
        }, (error) => done(error));
    }
    /** `length` bytes at `position`, refused outside the file and once the reader is closing. */
    async readBytes(position, length) {
        const inside = Number.isSafeInteger(position) && position >= 0 && position + length <= this.size;
        if (this.closed || this.closing)
            throw new Error('the archive is closed');
        if (!inside)
            throw new Error(`the archive points at bytes ${position}-${position + length}, outside its ${this.size} bytes`);
        this.inFlight += 1;
        try {
            return await this.windows.read(position, length);
        }
        finally {
            this.inFlight -= 1;
            this.finishClose();
        }
    }
    close(done) {
        if (this.closed || this.closing)
            return void setImmediate(done, null);
        this.closing = done;
        this.finishClose();
    }
    finishClose() {
        const done = this.closing;
        if (!done || this.inFlight > 0 || this.closed)
            return;
        this.closed = true;
        (0,external_node_fs_.close)(this.fd, (error) => done(error));
    }
}
const readers = new WeakMap();
/** Raw bytes of an archive opened with openZip(), for entries small enough to take whole. */
function readArchiveBytes(zip, position, length) {
    const reader = readers.get(zip);
    if (!reader)
        throw new Error('not an archive opened with openZip()');
    return reader.readBytes(position, length);
}
/** An inflated stream of an entry whose data starts at `dataStart` (from its local header). */
function openEntryData(zip, entry, dataStart) {
    const problem = (0,features/* methodProblem */.Pc)(entry.compressionMethod);
    if (problem)
        throw new errors/* ArchiveError */.di(problem);
    // Not openReadStreamLowLevelPromise: in yauzl 3.4 it calls openReadStream by mistake.
    return new Promise((resolve, reject) => zip.openReadStreamLowLevel(dataStart, entry.compressedSize, 0, entry.compressedSize, entry.compressionMethod === features/* METHOD */.Mx.deflated, entry.uncompressedSize, (error, stream) => (error ? reject(error) : resolve(stream))));
}
/** A hint for the commonest non-ZIP payload: an HTML or XML error page served with 200. */
async function sniff(path) {
    try {
        const file = await (0,promises_.open)(path);
        try {
            const { buffer, bytesRead } = await file.read(Buffer.alloc(64), 0, 64, 0);
            const head = buffer.subarray(0, bytesRead).toString('latin1').trimStart();
            if (bytesRead === 0)
                return ' The download was empty.';
            if (head.startsWith('<'))
                return ' It looks like an HTML or XML page, not an export.';
            if (head.startsWith('{'))
                return ' It looks like JSON, not an export.';
            return '';
        }
        finally {
            await file.close();
        }
    }
    catch {
        return '';
    }
}


/***/ }),

/***/ 87386:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Wk: () => (/* binding */ artifactUrl),
/* harmony export */   fn: () => (/* binding */ sendArtifact),
/* harmony export */   xR: () => (/* binding */ uploadZip)
/* harmony export */ });
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(51455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(48161);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_os__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(74296);




/**
 * Uploads the ZIP itself as the artifact (skipArchive: no second zipping, so downloading the
 * artifact gives back the export byte for byte). Returns undefined outside GitHub Actions.
 */
async function uploadZip(zipPath, { name: zipName, retentionDays, overwrite, encryptTo }, env, log) {
    if (!env.ACTIONS_RUNTIME_TOKEN) {
        log.warning('Not running inside GitHub Actions (no ACTIONS_RUNTIME_TOKEN): the artifact upload was skipped.');
        return undefined;
    }
    const name = encryptTo ? `${zipName}.age` : zipName;
    // With skipArchive the artifact is named after the file, so the ZIP is shown to the
    // library under the artifact's name: a hard link (no copy) in a private folder, or the
    // encrypted copy, so that the plain ZIP never leaves the runner.
    const folder = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.mkdtemp)((0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(env.RUNNER_TEMP || (0,node_os__WEBPACK_IMPORTED_MODULE_1__.tmpdir)(), 'prolific-artifact-'));
    const file = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(folder, name);
    try {
        if (encryptTo) {
            const { encryptFile } = await Promise.all(/* import() */[__webpack_require__.e(539), __webpack_require__.e(315)]).then(__webpack_require__.bind(__webpack_require__, 20315));
            const encrypted = await encryptFile(zipPath, file, encryptTo);
            log.info(`Encrypted the ZIP with age for ${encryptTo.length} recipient(s): ${encrypted.bytes} bytes.`);
        }
        else {
            await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.link)(zipPath, file).catch(() => (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.copyFile)(zipPath, file));
        }
        const response = await sendArtifact(name, [file], folder, { skipArchive: true, retentionDays, overwrite }, log);
        const id = String(response.id ?? '');
        return { id, name, url: artifactUrl(id, env), digest: response.digest ?? '', encrypted: encryptTo !== undefined };
    }
    catch (error) {
        const message = (0,_core_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .messageOf */ .bD)(error);
        const conflict = /\(409\)|already[ _]exists/i.test(message);
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .UploadError */ .oW(`Uploading the artifact '${name}' failed: ${message}. The validated ZIP is kept at ${zipPath} ` +
            'and the outputs for it are set; ' +
            (conflict
                ? "an artifact of that name already exists in this run: set a different 'artifact-name', or " +
                    "'overwrite-artifact: true' to replace it."
                : 're-run the job to try the upload again.'));
    }
    finally {
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.rm)(folder, { recursive: true, force: true });
    }
}
/** Uploads `files` (inside `folder`) as the artifact `name`, first deleting one of that name with `overwrite`. */
async function sendArtifact(name, files, folder, { skipArchive, retentionDays, overwrite }, log) {
    // Loaded only when needed: the artifact client is most of the bundle's start-up time.
    const { ArtifactNotFoundError, DefaultArtifactClient } = await __webpack_require__.e(/* import() */ 44).then(__webpack_require__.bind(__webpack_require__, 19044));
    const client = new DefaultArtifactClient();
    if (overwrite) {
        await client.deleteArtifact(name).then(() => log.info(`Deleted the earlier artifact '${name}' of this run (overwrite-artifact is true).`), (error) => {
            if (!(error instanceof ArtifactNotFoundError))
                throw error;
        });
    }
    return client.uploadArtifact(name, files, folder, {
        skipArchive,
        ...(retentionDays === undefined ? {} : { retentionDays }),
    });
}
function artifactUrl(id, env) {
    const server = env.GITHUB_SERVER_URL || 'https://github.com';
    if (!id || !env.GITHUB_REPOSITORY || !env.GITHUB_RUN_ID)
        return '';
    return `${server}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}/artifacts/${id}`;
}


/***/ }),

/***/ 56343:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   B: () => (/* binding */ Deadline),
/* harmony export */   a: () => (/* binding */ formatDuration)
/* harmony export */ });
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(74296);

/**
 * The `timeout` input as one object: the moment it passes on the injected clock (for back-off
 * and poll decisions) and an AbortSignal on real time (to cut off IO that hangs).
 */
class Deadline {
    signal;
    expiresAt;
    clock;
    timeoutMs;
    cancel;
    /** `cancel` aborts everything early too: the runner's SIGINT/SIGTERM when a job is cancelled. */
    constructor(clock, timeoutMs, cancel) {
        this.clock = clock;
        this.timeoutMs = timeoutMs;
        this.cancel = cancel;
        this.expiresAt = clock.now() + timeoutMs;
        const timeout = AbortSignal.timeout(timeoutMs);
        this.signal = cancel ? AbortSignal.any([timeout, cancel]) : timeout;
    }
    remainingMs() {
        return Math.max(0, this.expiresAt - this.clock.now());
    }
    /** Waits `ms`, or fails at once when the wait would end past the deadline. */
    async sleep(ms, during, lastError) {
        if (this.signal.aborted)
            throw this.expired(during, lastError);
        if (ms >= this.remainingMs())
            throw this.wouldPass(ms, during, lastError);
        try {
            await this.clock.sleep(ms, this.signal);
        }
        catch (error) {
            throw this.expired(during, lastError ?? error);
        }
    }
    /** Failing now beats sleeping into the deadline: say so, not that it passed already. */
    wouldPass(ms, during, lastError) {
        const last = lastError === undefined ? '' : ` The last error was: ${(0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .messageOf */ .bD)(lastError)}`;
        return new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .DeadlineError */ .j3(`Waiting ${formatDuration(ms)} more while ${during} would pass the timeout of ${formatDuration(this.timeoutMs)} ` +
            `(${formatDuration(this.remainingMs())} left), so the step stops now.${last} ` +
            'Raise the `timeout` input if the export is large, or run the workflow again later.');
    }
    expired(during, lastError) {
        if (this.cancel?.aborted) {
            return new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .DeadlineError */ .j3(`The step was cancelled while ${during}; no partial download was kept.`);
        }
        const last = lastError === undefined ? '' : ` The last error was: ${(0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .messageOf */ .bD)(lastError)}`;
        return new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .DeadlineError */ .j3(`The timeout of ${formatDuration(this.timeoutMs)} passed while ${during}.${last} ` +
            'Raise the `timeout` input if the export is large, or run the workflow again later.');
    }
}
function formatDuration(ms) {
    if (ms < 1000)
        return `${Math.round(ms)}ms`;
    const seconds = ms / 1000;
    if (seconds < 120)
        return `${Number(seconds.toFixed(1))}s`;
    const minutes = seconds / 60;
    if (minutes < 120)
        return `${Number(minutes.toFixed(1))}m`;
    return `${Number((minutes / 60).toFixed(1))}h`;
}


/***/ }),

/***/ 95577:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  c: () => (/* binding */ exportTarget),
  u: () => (/* binding */ problemsText)
});

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 13 modules
var core = __webpack_require__(77094);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(77598);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(51455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
// EXTERNAL MODULE: external "node:stream/promises"
var external_node_stream_promises_ = __webpack_require__(46466);
// EXTERNAL MODULE: ./src/core/errors.ts
var errors = __webpack_require__(74296);
// EXTERNAL MODULE: ./src/runner/scratch.ts
var scratch = __webpack_require__(83968);
// EXTERNAL MODULE: ./src/archive/entry-name.ts
var entry_name = __webpack_require__(51576);
// EXTERNAL MODULE: ./src/archive/layout.ts
var layout = __webpack_require__(72630);
;// CONCATENATED MODULE: ./src/archive/path-hash.ts
/**
 * 64-bit hashes of an entry name and of every folder above it, in one pass over the name:
 * hashing each prefix on its own would cost the square of the name's length, which a name of
 * thousands of one-letter folders turns into minutes. Pair i is the hash of the name up to its
 * i-th '/', the last pair that of the whole name. Same mixes as StringHashSet's; two different
 * strings share a hash with odds of about n²/2⁶⁵, and the worst that does here is refuse a
 * valid archive (every use asks "was this seen?" to refuse). One object is reused for every
 * name, so that hashing allocates nothing.
 */
class PathHashes {
    /** high/low halves, two a pair. */
    pairs = new Uint32Array(64);
    /** Where each hashed prefix ends in the name: a '/', or the name's length. */
    ends = new Uint32Array(32);
    /** Pairs held: the folders, then the whole name. */
    count = 0;
    of(name) {
        let high = 0x811c9dc5;
        let low = 0x9747b28c;
        let count = 0;
        if (this.ends.length <= name.length)
            this.grow(name.length + 1);
        const { pairs, ends } = this;
        for (let i = 0; i < name.length; i++) {
            const unit = name.charCodeAt(i);
            if (unit === SLASH) {
                pairs[2 * count] = high;
                pairs[2 * count + 1] = low;
                ends[count++] = i;
            }
            high = Math.imul(high ^ unit, 0x01000193);
            low = Math.imul(low ^ unit, 0x5bd1e995);
            low ^= low >>> 15;
        }
        pairs[2 * count] = high;
        pairs[2 * count + 1] = low;
        ends[count++] = name.length;
        // The running state is kept at each '/' and finished here, out of the hot loop.
        for (let pair = 0; pair < count; pair++) {
            const length = ends[pair];
            const h = avalanche(pairs[2 * pair] ^ length);
            const l = avalanche(pairs[2 * pair + 1] ^ length);
            pairs[2 * pair] = h;
            // 0/0 marks an empty slot in HashSet64.
            pairs[2 * pair + 1] = h === 0 && l === 0 ? 1 : l;
        }
        this.count = count;
        return this;
    }
    /** Room for a name of `units` UTF-16 units, which holds at most that many prefixes. */
    grow(units) {
        this.pairs = new Uint32Array(2 * units);
        this.ends = new Uint32Array(units);
    }
}
const SLASH = 0x2f;
function avalanche(h) {
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    return (h ^ (h >>> 16)) >>> 0;
}
/** A set of 64-bit hashes in one typed array (open addressing): 16-32 bytes a member. */
class HashSet64 {
    slots = new Uint32Array(2 * 1024);
    size = 0;
    /** Adds pair `pair` of `pairs`; false if it was there already. */
    add({ pairs }, pair) {
        if (this.size * 4 >= this.slots.length)
            this.grow();
        const added = this.place(pairs[2 * pair], pairs[2 * pair + 1]);
        if (added)
            this.size += 1;
        return added;
    }
    has({ pairs }, pair) {
        const high = pairs[2 * pair];
        const low = pairs[2 * pair + 1];
        const mask = this.slots.length / 2 - 1;
        for (let slot = high & mask;; slot = (slot + 1) & mask) {
            const h = this.slots[2 * slot];
            const l = this.slots[2 * slot + 1];
            if (h === 0 && l === 0)
                return false;
            if (h === high && l === low)
                return true;
        }
    }
    place(high, low) {
        const mask = this.slots.length / 2 - 1;
        for (let slot = high & mask;; slot = (slot + 1) & mask) {
            const h = this.slots[2 * slot];
            const l = this.slots[2 * slot + 1];
            if (h === 0 && l === 0) {
                this.slots[2 * slot] = high;
                this.slots[2 * slot + 1] = low;
                return true;
            }
            if (h === high && l === low)
                return false;
        }
    }
    grow() {
        const old = this.slots;
        this.slots = new Uint32Array(old.length * 2);
        for (let i = 0; i < old.length; i += 2) {
            const h = old[i];
            const l = old[i + 1];
            if (h !== 0 || l !== 0)
                this.place(h, l);
        }
    }
}

;// CONCATENATED MODULE: ./src/archive/portable-name.ts
const KINDS = ['collision', 'reserved', 'trailing', 'characters'];
/** What each kind is, as a clause after "N name(s)", and as a clause after an entry. */
const KIND_TEXT = {
    collision: {
        counted: 'differ from another only in letter case or Unicode normalisation (one overwrites the other on macOS and Windows)',
        entry: 'has a name that differs from another entry’s only in letter case or Unicode normalisation, so one would overwrite the other on macOS and Windows',
    },
    reserved: {
        counted: 'use a name Windows reserves for devices (CON, PRN, AUX, NUL, COM1-9, LPT1-9)',
        entry: 'has a file or folder name that Windows reserves for a device (CON, PRN, AUX, NUL, COM1-9, LPT1-9)',
    },
    trailing: {
        counted: 'end a file or folder name with a dot or a space (Windows drops it)',
        entry: 'has a file or folder name ending in a dot or a space, which Windows drops',
    },
    characters: {
        counted: 'hold a character Windows forbids in names (< > : " | ? *)',
        entry: 'has a character in its name that Windows forbids (< > : " | ? *)',
    },
};
// Windows maps these to devices with any extension and in any case; COM0/LPT0 and the
// superscript digits are reserved too.
const RESERVED = /^(?:con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$) *(?:\..*)?$/i;
const FORBIDDEN = /[<>:"|?*]/;
/** Why one file or folder name (no '/') cannot be created as it is on Windows. */
function partProblem(part) {
    if (RESERVED.test(part))
        return 'reserved';
    if (part.endsWith('.') || part.endsWith(' '))
        return 'trailing';
    if (FORBIDDEN.test(part))
        return 'characters';
    return undefined;
}
/**
 * The name as a case-insensitive, normalisation-insensitive file system (APFS, NTFS) compares
 * it, part by part so that its '/' stay where they were. It catches the clashes those systems
 * agree on; a few letters (final sigma, dotted I) fold differently from one system to another.
 */
function foldName(name) {
    // eslint-disable-next-line no-control-regex
    if (!/[^\u0000-\u007f]/.test(name))
        return name.toLowerCase();
    return name
        .split('/')
        .map((part) => part.normalize('NFD').toLowerCase().normalize('NFC'))
        .join('/');
}

;// CONCATENATED MODULE: ./src/archive/entry-names.ts





/** An export has a handful of folders; the cap bounds what names of many folders can cost (16-32 bytes each). */
const MAX_FOLDERS = 1_000_000;
/**
 * The rules that need every name of the archive: no name twice, no name that is both a file
 * and a folder, and no names that Windows or macOS cannot create as they are (refused with
 * `extract` where the runner is such a system, counted in one warning otherwise). Only 64-bit hashes are kept, about two per entry (16-32 bytes
 * each), whatever the names' length; a folder is hashed once, however many entries it holds.
 */
/**
 * What each system cannot create faithfully. Linux stores any name this module lets through;
 * APFS (the macOS default) folds letter case and Unicode normalisation; Windows adds its
 * reserved names, trailing dots and spaces, and forbidden characters.
 */
const CANNOT_CREATE = {
    darwin: new Set(['collision']),
    win32: new Set(KINDS),
};
class EntryNames {
    extract;
    platform;
    /** Every entry's name, a folder entry's with its '/': a hash of a path found here is a file's. */
    entries = new HashSet64();
    /** Every folder a name lies in, whether the archive lists it as an entry or not. */
    folders = new HashSet64();
    /** Every file's and folder's path as foldName() makes it. */
    foldedSeen = new HashSet64();
    exact = new PathHashes();
    folded = new PathHashes();
    counts = new Map();
    unportable = 0;
    /** `platform`: the runner's, where `extract` unpacks the archive. */
    constructor(extract, platform = process.platform) {
        this.extract = extract;
        this.platform = platform;
    }
    /** Checks an entry of the central directory, and what it holds with the names seen before it. */
    entry(entry, index) {
        const safe = (0,entry_name/* safeEntry */.ys)(entry, index);
        this.record(safe, index);
        return safe;
    }
    /** Checks a name from a local header (the scan, which sees the attributes later). */
    name(raw, index) {
        const safe = (0,entry_name/* decodeName */.e4)(raw, index);
        this.record(safe, index);
        return safe;
    }
    /** The counts, with one warning (a count per kind, never a name) for the names other systems cannot create. */
    finish(counts) {
        if (this.unportable === 0)
            return counts;
        const kinds = KINDS.filter((kind) => this.counts.has(kind)).map((kind) => `${this.counts.get(kind)} ${KIND_TEXT[kind].counted}`);
        const warning = `${this.unportable} name(s) in the archive cannot be created as they are on Windows or macOS: ` +
            `${kinds.join('; ')}. The ZIP keeps them unchanged; with 'extract: true' the action refuses such an archive.`;
        return { ...counts, warnings: [...counts.warnings, warning] };
    }
    record({ name, isDirectory }, index) {
        const where = () => (0,layout/* describeEntry */.OY)(name, index);
        const exact = this.exact.of(name);
        // Pairs 0 to whole-1 are the folders the name lies in (a folder entry's own path the last of them).
        const whole = exact.count - 1;
        if (!this.entries.add(exact, whole)) {
            throw new errors/* ArchiveError */.di(`The archive lists ${where()} twice; an export never does.`);
        }
        for (let i = 0; i < whole; i++)
            if (this.entries.has(exact, i))
                this.fileAndFolder(where());
        if (!isDirectory && this.folders.has(exact, whole))
            this.fileAndFolder(where());
        // From the deepest folder up; above a folder already known, all are known.
        let known = whole;
        while (known > 0 && this.folders.add(exact, known - 1))
            known--;
        if (this.folders.size > MAX_FOLDERS) {
            throw new errors/* ArchiveError */.di(`The archive has more than ${MAX_FOLDERS.toLocaleString('en-US')} folders; an export has a few. Request a new export.`);
        }
        if (isDirectory && known === whole)
            return;
        this.checkPortable(name, known, isDirectory ? whole : whole + 1, where);
    }
    /** Checks the paths new with this entry: pairs `first` to `end`-1, its new folders and the file itself. */
    checkPortable(name, first, end, where) {
        const { ends } = this.exact;
        const folded = this.folded.of(foldName(name));
        const found = new Set();
        for (let i = first; i < end; i++) {
            const kind = partProblem(name.slice(i === 0 ? 0 : ends[i - 1] + 1, ends[i]));
            if (kind)
                found.add(kind);
            if (!this.foldedSeen.add(folded, i))
                found.add('collision');
        }
        if (found.size === 0)
            return;
        const refused = this.extract ? [...found].find((kind) => CANNOT_CREATE[this.platform]?.has(kind)) : undefined;
        if (refused) {
            throw new errors/* ArchiveError */.di(`The archive cannot be unpacked as it is on this runner (${this.platform}): ${where()} ${KIND_TEXT[refused].entry}. ` +
                "The ZIP itself is valid: set 'extract: false' to keep only the ZIP (such names are then counted in a " +
                'warning), and unpack it with a tool that renames them, or on a Linux runner.');
        }
        this.unportable += 1;
        for (const kind of found)
            this.counts.set(kind, (this.counts.get(kind) ?? 0) + 1);
    }
    fileAndFolder(where) {
        return (0,entry_name/* unsafe */.N9)(where, 'is both a file and a folder: its name, or a folder in its path, is another entry’s too');
    }
}

;// CONCATENATED MODULE: ./src/archive/extract-errors.ts

/**
 * What a file system error while unpacking means, and what to do. Node's own message is never
 * used: it holds the full path, and below the target that is a participant's file name.
 */
const CAUSES = {
    EEXIST: {
        cause: 'its name clashes with another entry’s on this file system (it may ignore letter case or normalisation)',
        fix: "set 'extract: false' to keep only the ZIP, and unpack it with a tool that renames clashing files",
    },
    ENAMETOOLONG: {
        cause: 'its path is longer than this file system allows',
        fix: "choose a shorter 'extract-path', or set 'extract: false' to keep only the ZIP",
    },
    EACCES: {
        cause: 'permission was denied',
        fix: "choose an 'extract-path' the job can write to",
    },
    EROFS: {
        cause: 'the file system is read-only',
        fix: "choose an 'extract-path' on a writable disk",
    },
    ENOSPC: {
        cause: 'the disk is full',
        fix: "free space on the runner (the ZIP needs room too), or set 'extract: false'",
    },
    EMFILE: {
        cause: 'the process has too many files open',
        fix: 'run the workflow again',
    },
    EILSEQ: {
        cause: 'this file system cannot store a character of its name',
        fix: "set 'extract: false' to keep only the ZIP, and unpack it with a tool that renames such files",
    },
};
const ALIASES = {
    ENOTDIR: 'EEXIST',
    EISDIR: 'EEXIST',
    EPERM: 'EACCES',
    EDQUOT: 'ENOSPC',
    ENFILE: 'EMFILE',
};
function errorCode(error) {
    const code = error?.code;
    return typeof code === 'string' && /^E[A-Z]+$/.test(code) ? code : undefined;
}
/** An error while writing `where` (an entry by number, or 'the archive') below `target`. */
function extractFailure(error, where, target) {
    if (error instanceof errors/* ActionError */.lZ)
        return error;
    const code = errorCode(error);
    if (code === undefined) {
        // yauzl's checks of the data (sizes as declared): its messages hold numbers, never names.
        return new errors/* ArchiveError */.di(`The archive is damaged at ${where} (${(0,errors/* messageOf */.bD)(error)}); nothing was extracted. Request a new export.`);
    }
    const known = CAUSES[ALIASES[code] ?? code];
    const { cause, fix } = known ?? {
        cause: `the file system refused it (${code})`,
        fix: "choose another 'extract-path'",
    };
    return new errors/* ActionError */.lZ(`Could not extract ${where} into ${target}: ${cause}. Nothing was extracted (the partial folder was removed); ${fix}.`);
}
/** An error on the target itself or beside it, where every path is the user's own input. */
function targetFailure(error, target) {
    if (error instanceof errors/* ActionError */.lZ)
        return error;
    const code = errorCode(error);
    const cause = code === 'ENOTDIR'
        ? 'a part of the path is a file, not a folder'
        : code === undefined
            ? (0,errors/* messageOf */.bD)(error)
            : (CAUSES[ALIASES[code] ?? code]?.cause ?? `the file system refused it (${code})`);
    return new errors/* ActionError */.lZ(`'extract-path' ${target} cannot be used: ${cause}. Choose another 'extract-path'.`);
}

// EXTERNAL MODULE: ./src/archive/zip/zip-reader.ts + 1 modules
var zip_reader = __webpack_require__(65539);
;// CONCATENATED MODULE: ./src/archive/extract.ts











const DURING = 'extracting the archive';
/**
 * Fails before any request when the folder cannot be used: a symbolic link (whatever it points
 * at, the files would land there), a file, or a folder that already holds something. Removes
 * the staging folders an earlier, killed run left beside it first: they hold participant data.
 */
async function assertExtractTarget(target) {
    await removeStaleStaging(target);
    const stats = await (0,promises_.lstat)(target).catch((error) => {
        if (error.code === 'ENOENT')
            return undefined;
        throw targetFailure(error, target);
    });
    if (!stats)
        return;
    if (stats.isSymbolicLink()) {
        throw new errors/* ActionError */.lZ(`'extract-path' ${target} is a symbolic link. The action unpacks only into a real folder, so that nothing ` +
            "lands wherever the link points: give the folder's own path, or a path that does not exist yet.");
    }
    if (!stats.isDirectory()) {
        throw new errors/* ActionError */.lZ(`'extract-path' ${target} is a file, not a folder: choose another path or remove the file.`);
    }
    const existing = await (0,promises_.readdir)(target).catch((error) => {
        throw targetFailure(error, target);
    });
    if (existing.length > 0) {
        throw new errors/* ActionError */.lZ(`'extract-path' ${target} already exists and is not empty: choose another folder or remove it first.`);
    }
}
/** `<target>.partial-<8 hex>`: the staging folder extractArchive makes, and nothing else. */
const STAGING = /^\.partial-[0-9a-f]{8}$/;
/** Removes the staging folders (real folders, not links) a killed run left beside the same target. */
async function removeStaleStaging(target) {
    const parent = (0,external_node_path_.dirname)(target);
    const prefix = (0,external_node_path_.basename)(target);
    const names = await (0,promises_.readdir)(parent).catch(() => []);
    for (const name of names) {
        if (!name.startsWith(prefix) || !STAGING.test(name.slice(prefix.length)))
            continue;
        const stale = (0,external_node_path_.join)(parent, name);
        const stats = await (0,promises_.lstat)(stale).catch(() => undefined);
        if (stats?.isDirectory())
            await (0,promises_.rm)(stale, { recursive: true, force: true }).catch(() => undefined);
    }
}
/**
 * Unpacks an archive that validateArchive() accepted. Entries go into a staging folder beside
 * the target, which is renamed into place only when every entry is written, so a failure, the
 * timeout or a cancel leaves no half-extracted folder. Names are checked again (as with
 * `extract`) and every path is confined to the staging folder; files are created exclusively,
 * never overwriting anything.
 */
async function extractArchive(zipPath, target, deadline, platform = process.platform) {
    await assertExtractTarget(target);
    const staging = `${target}.partial-${(0,external_node_crypto_.randomBytes)(4).toString('hex')}`;
    try {
        await (0,promises_.mkdir)((0,external_node_path_.dirname)(target), { recursive: true });
        await (0,promises_.mkdir)(staging, { mode: 0o700 });
    }
    catch (error) {
        throw targetFailure(error, target);
    }
    (0,scratch/* trackScratch */.yx)(staging);
    const names = new EntryNames(true, platform);
    let zip;
    let written = 0;
    let where = 'the archive';
    try {
        zip = await (0,zip_reader/* openZip */.QH)(zipPath);
        let index = 0;
        for await (const entry of zip.eachEntry()) {
            if (deadline.signal.aborted)
                throw deadline.expired(DURING);
            const { name, isDirectory } = names.entry(entry, index);
            where = (0,layout/* describeEntry */.OY)(name, index++);
            const destination = (0,external_node_path_.resolve)(staging, name);
            if (!destination.startsWith(staging + external_node_path_.sep))
                throw new errors/* ActionError */.lZ(`Refusing to write outside ${target}.`);
            if (isDirectory) {
                await (0,promises_.mkdir)(destination, { recursive: true });
                continue;
            }
            await (0,promises_.mkdir)((0,external_node_path_.dirname)(destination), { recursive: true });
            const { fileDataStart } = await zip.readLocalFileHeaderPromise(entry, { minimal: true });
            const data = await (0,zip_reader/* openEntryData */.Hc)(zip, entry, fileDataStart);
            const file = (0,external_node_fs_.createWriteStream)(destination, { flags: 'wx', mode: 0o600 });
            await (0,external_node_stream_promises_.pipeline)(data, file, { signal: deadline.signal });
            written += 1;
        }
        zip.close();
        await (0,promises_.rmdir)(target).catch(() => undefined); // an empty folder that was already there
        where = 'the archive';
        await (0,promises_.rename)(staging, target);
        return written;
    }
    catch (error) {
        zip?.close();
        await (0,promises_.rm)(staging, { recursive: true, force: true });
        if (deadline.signal.aborted)
            throw deadline.expired(DURING);
        throw extractFailure(error, where, target);
    }
    finally {
        (0,scratch/* untrackScratch */.hg)(staging);
    }
}

// EXTERNAL MODULE: ./src/artifact/artifact.ts
var artifact_artifact = __webpack_require__(87386);
// EXTERNAL MODULE: ./src/core/deadline.ts
var core_deadline = __webpack_require__(56343);
// EXTERNAL MODULE: ./node_modules/undici/index.js
var undici = __webpack_require__(46752);
;// CONCATENATED MODULE: ./src/core/http.ts

/**
 * undici, not fetch: `request()` gives the body as a Node stream (the download is piped
 * straight to disk through the hash), adds no User-Agent or other headers of its own (the
 * presigned URL gets exactly what we send), and its timeouts catch a stalled socket.
 */
function createDispatcher(proxy, stallMs = 60_000) {
    // HTTPS_PROXY / HTTP_PROXY / NO_PROXY (either case) are honoured as by other actions, for
    // self-hosted runners behind a proxy; without them this is a plain Agent.
    // No byte for `stallMs` (before the headers or within the body) means a stalled transfer:
    // fail it and let the retry policy try again, rather than wait out the deadline.
    // Given explicitly (an empty string for none), so that undici never reads process.env itself:
    // the step's injected environment is the only one read.
    return new undici/* EnvHttpProxyAgent */.J2({
        httpProxy: proxy.http.value ?? '',
        httpsProxy: proxy.https.value ?? '',
        noProxy: proxy.noProxy,
        connectTimeout: Math.min(stallMs, 30_000),
        headersTimeout: stallMs,
        bodyTimeout: stallMs,
    });
}
/** How long without a byte counts as stalled: a minute, or a tenth of a shorter deadline. */
function stallTimeoutMs(timeoutMs) {
    return Math.min(60_000, Math.max(1000, timeoutMs / 10));
}
/** Longer than any secret a body may echo: a token, a signature, a whole presigned query. */
const CUT_MARGIN = 4096;
/**
 * Reads at most `limit` bytes of a body; the rest is discarded, not buffered. A body that was cut
 * loses its last few KiB too, so no secret that straddles the cut leaves a prefix that redaction
 * would not recognise; `cut` says it was.
 */
async function readBody(body, limit) {
    const chunks = [];
    let size = 0;
    for await (const chunk of body) {
        if (size < limit)
            chunks.push(chunk.subarray(0, limit - size));
        size += chunk.length;
    }
    const text = Buffer.concat(chunks).toString('utf8');
    const cut = size > limit;
    return { text: cut ? `${text.slice(0, Math.max(0, text.length - CUT_MARGIN))}…` : text, cut };
}
/** At most `limit` bytes of an error body, as text (see readBody). */
async function readCapped(body, limit = 16_384) {
    return (await readBody(body, limit)).text;
}
/** `Retry-After` in seconds or as an HTTP date, in milliseconds from now; capped at 5 minutes. */
function retryAfterMs(header, now) {
    const value = Array.isArray(header) ? header[0] : header;
    if (!value)
        return undefined;
    const seconds = Number(value);
    const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(value) - now;
    if (!Number.isFinite(ms))
        return undefined;
    return Math.min(Math.max(ms, 0), 300_000);
}

;// CONCATENATED MODULE: ./src/core/proxy.ts

/** No proxy at all. */
const NO_PROXY = {
    http: { name: 'HTTP_PROXY', value: undefined },
    https: { name: 'HTTP_PROXY', value: undefined },
    noProxy: '',
};
/** The proxy variables of `env`; fails before any request when one is not an http(s) URL, never echoing it (userinfo). */
function readProxyEnvironment(env) {
    const httpName = env.http_proxy !== undefined ? 'http_proxy' : 'HTTP_PROXY';
    const httpsName = env.https_proxy !== undefined ? 'https_proxy' : 'HTTPS_PROXY';
    const http = { name: httpName, value: env[httpName] };
    const proxy = {
        http,
        https: env[httpsName] ? { name: httpsName, value: env[httpsName] } : http,
        noProxy: env.no_proxy ?? env.NO_PROXY ?? '',
    };
    for (const { name, value } of [proxy.http, proxy.https]) {
        const problem = !value
            ? undefined
            : !URL.canParse(value)
                ? 'is not a valid URL'
                : !['http:', 'https:'].includes(new URL(value).protocol)
                    ? 'does not start with http:// or https://'
                    : undefined;
        if (problem) {
            throw new errors/* InputError */.dz(`The proxy URL in the ${name} environment variable ${problem} (its value is not shown: it may hold a ` +
                `password). Set ${name} to http://[user:password@]host:port, with special characters percent-encoded, ` +
                'or unset it, then run the workflow again.');
        }
    }
    return proxy;
}
/** The proxy a request to `protocol` goes through, if any. */
function proxyFor(protocol, proxy) {
    return protocol === 'https:' ? proxy.https : proxy.http;
}

// EXTERNAL MODULE: ./src/runner/outside-text.ts
var outside_text = __webpack_require__(63353);
;// CONCATENATED MODULE: ./src/pipeline/phases.ts
/** Runs each phase in a log group and keeps how long it took, for the log and the summary. */
class Phases {
    times = [];
    clock;
    log;
    constructor(clock, log) {
        this.clock = clock;
        this.log = log;
    }
    async run(name, work) {
        const started = this.clock.now();
        try {
            return await this.log.group(name, work);
        }
        finally {
            this.times.push({ name, ms: this.clock.now() - started });
        }
    }
}

;// CONCATENATED MODULE: ./src/archive/byte-queue.ts
/** The reader stopped taking bytes: it gave up on the stream, so its pushes are dropped. */
class QueueAbandoned extends Error {
    constructor() {
        super('the byte queue was abandoned');
    }
}
/**
 * Carries a byte stream from a producer that pushes chunks (the download) to a consumer that
 * pulls exact lengths (the ZIP scanner). The producer waits while more than `limit` bytes are
 * queued, so memory stays bounded and a slow consumer slows the download rather than filling
 * memory. Chunks are kept by reference and handed out as views: nothing is copied except a
 * read that spans chunks.
 */
class ByteQueue {
    /** Bytes handed to the consumer so far: its position in the stream. */
    position = 0;
    limit;
    chunks = [];
    queued = 0;
    ended = false;
    abandoned = false;
    wakeConsumer;
    /** Every producer waiting for room (pushes may overlap; each is woken). */
    wakeProducers = [];
    constructor(limit) {
        this.limit = limit;
    }
    /** Queues a chunk (kept, not copied: it must not change afterwards); waits while the queue is full. */
    async push(chunk) {
        if (this.abandoned || this.ended || chunk.length === 0)
            return;
        this.chunks.push(chunk);
        this.queued += chunk.length;
        this.wake('consumer');
        while (this.queued > this.limit && !this.abandoned) {
            await new Promise((resolve) => this.wakeProducers.push(resolve));
        }
    }
    /** No more bytes will come. */
    end() {
        this.ended = true;
        this.wake('consumer');
    }
    /** The consumer gives up: queued bytes are dropped and pushes return at once from now on. */
    abandon() {
        this.abandoned = true;
        this.chunks = [];
        this.queued = 0;
        this.wake('producer');
        this.wake('consumer');
    }
    /** True once every byte was taken and no more will come. */
    async atEnd() {
        await this.fill(1);
        return this.queued === 0;
    }
    /** Exactly `length` bytes; a view into a chunk where they lie in one. Throws if the stream ends first. */
    async read(length) {
        if (length === 0)
            return Buffer.alloc(0);
        await this.fill(length);
        if (this.queued < length)
            throw new Error(`the archive ends ${length - this.queued} byte(s) short`);
        const first = this.chunks[0];
        if (first.length >= length)
            return this.consume(length);
        const parts = [];
        for (let left = length; left > 0;) {
            const part = this.consume(Math.min(left, this.chunks[0].length));
            parts.push(part);
            left -= part.length;
        }
        return Buffer.concat(parts, length);
    }
    /** The next `length` bytes as they arrive, in views of at most one chunk each. */
    async *take(length) {
        for (let left = length; left > 0;) {
            await this.fill(1);
            if (this.queued === 0)
                throw new Error(`the archive ends ${left} byte(s) short`);
            const part = this.consume(Math.min(left, this.chunks[0].length));
            left -= part.length;
            yield part;
        }
    }
    /** Waits until `length` bytes are queued or the stream ended. */
    async fill(length) {
        while (this.queued < length && !this.ended) {
            if (this.abandoned)
                throw new QueueAbandoned();
            await new Promise((resolve) => (this.wakeConsumer = resolve));
        }
        if (this.abandoned)
            throw new QueueAbandoned();
    }
    /** Up to `length` bytes from the first chunk. */
    consume(length) {
        const first = this.chunks[0];
        const part = first.subarray(0, length);
        if (length === first.length)
            this.chunks.shift();
        else
            this.chunks[0] = first.subarray(length);
        this.queued -= length;
        this.position += length;
        if (this.queued <= this.limit)
            this.wake('producer');
        return part;
    }
    wake(side) {
        if (side === 'consumer') {
            const wake = this.wakeConsumer;
            this.wakeConsumer = undefined;
            wake?.();
        }
        else if (this.wakeProducers.length > 0) {
            const producers = this.wakeProducers;
            this.wakeProducers = [];
            for (const wake of producers)
                wake();
        }
    }
}

// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(57075);
// EXTERNAL MODULE: external "node:zlib"
var external_node_zlib_ = __webpack_require__(38522);
;// CONCATENATED MODULE: ./src/archive/content-digest.ts


/** The columns start this big and double when full. */
const INITIAL_ENTRIES = 1024;
/** Names are kept in blocks of this size, never split across two: the blocks are never copied. */
const BLOCK_BYTES = 1024 * 1024;
/** The lines of the digest are gathered and hashed in batches this big. */
const BATCH_BYTES = 64 * 1024;
/**
 * A fingerprint of what an export holds rather than of its ZIP bytes (which change with every
 * export's timestamps): each entry's name, CRC-32 and size, sorted by name. Prolific's own
 * README.md is left out: it is a guide, not data. Two exports of the same responses and files
 * have the same digest, so a scheduled archive can skip storing an unchanged one.
 *
 * The names are kept as their UTF-8 bytes in blocks of 1 MiB, with where each lies, its CRC-32
 * and size in typed arrays: 22 bytes an entry besides the name's own bytes, where a string and
 * two array slots an entry took over 100, and nothing the garbage collector has to trace.
 */
class ContentDigest {
    blocks = [];
    /** Bytes used of the last block. */
    blockUsed = BLOCK_BYTES;
    /** Entry i's name lies at starts[i] (block × BLOCK_BYTES + offset), lengths[i] bytes long. */
    starts = new Float64Array(INITIAL_ENTRIES);
    lengths = new Uint16Array(INITIAL_ENTRIES);
    crcs = new Uint32Array(INITIAL_ENTRIES);
    sizes = new Float64Array(INITIAL_ENTRIES);
    count = 0;
    add(name, crc32, size) {
        if (name === layout/* README */.DK)
            return;
        // A ZIP name is at most 65,535 bytes, so it always fits in one block.
        const bytes = Buffer.byteLength(name, 'utf8');
        if (this.count === this.crcs.length)
            this.growColumns();
        if (this.blockUsed + bytes > BLOCK_BYTES) {
            this.blocks.push(Buffer.allocUnsafe(BLOCK_BYTES));
            this.blockUsed = 0;
        }
        const block = this.blocks.length - 1;
        this.starts[this.count] = block * BLOCK_BYTES + this.blockUsed;
        this.lengths[this.count] = this.blocks[block]?.write(name, this.blockUsed, 'utf8') ?? 0;
        this.blockUsed += bytes;
        this.crcs[this.count] = crc32;
        this.sizes[this.count] = size;
        this.count++;
    }
    digest() {
        const order = new Uint32Array(this.count);
        for (let i = 0; i < order.length; i++)
            order[i] = i;
        order.sort((a, b) => this.compareNames(a, b));
        const hash = (0,external_node_crypto_.createHash)('sha256');
        const batch = Buffer.allocUnsafe(BATCH_BYTES);
        let used = 0;
        for (const i of order) {
            const name = this.name(i);
            const rest = `\n${(this.crcs[i] ?? 0).toString(16).padStart(8, '0')}\n${this.sizes[i]}\n`;
            if (used + name.length + rest.length > BATCH_BYTES) {
                hash.update(batch.subarray(0, used));
                used = 0;
            }
            if (name.length + rest.length > BATCH_BYTES) {
                hash.update(name).update(rest);
                continue;
            }
            used += name.copy(batch, used);
            used += batch.write(rest, used, 'latin1');
        }
        return hash.update(batch.subarray(0, used)).digest('hex');
    }
    /** Names a and b in the order JavaScript compares the strings (UTF-16 code units), as the digest always has. */
    compareNames(a, b) {
        // No tuple or view per call: a sort of a million names makes twenty million of them.
        const aAt = this.starts[a];
        const bAt = this.starts[b];
        const aBlock = this.blocks[Math.floor(aAt / BLOCK_BYTES)];
        const bBlock = this.blocks[Math.floor(bAt / BLOCK_BYTES)];
        const aStart = aAt % BLOCK_BYTES;
        const bStart = bAt % BLOCK_BYTES;
        const aLength = this.lengths[a];
        const bLength = this.lengths[b];
        const common = Math.min(aLength, bLength);
        for (let k = 0; k < common; k++) {
            const x = aBlock[aStart + k];
            const y = bBlock[bStart + k];
            if (x !== y)
                return utf16Order(x, y);
        }
        return aLength - bLength;
    }
    name(i) {
        const [block, start] = this.place(i);
        return block.subarray(start, start + this.lengths[i]);
    }
    /** The block entry i's name lies in, and where in it. */
    place(i) {
        const at = this.starts[i];
        const block = Math.floor(at / BLOCK_BYTES);
        return [this.blocks[block], at - block * BLOCK_BYTES];
    }
    growColumns() {
        const length = this.crcs.length * 2;
        const starts = new Float64Array(length);
        starts.set(this.starts);
        this.starts = starts;
        const lengths = new Uint16Array(length);
        lengths.set(this.lengths);
        this.lengths = lengths;
        const crcs = new Uint32Array(length);
        crcs.set(this.crcs);
        this.crcs = crcs;
        const sizes = new Float64Array(length);
        sizes.set(this.sizes);
        this.sizes = sizes;
    }
}
/**
 * The order of two code points from the first bytes in which their UTF-8 forms differ. UTF-8's
 * byte order is code-point order, and so UTF-16's, but for one case: a character from U+E000
 * to U+FFFF (lead byte 0xEE or 0xEF) sorts before one past U+FFFF (lead byte 0xF0 to 0xF4) by
 * code point, after it by UTF-16 code unit (a surrogate, 0xD800-0xDBFF, is below 0xE000). Two
 * code points of different lengths differ in their lead bytes, so the first differing bytes
 * tell the case apart.
 */
function utf16Order(x, y) {
    const xHighBmp = x === 0xee || x === 0xef;
    const yHighBmp = y === 0xee || y === 0xef;
    if (xHighBmp && y >= 0xf0)
        return 1;
    if (yHighBmp && x >= 0xf0)
        return -1;
    return x - y;
}

// EXTERNAL MODULE: ./src/archive/jsonl.ts
var jsonl = __webpack_require__(33588);
// EXTERNAL MODULE: ./src/archive/limits.ts
var archive_limits = __webpack_require__(79180);
;// CONCATENATED MODULE: ./src/archive/string-hash-set.ts
/**
 * A set of strings kept as 64-bit hashes in typed arrays: 8 bytes a member where a Set of
 * strings takes 50-70. It holds the submission IDs of an export (400,000 of them in 4 GiB), so
 * that what the validator keeps grows by a few megabytes with the archive, not by tens. Two
 * different strings share a hash with odds of about n²/2⁶⁵ (10⁻⁸ for a million members); the
 * worst that would do is count a file under files/ as matching a submission it does not.
 */
class StringHashSet {
    /** Two 32-bit halves per slot; 0/0 marks an empty slot, so a hash of 0/0 is stored as 0/1. */
    high = new Uint32Array(1024);
    low = new Uint32Array(1024);
    size = 0;
    add(value) {
        if (this.size * 2 >= this.high.length)
            this.grow();
        const [high, low] = hash(value);
        if (this.place(high, low))
            this.size += 1;
    }
    has(value) {
        const [high, low] = hash(value);
        return this.hasHash(high, low);
    }
    hasHash(high, low) {
        const mask = this.high.length - 1;
        for (let slot = high & mask;; slot = (slot + 1) & mask) {
            const h = this.high[slot];
            const l = this.low[slot];
            if (h === 0 && l === 0)
                return false;
            if (h === high && l === low)
                return true;
        }
    }
    /** Puts the hash in its slot (linear probing); false if it was there already. */
    place(high, low) {
        const mask = this.high.length - 1;
        for (let slot = high & mask;; slot = (slot + 1) & mask) {
            const h = this.high[slot];
            const l = this.low[slot];
            if (h === 0 && l === 0) {
                this.high[slot] = high;
                this.low[slot] = low;
                return true;
            }
            if (h === high && l === low)
                return false;
        }
    }
    grow() {
        const { high, low } = this;
        this.high = new Uint32Array(high.length * 2);
        this.low = new Uint32Array(low.length * 2);
        for (let slot = 0; slot < high.length; slot++) {
            const h = high[slot];
            const l = low[slot];
            if (h !== 0 || l !== 0)
                this.place(h, l);
        }
    }
}
/** Strings kept only as their 64-bit hashes, in order, duplicates included: 8 bytes each. */
class StringHashList {
    high = new Uint32Array(1024);
    low = new Uint32Array(1024);
    length = 0;
    push(value) {
        if (this.length === this.high.length) {
            const high = new Uint32Array(this.high.length * 2);
            const low = new Uint32Array(this.low.length * 2);
            high.set(this.high);
            low.set(this.low);
            this.high = high;
            this.low = low;
        }
        const [high, low] = hash(value);
        this.high[this.length] = high;
        this.low[this.length] = low;
        this.length += 1;
    }
    /** How many of the strings are not in `set`. */
    countAbsentFrom(set) {
        let absent = 0;
        for (let i = 0; i < this.length; i++)
            if (!set.hasHash(this.high[i], this.low[i]))
                absent++;
        return absent;
    }
}
/** Two 32-bit hashes of the UTF-16 code units, by different mixes (FNV-1a, and a Murmur-style multiply-shift), each finished with Murmur3's avalanche. */
function hash(value) {
    let high = 0x811c9dc5;
    let low = 0x9747b28c;
    for (let i = 0; i < value.length; i++) {
        const unit = value.charCodeAt(i);
        high = Math.imul(high ^ unit, 0x01000193);
        low = Math.imul(low ^ unit, 0x5bd1e995);
        low ^= low >>> 15;
    }
    high = string_hash_set_avalanche(high ^ value.length);
    low = string_hash_set_avalanche(low ^ value.length);
    return high === 0 && low === 0 ? [0, 1] : [high, low];
}
function string_hash_set_avalanche(h) {
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    return (h ^ (h >>> 16)) >>> 0;
}

// EXTERNAL MODULE: ./src/archive/task-coverage.ts
var task_coverage = __webpack_require__(96508);
;// CONCATENATED MODULE: ./src/archive/contents.ts






const NO_SINK = { push: () => undefined, end: () => undefined };
/** What the archive holds, checked as its entries stream past in any order. */
class ExportContents {
    strict;
    kind;
    layout;
    jsonl = new Map();
    submissionIds = new StringHashSet();
    missingField = new Map();
    /** The start of each name under files/, which should be a submission_id. */
    filePrefixes = new StringHashList();
    /** The first few entries outside the layout, by number ('entry #7'), and how many there are. */
    unexpected = [];
    unexpectedCount = 0;
    present = new Set();
    instructions;
    instructionsProblem;
    coverage;
    constructor(strict, kind = 'batch') {
        this.strict = strict;
        this.kind = kind;
        this.layout = layout/* LAYOUTS */.my[kind];
        this.coverage = this.layout.tasks === undefined ? undefined : new task_coverage/* TaskCoverage */.mL();
        for (const [file, field] of Object.entries(this.layout.expectedFields)) {
            this.jsonl.set(file, new jsonl/* JsonlChecker */.m(file, (record, line) => this.onRecord(file, field, record, line)));
        }
    }
    sinkFor(name, description) {
        // Only the layout's own names are ever looked up: the rest need not be kept.
        if ((0,layout/* isLayoutName */.Zo)(name))
            this.present.add(name);
        const jsonl = this.jsonl.get(name);
        if (jsonl)
            return jsonl;
        if (name === this.layout.metadata)
            return this.metadataSink();
        if (name.startsWith(layout/* FILES_DIR */.qM)) {
            this.filePrefixes.push((0,layout/* uploadOwner */.JT)(name));
            return NO_SINK;
        }
        if (name !== layout/* README */.DK && this.unexpectedCount++ < 5)
            this.unexpected.push(description);
        return NO_SINK;
    }
    finish() {
        const { required, submissions, tasks, input } = this.layout;
        const missing = required.filter((name) => !this.present.has(name));
        if (missing.length > 0) {
            throw new errors/* ArchiveError */.di(`The archive has no ${missing.join(', ')}: it is not a complete AI Task Builder ${this.kind} export ` +
                `(expected ${required.join(', ')} and optionally ${layout/* FILES_DIR */.qM}).${this.otherKindHint()} ` +
                `Check '${input}', or request a new export.`);
        }
        const warnings = this.shapeWarnings();
        if (this.strict && warnings.length > 0) {
            throw new errors/* ArchiveError */.di(`The archive does not have the expected shape (strict is on): ${warnings.join(' ')}`);
        }
        return {
            submissions: this.records(submissions),
            tasks: tasks === undefined ? undefined : this.records(tasks),
            files: this.filePrefixes.length,
            instructions: this.instructions,
            taskResponses: this.coverage?.finish(),
            warnings,
        };
    }
    records(file) {
        return this.jsonl.get(file)?.records ?? 0;
    }
    /** Says so when the archive is the other kind's export, as when a batch's ID is given as a collection's. */
    otherKindHint() {
        const other = Object.keys(layout/* LAYOUTS */.my).find((kind) => kind !== this.kind && layout/* LAYOUTS */.my[kind].required.every((name) => this.present.has(name)));
        return other ? ` It holds the entries of a ${other} export instead.` : '';
    }
    onRecord(file, field, record, line) {
        if (file === this.layout.tasks)
            this.coverage?.add(record, line);
        const value = record[field];
        if (typeof value === 'string' && value !== '') {
            if (file === this.layout.submissions)
                this.submissionIds.add(value);
            return;
        }
        const tally = this.missingField.get(file);
        if (tally)
            tally.count += 1;
        else
            this.missingField.set(file, { count: 1, firstLine: line });
    }
    shapeWarnings() {
        const warnings = [];
        for (const [file, field] of Object.entries(this.layout.expectedFields)) {
            const tally = this.missingField.get(file);
            if (tally) {
                warnings.push(`${tally.count} record(s) in ${file} have no '${field}' field (first on line ${tally.firstLine}).`);
            }
        }
        const untold = this.layout.tasks && this.coverage?.problem(this.layout.tasks);
        if (untold)
            warnings.push(untold);
        const unmatched = this.filePrefixes.countAbsentFrom(this.submissionIds);
        if (unmatched > 0) {
            warnings.push(`${unmatched} of ${this.filePrefixes.length} file(s) under ${layout/* FILES_DIR */.qM} do not begin with the submission_id ` +
                `of a record in ${this.layout.submissions}.`);
        }
        if (this.instructionsProblem)
            warnings.push(this.instructionsProblem);
        if (this.unexpected.length > 0) {
            warnings.push(`The archive holds ${this.unexpectedCount} entr${this.unexpectedCount === 1 ? 'y' : 'ies'} outside the ` +
                `documented layout: ${this.unexpected.join(', ')}${this.unexpectedCount > 5 ? ', …' : ''}.`);
        }
        return warnings;
    }
    metadataSink() {
        const chunks = [];
        let size = 0;
        return {
            push: (chunk) => {
                size += chunk.length;
                if (size > archive_limits/* MAX_METADATA_BYTES */.Fx) {
                    throw new errors/* ArchiveError */.di(`${this.layout.metadata} is larger than ${archive_limits/* MAX_METADATA_BYTES */.Fx} bytes, far more than an export's metadata. ` +
                        'The export is damaged; request a new one.');
                }
                chunks.push(Buffer.from(chunk));
            },
            end: () => this.readMetadata(Buffer.concat(chunks, size)),
        };
    }
    readMetadata(bytes) {
        const file = this.layout.metadata;
        const text = bytes.toString('utf8');
        const structure = (0,jsonl/* structureProblem */.x)(text);
        if (structure) {
            let line = 1;
            for (let at = text.indexOf('\n'); at !== -1 && at < structure.at; at = text.indexOf('\n', at + 1))
                line += 1;
            throw new errors/* ArchiveError */.di(`${file} line ${line} ${structure.problem}. The export is damaged; request a new one.`);
        }
        let metadata;
        try {
            metadata = JSON.parse(text);
        }
        catch {
            throw new errors/* ArchiveError */.di(`${file} is not valid JSON. The export is damaged; request a new one.`);
        }
        if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata)) {
            throw new errors/* ArchiveError */.di(`${file} is not a JSON object. The export is damaged; request a new one.`);
        }
        const instructions = metadata.instructions;
        if (Array.isArray(instructions))
            this.instructions = instructions.length;
        else
            this.instructionsProblem = `${file} has no 'instructions' array, so instruction-count is empty.`;
    }
}

;// CONCATENATED MODULE: ./src/archive/entry-ledger.ts

/** Fixed part of an entry's record in the ledger: three sizes/offsets, CRC-32, method, flags, name length. */
const FIXED_BYTES = 8 + 8 + 8 + 4 + 2 + 2 + 2;
/** Records are gathered and hashed in batches this big: one hash call per batch, not per entry. */
const entry_ledger_BATCH_BYTES = 64 * 1024;
/**
 * A running SHA-256 over the entries, in order, as the scan sees them: the local headers make
 * one ledger, the central directory another, and the two must end equal. It replaces a list
 * of every local entry (a few hundred bytes of objects an entry, 360 MiB for a million): it
 * keeps nothing per entry. A difference shows at the end rather than at the entry, which is
 * all the scan needs: it then leaves the archive to the disk validator, which names the entry.
 * SHA-256 because an archive is hostile: a crafted central name must not match a local one.
 */
class EntryLedger {
    entries = 0;
    hash = (0,external_node_crypto_.createHash)('sha256');
    batch = Buffer.allocUnsafe(entry_ledger_BATCH_BYTES);
    used = 0;
    add(entry) {
        if (this.used + FIXED_BYTES + entry.nameRaw.length > entry_ledger_BATCH_BYTES)
            this.flush();
        const { batch } = this;
        let at = this.used;
        at = batch.writeDoubleLE(entry.offset, at);
        at = batch.writeDoubleLE(entry.size, at);
        at = batch.writeDoubleLE(entry.compressedSize, at);
        at = batch.writeUInt32LE(entry.crc >>> 0, at);
        at = batch.writeUInt16LE(entry.method, at);
        at = batch.writeUInt16LE(entry.flags, at);
        at = batch.writeUInt16LE(entry.nameRaw.length, at);
        if (at + entry.nameRaw.length > entry_ledger_BATCH_BYTES) {
            // A name longer than a batch (names are at most 65,535 bytes): hashed on its own.
            this.used = at;
            this.flush();
            this.hash.update(entry.nameRaw);
        }
        else {
            batch.set(entry.nameRaw, at);
            this.used = at + entry.nameRaw.length;
        }
        this.entries++;
    }
    /** The hex digest of every entry added; the ledger takes no more after this. */
    digest() {
        this.flush();
        return this.hash.digest('hex');
    }
    flush() {
        if (this.used === 0)
            return;
        this.hash.update(this.batch.subarray(0, this.used));
        this.used = 0;
    }
}

// EXTERNAL MODULE: ./node_modules/yauzl/index.js
var yauzl = __webpack_require__(20663);
// EXTERNAL MODULE: ./src/archive/zip/features.ts
var features = __webpack_require__(45975);
// EXTERNAL MODULE: ./src/archive/zip/records.ts
var records = __webpack_require__(53296);
;// CONCATENATED MODULE: ./src/archive/zip/zip64-field.ts

/**
 * 4.5.3: header values with the ZIP64 extended information field's in place of placeholders.
 * The field holds only the values whose header field is the placeholder, in the order
 * uncompressed size, compressed size, local header offset (8 bytes each), disk number start
 * (4 bytes): `values` and `placeholders` are given in that order. A value the field is missing
 * or too short for comes back undefined. `zip64Data` is asked only when a placeholder is there.
 */
function zip64Values(zip64Data, values, placeholders) {
    if (!values.some((value, i) => value === placeholders[i]))
        return values;
    const data = zip64Data();
    let at = 0;
    return values.map((value, i) => {
        if (value !== placeholders[i])
            return value;
        const wide = placeholders[i] !== records/* PLACEHOLDER */.Kx.u16;
        if (!data || at + (wide ? 8 : 4) > data.length)
            return undefined;
        at += wide ? 8 : 4;
        return wide ? Number(data.readBigUInt64LE(at - 8)) : data.readUInt32LE(at - 4);
    });
}
/** The data of the ZIP64 extended information field among `fields`, if there is one. */
function zip64Field(fields) {
    return fields?.find((field) => field.id === records/* EXTRA_FIELD */.GJ.zip64)?.data;
}

;// CONCATENATED MODULE: ./src/archive/scan-records.ts




// What the scan of local entries (scan.ts) and of the central directory (scan-directory.ts)
// share. The format's rules come from zip/; what is here is how the scan reads them off a stream.
/**
 * The scan reads the archive front to back, once, as it downloads. It vouches only for
 * archives laid out the plain way (local entries back to back from byte 0, sizes in the
 * local headers, then a central directory that lists exactly those entries in the same order,
 * then the end records and nothing after). Anything else — a data descriptor, a gap, a
 * disagreement, an error — makes it give up with this error, and validateArchive reads the
 * file from disk and gives the verdict, and the message, it always gives.
 */
class NotScannable extends Error {
    /** What the archive has that the scan leaves to the disk: a fixed phrase, never archive content. */
    constructor(has) {
        super(has);
    }
}
/** Encrypted, data descriptor, strong encryption: none of them in an export. */
const UNSCANNABLE_FLAGS = records/* FLAG */.lx.encrypted | records/* FLAG */.lx.dataDescriptor | records/* FLAG */.lx.strongEncryption;
/** The bits local header and central directory must agree on: encrypted, data descriptor, UTF-8 names. */
const SHARED_FLAGS = records/* FLAG */.lx.encrypted | records/* FLAG */.lx.dataDescriptor | records/* FLAG */.lx.utf8Names;
async function readSignature(queue) {
    return (await queue.read(4)).readUInt32LE(0);
}
/**
 * The fixed part of the record whose `signature` was just read, from the signature on, so
 * that its fields lie at their APPNOTE offsets (a copy of a few dozen bytes a record).
 */
async function readRecord(queue, signature, fixedBytes) {
    const rest = await queue.read(fixedBytes - 4);
    const record = Buffer.allocUnsafe(fixedBytes);
    record.writeUInt32LE(signature, 0);
    rest.copy(record, 4);
    return record;
}
/**
 * The header whose `signature` was just read, laid out as `layout` says: its fixed part, name
 * and extra fields (and comment, passed over), with the features an export uses checked.
 */
async function readEntryHeader(queue, signature, layout) {
    const record = await readRecord(queue, signature, layout.fixedBytes);
    const nameRaw = await queue.read(record.readUInt16LE(layout.nameLength));
    const fields = extraFields(await queue.read(record.readUInt16LE(layout.extraLength)));
    if ('commentLength' in layout)
        await queue.read(record.readUInt16LE(layout.commentLength));
    const flags = record.readUInt16LE(layout.flags);
    const method = record.readUInt16LE(layout.method);
    checkFeatures(record.readUInt16LE(layout.versionNeeded), flags, method);
    return { record, nameRaw, fields, flags, method };
}
function checkFeatures(versionNeededField, flags, method) {
    if (flags & UNSCANNABLE_FLAGS)
        throw new NotScannable('encrypted entries or sizes in a data descriptor');
    if (!(0,features/* isAllowedMethod */._Z)(method))
        throw new NotScannable('a compression method other than stored or deflated');
    if ((0,features/* versionNeeded */._N)(versionNeededField) > features/* NEWEST_VERSION_NEEDED */.s7) {
        throw new NotScannable('entries that need a newer ZIP version');
    }
}
function extraFields(raw) {
    const fields = yauzl.parseExtraFields(raw);
    // A name given again in an extra field can decode the same from different bytes: leave it to the disk.
    if (fields.some((field) => field.id === records/* EXTRA_FIELD */.GJ.unicodePath))
        throw new NotScannable('a Unicode path field');
    return fields;
}
/** Header values with the ZIP64 field's in place of placeholders (see zip64Values); a short field defers. */
function scanZip64Values(fields, values, placeholders) {
    const decoded = zip64Values(() => zip64Field(fields), values, placeholders);
    if (decoded === values)
        return values;
    return decoded.map((value) => {
        if (value === undefined)
            throw new NotScannable('a short ZIP64 field');
        return value;
    });
}

;// CONCATENATED MODULE: ./src/archive/zip/end-records.ts

/** 4.3.16: the extent the end record gives (placeholders where a ZIP64 record holds the values). */
function endRecordExtent(end) {
    return {
        entries: end.readUInt16LE(records/* END_RECORD */.yF.entries),
        size: end.readUInt32LE(records/* END_RECORD */.yF.directorySize),
        offset: end.readUInt32LE(records/* END_RECORD */.yF.directoryOffset),
    };
}
/** 4.3.14: the extent the ZIP64 end record gives. */
function zip64Extent(record) {
    return {
        entries: Number(record.readBigUInt64LE(records/* ZIP64_END_RECORD */.sd.entries)),
        size: Number(record.readBigUInt64LE(records/* ZIP64_END_RECORD */.sd.directorySize)),
        offset: Number(record.readBigUInt64LE(records/* ZIP64_END_RECORD */.sd.directoryOffset)),
    };
}
/** 4.3.16: on disk 0 of one, with every entry on it. */
function endRecordIsPlain(end) {
    return (end.readUInt16LE(records/* END_RECORD */.yF.disk) === 0 &&
        end.readUInt16LE(records/* END_RECORD */.yF.directoryDisk) === 0 &&
        end.readUInt16LE(records/* END_RECORD */.yF.entriesOnDisk) === end.readUInt16LE(records/* END_RECORD */.yF.entries));
}
/** 4.3.14: on disk 0 of one, with every entry on it, and ending where the locator at `locatorAt` begins. */
function zip64RecordIsPlain(record, recordAt, locatorAt) {
    // 4.3.14.1: the record's size counts the bytes after the size field itself.
    const bytes = records/* ZIP64_END_RECORD */.sd.recordSize + 8 + Number(record.readBigUInt64LE(records/* ZIP64_END_RECORD */.sd.recordSize));
    return (bytes === locatorAt - recordAt &&
        record.readUInt32LE(records/* ZIP64_END_RECORD */.sd.disk) === 0 &&
        record.readUInt32LE(records/* ZIP64_END_RECORD */.sd.directoryDisk) === 0 &&
        Number(record.readBigUInt64LE(records/* ZIP64_END_RECORD */.sd.entriesOnDisk)) === zip64Extent(record).entries);
}
/** 4.3.15: points at the ZIP64 end record at `recordAt`, on disk 0 of one. */
function locatorIsPlain(locator, recordAt) {
    return (locator.readUInt32LE(records/* ZIP64_LOCATOR */.rA.recordDisk) === 0 &&
        Number(locator.readBigUInt64LE(records/* ZIP64_LOCATOR */.rA.recordOffset)) === recordAt &&
        locator.readUInt32LE(records/* ZIP64_LOCATOR */.rA.disks) === 1);
}
/** 4.4.1.4: each field of the end record is either the placeholder or the ZIP64 record's value. */
function agreesWithZip64(classic, zip64) {
    return ((classic.entries === records/* PLACEHOLDER */.Kx.u16 || classic.entries === zip64.entries) &&
        (classic.size === records/* PLACEHOLDER */.Kx.u32 || classic.size === zip64.size) &&
        (classic.offset === records/* PLACEHOLDER */.Kx.u32 || classic.offset === zip64.offset));
}
/**
 * The extent describes the directory that was read (`entries` headers, `size` bytes), which
 * ends where the end records begin, at `endRecordsAt` (the ZIP64 end record, else the end record).
 */
function describesDirectory(extent, directory, endRecordsAt) {
    return (extent.entries === directory.entries &&
        extent.size === directory.size &&
        extent.offset + extent.size === endRecordsAt);
}
/**
 * 4.3.16, with the ZIP64 end record (4.3.14) where there is one: the directory extent the end
 * records give, when they lie on one disk and describe exactly the directory that was read,
 * which ends where they begin (at `endRecordsAt`); undefined when they do not.
 */
function describedDirectory(end, zip64Record, directory, endRecordsAt) {
    const classic = endRecordExtent(end);
    const extent = zip64Record ? zip64Extent(zip64Record) : classic;
    const agrees = zip64Record ? agreesWithZip64(classic, extent) : true;
    return endRecordIsPlain(end) && agrees && describesDirectory(extent, directory, endRecordsAt) ? extent : undefined;
}

;// CONCATENATED MODULE: ./src/archive/scan-directory.ts





const { u16: U16, u32: U32 } = records/* PLACEHOLDER */.Kx;
/** A folder's name ends with '/'. */
const scan_directory_SLASH = 0x2f;
const END_SIGNATURE_BYTES = Buffer.alloc(4);
END_SIGNATURE_BYTES.writeUInt32LE(records/* SIGNATURE */.J2.endRecord);
/**
 * The central directory, read as it arrives: entry for entry what the local headers said (their
 * ledger must come out the same), then the end records, which must describe it exactly and end
 * the stream.
 */
async function checkDirectory(queue, first, locals) {
    const directoryAt = queue.position - 4;
    const central = new EntryLedger();
    let signature = first;
    for (; signature === records/* SIGNATURE */.J2.centralHeader; signature = await readSignature(queue)) {
        const { record: header, nameRaw, fields, flags, method } = await readEntryHeader(queue, signature, records/* CENTRAL_HEADER */.E_);
        const [size, compressedSize, offset, disk] = scanZip64Values(fields, [
            header.readUInt32LE(records/* CENTRAL_HEADER */.E_.uncompressedSize),
            header.readUInt32LE(records/* CENTRAL_HEADER */.E_.compressedSize),
            header.readUInt32LE(records/* CENTRAL_HEADER */.E_.localHeaderOffset),
            header.readUInt16LE(records/* CENTRAL_HEADER */.E_.diskNumberStart),
        ], [U32, U32, U32, U16]);
        const isFolder = nameRaw.at(-1) === scan_directory_SLASH;
        if (disk !== 0 || (0,entry_name/* typeProblem */.Yp)(header.readUInt32LE(records/* CENTRAL_HEADER */.E_.externalAttributes), isFolder) !== undefined) {
            throw new NotScannable('a central directory that differs from the local headers');
        }
        const crc = header.readUInt32LE(records/* CENTRAL_HEADER */.E_.crc);
        central.add({
            offset: offset ?? NaN,
            size: size ?? NaN,
            compressedSize: compressedSize ?? NaN,
            crc,
            method,
            flags: flags & SHARED_FLAGS,
            nameRaw,
        });
        if (central.entries > locals.entries)
            throw new NotScannable('a central directory that differs from the local headers');
    }
    if (central.entries !== locals.entries)
        throw new NotScannable('a central directory that leaves entries out');
    if (central.digest() !== locals.digest())
        throw new NotScannable('a central directory that differs from the local headers');
    await checkEndRecords(queue, signature, { entries: central.entries, size: queue.position - 4 - directoryAt });
}
/** The ZIP64 end record and locator where present, then the end record, whose comment ends the stream. */
async function checkEndRecords(queue, first, directory) {
    let signature = first;
    let zip64;
    const endRecordsAt = queue.position - 4;
    if (signature === records/* SIGNATURE */.J2.zip64EndRecord) {
        const record = await readRecord(queue, signature, records/* ZIP64_END_RECORD */.sd.fixedBytes);
        const locatorAt = queue.position;
        if (!zip64RecordIsPlain(record, endRecordsAt, locatorAt) ||
            (await readSignature(queue)) !== records/* SIGNATURE */.J2.zip64Locator) {
            throw new NotScannable('an unusual ZIP64 end record');
        }
        const locator = await readRecord(queue, records/* SIGNATURE */.J2.zip64Locator, records/* ZIP64_LOCATOR */.rA.fixedBytes);
        if (!locatorIsPlain(locator, endRecordsAt))
            throw new NotScannable('an unusual ZIP64 locator');
        zip64 = record;
        signature = await readSignature(queue);
    }
    if (signature !== records/* SIGNATURE */.J2.endRecord)
        throw new NotScannable('no end record after the central directory');
    const end = await readRecord(queue, signature, records/* END_RECORD */.yF.fixedBytes);
    const comment = await queue.read(end.readUInt16LE(records/* END_RECORD */.yF.commentLength));
    if (!(await queue.atEnd()))
        throw new NotScannable('bytes after the end record');
    if (!describedDirectory(end, zip64, directory, endRecordsAt) ||
        // yauzl finds the end record by searching backwards: a signature in the comment would mislead it.
        comment.includes(END_SIGNATURE_BYTES)) {
        throw new NotScannable('an end record that does not describe the central directory');
    }
}

// EXTERNAL MODULE: ./src/archive/zip/small-entry.ts + 1 modules
var small_entry = __webpack_require__(65383);
;// CONCATENATED MODULE: ./src/archive/scan.ts














// Validation during the download: the local entries and their data here, the central
// directory in scan-directory.ts. What it vouches for, and what it leaves to the disk, is
// told at NotScannable in scan-records.ts.

/** zlib's 16 KiB default output chunk triples the cost of inflating a large JSONL file. */
const INFLATE_CHUNK = 256 * 1024;
/** Validates the archive as its bytes pass through `queue`; throws NotScannable (or any error) to defer to the disk. */
async function scanArchive(queue, options) {
    const { strict, deadline, kind, extract = false, platform, limits = archive_limits/* DEFAULT_LIMITS */.dR } = options;
    const contents = new ExportContents(strict, kind);
    const fingerprint = new ContentDigest();
    const names = new EntryNames(extract, platform);
    // What the central directory must repeat, kept as a running hash: nothing per entry.
    const ledger = new EntryLedger();
    let uncompressedBytes = 0;
    let signature = await readSignature(queue);
    while (signature === records/* SIGNATURE */.J2.localHeader) {
        (0,archive_limits/* checkDeadline */.Ft)(deadline);
        const index = ledger.entries;
        const entry = await readLocalHeader(queue, signature, index, names);
        ledger.add(entry);
        const dataStart = queue.position;
        // The running total against the bytes seen so far: the whole archive may yet prove the
        // ratio fine, so the scan leaves the verdict to the disk rather than inflate past it.
        if ((0,archive_limits/* limitProblem */.JX)(uncompressedBytes + entry.size, dataStart + entry.compressedSize, limits) !== undefined) {
            throw new NotScannable('more uncompressed data than the limits allow');
        }
        if (entry.name.endsWith('/')) {
            if (entry.size !== 0)
                throw new NotScannable('a folder with data');
            for await (const part of queue.take(entry.compressedSize))
                void part;
        }
        else {
            await checkEntryData(queue, entry, contents.sinkFor(entry.name, (0,layout/* describeEntry */.OY)(entry.name, index)), deadline);
            uncompressedBytes += entry.size;
            fingerprint.add(entry.name, entry.crc, entry.size);
        }
        if (queue.position !== dataStart + entry.compressedSize)
            throw new NotScannable('data that ends early');
        signature = await readSignature(queue);
    }
    await checkDirectory(queue, signature, ledger);
    return {
        ...names.finish(contents.finish()),
        entries: ledger.entries,
        uncompressedBytes,
        contentDigest: fingerprint.digest(),
    };
}
async function readLocalHeader(queue, signature, index, names) {
    const offset = queue.position - 4;
    const { record, nameRaw, fields, flags, method } = await readEntryHeader(queue, signature, records/* LOCAL_HEADER */.Et);
    const [size, compressedSize] = scanZip64Values(fields, [record.readUInt32LE(records/* LOCAL_HEADER */.Et.uncompressedSize), record.readUInt32LE(records/* LOCAL_HEADER */.Et.compressedSize)], [records/* PLACEHOLDER */.Kx.u32, records/* PLACEHOLDER */.Kx.u32]);
    const { name } = names.name({ bytes: nameRaw, flags, extraFields: fields }, index);
    if (method === features/* METHOD */.Mx.stored && compressedSize !== size)
        throw new NotScannable('a stored entry whose sizes differ');
    return {
        offset,
        name,
        nameRaw,
        flags: flags & SHARED_FLAGS,
        method,
        crc: record.readUInt32LE(records/* LOCAL_HEADER */.Et.crc),
        compressedSize: compressedSize ?? NaN,
        size: size ?? NaN,
    };
}
async function checkEntryData(queue, entry, sink, deadline) {
    let checksum = 0;
    let produced = 0;
    const take = (data) => {
        (0,archive_limits/* checkDeadline */.Ft)(deadline);
        produced += data.length;
        if (produced > entry.size)
            throw new NotScannable('data longer than declared');
        checksum = (0,external_node_zlib_.crc32)(data, checksum);
        sink.push(data);
    };
    if ((0,small_entry/* isSmallEntry */._)(entry.compressedSize, entry.size)) {
        take((0,small_entry/* smallEntryData */.g)(await queue.read(entry.compressedSize), entry.method, entry.size));
    }
    else if (entry.method === features/* METHOD */.Mx.stored) {
        for await (const part of queue.take(entry.compressedSize))
            take(part);
    }
    else {
        // zlib inflates on the thread pool while this thread goes on receiving and checking.
        const inflate = (0,external_node_zlib_.createInflateRaw)({ chunkSize: INFLATE_CHUNK });
        await (0,external_node_stream_promises_.pipeline)(external_node_stream_.Readable.from(queue.take(entry.compressedSize)), inflate, async (inflated) => {
            for await (const data of inflated)
                take(data);
        });
    }
    sink.end();
    if (produced !== entry.size || checksum !== entry.crc)
        throw new NotScannable('an entry whose size or CRC-32 differs from its header');
}

;// CONCATENATED MODULE: ./src/archive/scan-tap.ts



/** Bytes the download may run ahead of the scan before it waits. */
const QUEUE_BYTES = 2 * 1024 * 1024;
/**
 * Validation during the download: the tap feeds every written byte to scanArchive, which
 * finishes moments after the last byte. When it cannot vouch for the archive, the caller
 * validates the file from disk, the one place whose verdicts and messages count.
 */
class ScanningTap {
    queue = new ByteQueue(QUEUE_BYTES);
    /** Settled as data, never rejected: nobody awaits it before the download ends. */
    outcome;
    pushed = 0;
    constructor(options) {
        this.outcome = scanArchive(this.queue, options).then((report) => ({ report }), (error) => {
            this.queue.abandon();
            // The timeout or a cancel stops the step; reading the file again would only ignore it.
            if (error instanceof errors/* DeadlineError */.j3)
                return { stopped: error };
            return { deferred: error instanceof NotScannable ? `it has ${error.message}` : 'it needs a closer look' };
        });
    }
    push(chunk) {
        this.pushed += chunk.length;
        return this.queue.push(chunk);
    }
    restart() {
        this.queue.abandon();
    }
    /** Stops the scan where it is (the download failed). */
    abandon() {
        this.queue.abandon();
    }
    /** The scan's outcome once the download wrote `bytes` bytes in all; throws when the deadline stopped it. */
    async finish(bytes) {
        // Belt and braces: the scan must have seen exactly the file, no more, no less.
        if (this.pushed !== bytes)
            this.queue.abandon();
        this.queue.end();
        const outcome = await this.outcome;
        if ('stopped' in outcome)
            throw outcome.stopped;
        return outcome;
    }
}

// EXTERNAL MODULE: ./src/archive/entry-data.ts
var entry_data = __webpack_require__(83091);
;// CONCATENATED MODULE: ./src/archive/headers.ts






/**
 * A ZIP says everything twice: in the central directory (what yauzl reads) and in each local
 * header (what streaming tools such as Info-ZIP's unzip trust). Where the two disagree, tools
 * disagree on what the archive holds, so an export that does not agree with itself is refused.
 */
function checkLocalHeader(entry, local, where) {
    const problem = (0,features/* methodProblem */.Pc)(entry.compressionMethod);
    if (problem)
        throw new errors/* ArchiveError */.di(`The archive's ${where} ${problem}`);
    const needed = Math.max((0,features/* versionNeeded */._N)(entry.versionNeededToExtract), (0,features/* versionNeeded */._N)(local.versionNeededToExtract));
    if (needed > features/* NEWEST_VERSION_NEEDED */.s7) {
        throw new errors/* ArchiveError */.di(`The archive's ${where} needs ZIP version ${needed / 10} features, which no export uses and common tools cannot read.`);
    }
    const disagree = (field) => new errors/* ArchiveError */.di(`The archive is inconsistent: the local header of ${where} gives a different ${field} than the central ` +
        'directory. The download or the export is corrupt; run the workflow again.');
    if (!local.fileName.equals(entry.fileNameRaw))
        throw disagree('name');
    if (local.compressionMethod !== entry.compressionMethod)
        throw disagree('compression method');
    for (const [bit, field] of [
        [records/* FLAG */.lx.encrypted, 'encryption flag'],
        [records/* FLAG */.lx.utf8Names, 'name encoding (UTF-8 flag)'],
        // Info-ZIP trusts the local flag and goes looking for a descriptor the writer never wrote.
        [records/* FLAG */.lx.dataDescriptor, 'data descriptor flag'],
    ]) {
        if ((local.generalPurposeBitFlag & bit) !== (entry.generalPurposeBitFlag & bit))
            throw disagree(field);
    }
    // With a data descriptor the local header's CRC and sizes are zero by design.
    if (local.generalPurposeBitFlag & records/* FLAG */.lx.dataDescriptor)
        return;
    if (local.crc32 !== entry.crc32)
        throw disagree('CRC-32');
    const [size, compressedSize] = localSizes(local);
    if (compressedSize !== entry.compressedSize)
        throw disagree('compressed size');
    if (size !== entry.uncompressedSize)
        throw disagree('size');
}
/** A local header's sizes, from its ZIP64 extra field where the header holds placeholders. */
function localSizes(local) {
    let malformed = false;
    const zip64Data = () => {
        try {
            return zip64Field(yauzl.parseExtraFields(local.extraField));
        }
        catch {
            malformed = true;
            return undefined;
        }
    };
    const sizes = zip64Values(zip64Data, [local.uncompressedSize, local.compressedSize], [records/* PLACEHOLDER */.Kx.u32, records/* PLACEHOLDER */.Kx.u32]);
    return malformed ? [undefined, undefined] : sizes;
}
/** Entries that share bytes are the overlapping-file zip bomb; an export never has them. */
function checkNoOverlap(spans) {
    const sorted = [...spans].sort((a, b) => a.start - b.start);
    for (let i = 1; i < sorted.length; i++) {
        const previous = sorted[i - 1];
        const current = sorted[i];
        if (previous && current && current.start < previous.end) {
            throw new errors/* ArchiveError */.di(`The archive is unsafe: entries #${previous.index + 1} and #${current.index + 1} share bytes ` +
                '(a zip-bomb construction). Nothing was extracted.');
        }
    }
}
/**
 * The end record (and the ZIP64 one) must describe exactly the directory that was read: the
 * same entry count, size and place, on a single disk (the rules are in zip/end-records.ts).
 * Returns the directory's offset, where entry data must end.
 */
async function checkCentralDirectory(file, fileSize, commentLength, read) {
    const endAt = fileSize - records/* END_RECORD */.yF.fixedBytes - commentLength;
    const end = await readAt(file, endAt, records/* END_RECORD */.yF.fixedBytes);
    const directory = { entries: read.entries, size: read.headerBytes };
    const locatorAt = endAt - records/* ZIP64_LOCATOR */.rA.fixedBytes;
    const locator = locatorAt >= 0 ? await readAt(file, locatorAt, records/* ZIP64_LOCATOR */.rA.fixedBytes) : undefined;
    let extent;
    if (locator?.readUInt32LE(records/* ZIP64_LOCATOR */.rA.signature) === records/* SIGNATURE */.J2.zip64Locator) {
        const recordAt = Number(locator.readBigUInt64LE(records/* ZIP64_LOCATOR */.rA.recordOffset));
        const record = await readAt(file, recordAt, records/* ZIP64_END_RECORD */.sd.fixedBytes);
        extent = describedDirectory(end, record, directory, recordAt);
        if (!locatorIsPlain(locator, recordAt) || !zip64RecordIsPlain(record, recordAt, locatorAt))
            extent = undefined;
    }
    else {
        extent = describedDirectory(end, undefined, directory, endAt);
    }
    if (!extent) {
        throw new errors/* ArchiveError */.di('The archive is inconsistent: its end record does not describe the central directory that is there (or it claims to span several disks). ' +
            'The download or the export is corrupt; run the workflow again.');
    }
    return extent.offset;
}
async function readAt(file, position, length) {
    if (position < 0)
        throw new errors/* ArchiveError */.di('The archive is truncated: its end record points before its start.');
    const { buffer, bytesRead } = await file.read(Buffer.alloc(length), 0, length, position);
    if (bytesRead !== length)
        throw new errors/* ArchiveError */.di('The archive is truncated.');
    return buffer;
}

;// CONCATENATED MODULE: ./src/archive/validate.ts













/**
 * Reads the whole archive without trusting it, in two passes. The first reads only the central
 * directory and the local headers: safe names, no duplicates, headers that agree, no entries
 * sharing bytes, totals within the limits. Only then does the second inflate anything: sizes and
 * CRC-32 as declared, and the export's own layout and JSONL.
 */
async function validateArchive(path, { strict, deadline, kind = 'batch', limits = archive_limits/* DEFAULT_LIMITS */.dR, extract = false, platform }) {
    const place = { where: 'the central directory' };
    try {
        const names = new EntryNames(extract, platform);
        const directory = await readDirectory(path, deadline, limits, place, names);
        return names.finish(await readEntries(path, directory, { strict, deadline, kind }, place));
    }
    catch (error) {
        if (error instanceof errors/* ActionError */.lZ)
            throw error;
        throw new errors/* ArchiveError */.di(`The archive is damaged at ${place.where}: ${(0,outside_text/* neutralise */.$0)((0,errors/* messageOf */.bD)(error), 200)}. Request a new export.`);
    }
}
async function readDirectory(path, deadline, limits, place, names) {
    const zip = await (0,zip_reader/* openZip */.QH)(path);
    try {
        const spans = [];
        const dataStarts = [];
        let declared = 0;
        let headerBytes = 0;
        for await (const entry of zip.eachEntry()) {
            (0,archive_limits/* checkDeadline */.Ft)(deadline);
            const index = spans.length;
            const { name, isDirectory } = names.entry(entry, index);
            place.where = (0,layout/* describeEntry */.OY)(name, index);
            const header = await zip.readLocalFileHeaderPromise(entry);
            checkLocalHeader(entry, header, place.where);
            (0,entry_name/* checkLocalNameFields */.E5)(header.extraField, entry, index);
            headerBytes += records/* CENTRAL_HEADER */.E_.fixedBytes + entry.fileNameLength + entry.extraFieldLength + entry.fileCommentLength;
            spans.push({ start: entry.relativeOffsetOfLocalHeader, end: header.fileDataStart + entry.compressedSize, index });
            dataStarts.push(header.fileDataStart);
            if (isDirectory && entry.uncompressedSize !== 0) {
                throw new errors/* ArchiveError */.di(`The archive's ${place.where} is a folder with data in it.`);
            }
            declared += entry.uncompressedSize;
        }
        place.where = 'the archive';
        const directoryAt = await withFile(path, (file) => checkCentralDirectory(file, zip.fileSize, commentLength(zip), { entries: spans.length, headerBytes }));
        checkNoOverlap([...spans, { start: directoryAt, end: Infinity, index: spans.length }]);
        // After the overlap check: a quoted-overlap bomb is named as what it is, not as a ratio.
        (0,archive_limits/* checkLimits */.J5)(declared, zip.fileSize, limits);
        return { dataStarts, uncompressedBytes: declared };
    }
    finally {
        zip.close();
    }
}
async function readEntries(path, { dataStarts, uncompressedBytes }, { strict, deadline, kind }, place) {
    const zip = await (0,zip_reader/* openZip */.QH)(path);
    try {
        const contents = new ExportContents(strict, kind);
        const fingerprint = new ContentDigest();
        let index = 0;
        for await (const entry of zip.eachEntry()) {
            (0,archive_limits/* checkDeadline */.Ft)(deadline);
            // The same bytes as in the first pass, so the same name: decoded again rather than kept.
            const { name, isDirectory } = (0,entry_name/* safeEntry */.ys)(entry, index);
            place.where = (0,layout/* describeEntry */.OY)(name, index);
            const dataStart = dataStarts[index++];
            if (isDirectory)
                continue;
            if (dataStart === undefined)
                throw new errors/* ArchiveError */.di('The archive changed while it was being validated.');
            await (0,entry_data/* checkData */.T)(zip, entry, dataStart, contents.sinkFor(name, place.where), place.where, deadline);
            fingerprint.add(name, entry.crc32, entry.uncompressedSize);
        }
        place.where = 'the archive';
        return { ...contents.finish(), entries: index, uncompressedBytes, contentDigest: fingerprint.digest() };
    }
    finally {
        zip.close();
    }
}
/** With decodeStrings off, yauzl leaves the archive comment as raw bytes (its types say a string). */
function commentLength(zip) {
    const comment = zip.comment;
    return Buffer.isBuffer(comment) ? comment.length : Buffer.byteLength(String(comment));
}
async function withFile(path, use) {
    const file = await (0,promises_.open)(path, 'r');
    try {
        return await use(file);
    }
    finally {
        await file.close();
    }
}

;// CONCATENATED MODULE: ./src/download/download-sink.ts


/**
 * What is safely on disk of a download: the bytes written so far and their running SHA-256.
 * Both move only after a write completes, so after an interruption they describe exactly the
 * file's content and a resumed transfer can continue the same hash: the archive is hashed once.
 */
class DownloadProgress {
    bytes = 0;
    hash;
    /** Strong ETag of the object being downloaded; a resume asks for this version only. */
    etag;
    /** Total size the server announced for the whole object. */
    total;
    tap;
    constructor(hash, tap) {
        this.hash = hash;
        this.tap = tap;
    }
    restart(etag, total) {
        if (this.bytes > 0)
            this.tap?.restart();
        this.bytes = 0;
        this.hash.reset();
        this.etag = etag;
        this.total = total;
    }
}
/**
 * Chunks that arrive while a write is in flight are gathered and written with one writev:
 * few, large writes keep the transfer near the network's speed, where a write and a wait per
 * socket chunk would not.
 */
function progressSink(file, progress) {
    let inFlight = Promise.resolve();
    const sink = new external_node_stream_.Writable({
        highWaterMark: 1 * 1024 * 1024,
        writev(chunks, done) {
            const buffers = chunks.map(({ chunk }) => chunk);
            const length = buffers.reduce((sum, buffer) => sum + buffer.length, 0);
            // Hashed while the write is in flight; `bytes` moves once it landed. A failed transfer
            // waits for settled(), after which hash and bytes describe the file again; a failed
            // write fails the download for good.
            const position = progress.bytes;
            const write = Promise.all([
                writeNow(file, buffers, position, length),
                ...buffers.map((buffer) => progress.hash.update(buffer)),
                ...(progress.tap ? buffers.map((buffer) => progress.tap?.push(buffer)) : []),
            ]).then(() => {
                progress.bytes += length;
            });
            inFlight = write.catch(() => undefined);
            write.then(() => done(), done);
        },
    });
    sink.settled = () => inFlight.then(() => undefined);
    return sink;
}
/**
 * Writes on this thread, at once, as curl does: the bytes are still in this core's cache, where
 * a write on the thread pool copies them into the page cache from another core's. Measured in
 * alternating runs, 1 GiB took 4.7 s instead of 5.3 s (6 of 6 pairs faster) and 4 GiB 20-23 s
 * instead of 22-28 s. The thread waits only for the copy into the page cache, as curl's does.
 */
function writeNow(file, buffers, position, length) {
    try {
        if ((0,external_node_fs_.writevSync)(file.fd, buffers, position) !== length)
            throw new Error('short write to the download file');
        return Promise.resolve();
    }
    catch (error) {
        return Promise.reject(error);
    }
}

// EXTERNAL MODULE: external "node:worker_threads"
var external_node_worker_threads_ = __webpack_require__(75919);
;// CONCATENATED MODULE: ./src/download/hash-worker.ts

/**
 * A literal URL beside this module, so that ncc sees the thread and bundles it on its own
 * (`--asset-builds`, under the same name, as JavaScript); from src/, Node runs the TypeScript.
 */
const HASH_THREAD = new URL(/* asset import */ __webpack_require__(20544), __webpack_require__.b);
/** The shared ring: what the hash may lag behind the download, and all the memory it takes. */
const DEFAULT_RING_BYTES = 4 * 1024 * 1024;
/** Copied bytes are announced to the worker in slices of this size (or at the ring's end). */
const POST_BYTES = 1024 * 1024;
/**
 * SHA-256 on the second core. Chunks are copied into a ring of shared memory, allocated once,
 * and the worker is told which slice to hash: no buffer is allocated, cloned or collected per
 * chunk, and a slow hash holds the download back (update waits for room) instead of filling
 * memory.
 */
class HashWorker {
    ring;
    worker;
    /** Where the next chunk is copied, and how many bytes of the ring await the worker. */
    head = 0;
    used = 0;
    /** Bytes copied since the last message to the worker. */
    unposted = 0;
    waiting;
    digestWaiter;
    failure;
    closing = false;
    /** `thread` is the thread's module: hash-thread.ts unless a test starts one that fails. */
    constructor(ringBytes = DEFAULT_RING_BYTES, thread = HASH_THREAD) {
        const shared = new SharedArrayBuffer(ringBytes);
        this.ring = new Uint8Array(shared);
        this.worker = new external_node_worker_threads_.Worker(thread, {
            workerData: { hashRing: shared },
        });
        this.worker.on('message', (message) => {
            if (message.type === 'ack') {
                this.used -= message.bytes;
                this.release();
            }
            else {
                this.digestWaiter?.resolve(message.hex);
            }
        });
        this.worker.on('error', (error) => this.fail(error));
        // An exit nobody asked for (close() sets `closing`) would otherwise leave updates waiting.
        this.worker.on('exit', (code) => {
            if (!this.closing)
                this.fail(new Error(`the hashing thread stopped (exit code ${code})`));
        });
    }
    /** Updates run one after another, in call order, whoever calls. */
    queue = Promise.resolve();
    /** Hands the chunk to the worker; resolves once it is copied (the caller may then reuse it). */
    update(chunk) {
        const copied = this.queue.then(() => this.copy(chunk));
        this.queue = copied.catch(() => undefined);
        return copied;
    }
    async copy(chunk) {
        let offset = 0;
        while (offset < chunk.length) {
            if (this.failure)
                throw this.failure;
            const free = this.ring.length - this.used;
            if (free === 0) {
                await new Promise((resolve) => (this.waiting = resolve));
                continue;
            }
            // Up to the ring's end: a chunk that wraps is posted as two slices.
            const length = Math.min(chunk.length - offset, free, this.ring.length - this.head);
            this.ring.set(chunk.subarray(offset, offset + length), this.head);
            this.head = (this.head + length) % this.ring.length;
            this.used += length;
            this.unposted += length;
            offset += length;
            if (this.unposted >= POST_BYTES || this.head === 0)
                this.post();
        }
    }
    /** Tells the worker of the bytes copied since the last post: one message per slice, not per chunk. */
    post() {
        if (this.unposted === 0)
            return;
        const end = this.head === 0 ? this.ring.length : this.head;
        this.send({ type: 'data', start: end - this.unposted, length: this.unposted });
        this.unposted = 0;
    }
    /** Starts over; bytes already handed over are still hashed first, into the discarded hash. */
    reset() {
        void this.queue.then(() => {
            this.post();
            this.send({ type: 'reset' });
        });
    }
    /** The hex digest of everything since the last reset. Messages arrive in order, so it covers every update. */
    digest() {
        return this.queue.then(() => new Promise((resolve, reject) => {
            if (this.failure)
                return reject(this.failure);
            this.digestWaiter = { resolve, reject };
            this.post();
            this.send({ type: 'digest' });
        }));
    }
    async close() {
        this.closing = true;
        await this.worker.terminate();
    }
    send(message) {
        this.worker.postMessage(message);
    }
    fail(error) {
        this.failure ??= error;
        this.release();
        this.digestWaiter?.reject(this.failure);
    }
    release() {
        const waiting = this.waiting;
        this.waiting = undefined;
        waiting?.();
    }
}

// EXTERNAL MODULE: ./src/settings/input-parsers.ts
var input_parsers = __webpack_require__(75300);
// EXTERNAL MODULE: ./node_modules/zod/v4/classic/schemas.js + 11 modules
var schemas = __webpack_require__(92857);
// EXTERNAL MODULE: ./node_modules/zod/v4/classic/iso.js
var iso = __webpack_require__(64377);
;// CONCATENATED MODULE: ./src/prolific/schemas.ts

/**
 * Export job responses, as Prolific's OpenAPI description gives them (BatchExportStatus
 * oneOf). Unknown extra fields are tolerated: the API may add some without notice.
 */
/**
 * An export job's id: a UUID, as the OpenAPI description says (`format: uuid`). It goes into
 * request paths and log lines, so nothing else is accepted: `..` or a runner command in its
 * place would change which resource a DELETE names, or what the log does.
 */
const ExportId = schemas/* guid */.OsD();
/** `expires_at` is informational: a value that is not a date-time is dropped, never shown. */
const ExpiresAt = iso/* datetime */.w$({ offset: true, local: true })
    .optional()
    .catch(() => undefined);
const Generating = schemas/* object */.Ikc({
    status: schemas/* literal */.euz('generating'),
    export_id: ExportId,
});
const Complete = schemas/* object */.Ikc({
    status: schemas/* literal */.euz('complete'),
    // Any scheme parses: the download refuses what is not https with a message that says so.
    url: schemas/* url */.OZ5(),
    expires_at: ExpiresAt,
    // Not in the spec for this state, but kept when a newer API sends it.
    export_id: ExportId.optional(),
});
const Failed = schemas/* object */.Ikc({
    status: schemas/* literal */.euz('failed'),
    export_id: ExportId.optional(),
});
const ExportStatus = schemas/* discriminatedUnion */.gMt('status', [Generating, Complete, Failed]);
/** GET …/export (newer API): every job of a batch or collection, most recent first. */
const ExportJobList = schemas/* array */.YOg(schemas/* object */.Ikc({
    export_id: ExportId,
    status: schemas/* string */.YjP(),
    created_at: schemas/* string */.YjP().optional(),
}));
const Detail = schemas/* union */.KCZ([schemas/* string */.YjP(), schemas/* array */.YOg(schemas/* string */.YjP()), schemas/* record */.g1P(schemas/* string */.YjP(), schemas/* unknown */.L5J())]);
/** `{"error": {...}}`, the body most endpoints answer errors with. */
const NestedErrorBody = schemas/* object */.Ikc({
    error: schemas/* object */.Ikc({
        status: schemas/* number */.aig().optional(),
        error_code: schemas/* number */.aig().optional(),
        title: schemas/* string */.YjP().optional(),
        detail: Detail.optional(),
        additional_information: schemas/* string */.YjP().optional(),
    }),
});
/** `{"message": ..., "detail": ...}`, which some endpoints answer instead. */
const FlatErrorBody = schemas/* object */.Ikc({
    title: schemas/* string */.YjP().optional(),
    message: schemas/* string */.YjP().optional(),
    detail: Detail.optional(),
});

;// CONCATENATED MODULE: ./src/prolific/error-message.ts


/*
 * Error bodies are outside text: a proxy or a compromised server writes them, and some echo
 * the request (the Authorization header included). Secrets are redacted from the raw body
 * first, then it is read and neutralised (one line, no runner commands, cut short).
 */
/** Turns any error body into "title: detail", whatever generation of the API sent it. */
function describeErrorBody(body) {
    const raw = (0,outside_text/* redact */.E$)(body);
    let json;
    try {
        json = JSON.parse(raw);
    }
    catch {
        return shown(raw);
    }
    const nested = NestedErrorBody.safeParse(json);
    if (nested.success) {
        const { title, detail, additional_information } = nested.data.error;
        return join(title, detailText(detail), additional_information);
    }
    const flat = FlatErrorBody.safeParse(json);
    if (flat.success && (flat.data.title || flat.data.message || flat.data.detail)) {
        return join(flat.data.title, flat.data.message, detailText(flat.data.detail));
    }
    return shown(raw);
}
function detailText(detail) {
    if (detail === undefined || detail === null)
        return undefined;
    if (typeof detail === 'string')
        return detail;
    if (Array.isArray(detail))
        return detail.map(String).join('; ');
    // Validation errors: {"field": ["reason", ...], ...}
    return Object.entries(detail)
        .map(([field, reasons]) => `${field}: ${Array.isArray(reasons) ? reasons.join(', ') : String(reasons)}`)
        .join('; ');
}
function join(...parts) {
    // The parts were decoded from JSON: redact again, an escaped secret is plain text now.
    const kept = parts.map((part) => (0,outside_text/* redact */.E$)(part ?? '').trim()).filter((part) => part !== '');
    return shown([...new Set(kept)].join(': '));
}
/** Bodies can be whole HTML pages; a log line needs the first few hundred characters, inert. */
function shown(text, limit = 300) {
    const inert = (0,outside_text/* neutralise */.$0)(text, limit);
    return inert === '' ? '(empty body)' : inert;
}
/** S3 answers XML: `<Code>AccessDenied</Code><Message>Request has expired</Message>`. */
function describeStorageError(body) {
    const raw = (0,outside_text/* redact */.E$)(body);
    const code = /<Code>([^<]*)<\/Code>/.exec(raw)?.[1];
    const message = /<Message>([^<]*)<\/Message>/.exec(raw)?.[1];
    if (code || message)
        return join(code, message);
    return shown(raw, 200);
}

;// CONCATENATED MODULE: ./src/core/retry.ts

/** Network failures that say nothing about the request itself: worth another try. */
const TRANSIENT_CODES = new Set([
    'ECONNRESET',
    'ECONNREFUSED',
    'ECONNABORTED',
    'EPIPE',
    'ETIMEDOUT',
    'EAI_AGAIN',
    'ENETUNREACH',
    'EHOSTUNREACH',
    'UND_ERR_SOCKET',
    'UND_ERR_CLOSED',
    'UND_ERR_CONNECT_TIMEOUT',
    'UND_ERR_HEADERS_TIMEOUT',
    'UND_ERR_BODY_TIMEOUT',
    // undici's own, when it notices a body shorter than its Content-Length.
    'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
    'ERR_STREAM_PREMATURE_CLOSE',
]);
function classify(error) {
    // The request was fine; the transfer was not. The next attempt resumes or starts over.
    if (error instanceof errors/* RangeNotHonoured */.xH)
        return { retry: true, afterMs: error.retryAfterMs };
    if (error instanceof errors/* TransferInterrupted */.UJ)
        return { retry: true };
    if (error instanceof errors/* LinkRefused */.b_ || error instanceof errors/* ExportJobFailed */.h3 || error instanceof errors/* NoFreeSlot */.wf) {
        return { retry: false, renew: true };
    }
    if (error instanceof errors/* HttpError */.j$) {
        const transient = error.status === 408 || error.status === 429 || error.status >= 500;
        return transient ? { retry: true, afterMs: error.retryAfterMs } : { retry: false };
    }
    return { retry: TRANSIENT_CODES.has(retry_errorCode(error)) };
}
function retry_errorCode(error) {
    let current = error;
    // undici wraps the socket error in `cause`; look a few levels down.
    for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
        const code = current.code;
        if (typeof code === 'string' && TRANSIENT_CODES.has(code))
            return code;
        current = current.cause;
    }
    return '';
}
function backoffMs(attempt, policy) {
    const base = policy.baseDelayMs ?? 1000;
    const max = policy.maxDelayMs ?? 30_000;
    const ceiling = Math.min(max, base * 2 ** (attempt - 1));
    // "Equal jitter": never less than half the ceiling, so a storm of runs spreads out
    // without any of them hammering the API with a zero wait.
    return ceiling / 2 + (policy.random ?? Math.random)() * (ceiling / 2);
}
/**
 * Runs `attempt` until it succeeds, fails permanently, or the deadline would pass before the
 * next try. `Retry-After` lengthens the computed back-off, never shortens it. A renewable failure
 * of `renewal`'s kind runs its step and tries again at once, at most `renewal.limit` times.
 */
async function withRetry(what, attempt, policy, renewal) {
    let renewals = 0;
    for (let tries = 1;; tries++) {
        try {
            return await attempt();
        }
        catch (error) {
            // A DeadlineError from within (a poll's wait, a nested call) already says what timed out.
            if (policy.deadline.signal.aborted)
                throw error instanceof errors/* DeadlineError */.j3 ? error : policy.deadline.expired(what, error);
            const decision = classify(error);
            if (decision.renew && renewal && error instanceof renewal.of) {
                if (renewals >= renewal.limit)
                    throw renewal.exhausted(error, renewals);
                await renewal.renew(error, ++renewals);
                tries = 0; // what was renewed gets the whole count of attempts
                continue;
            }
            if (!decision.retry || tries >= (policy.maxAttempts ?? Infinity))
                throw error;
            // Retry-After may lengthen a wait, never shorten it: `0` or a past date would otherwise
            // turn the retries into a burst.
            const waitMs = Math.max(decision.afterMs ?? 0, backoffMs(tries, policy));
            policy.log(`${capitalise(what)} failed (${(0,errors/* messageOf */.bD)(error)}); retrying in ${(waitMs / 1000).toFixed(1)}s.`);
            await policy.deadline.sleep(waitMs, what, error);
        }
    }
}
function capitalise(text) {
    return text.charAt(0).toUpperCase() + text.slice(1);
}

;// CONCATENATED MODULE: ./src/core/transport-errors.ts


const UNTRUSTED = 'is signed by an authority the runner does not trust';
const CERTIFICATE = {
    UNABLE_TO_VERIFY_LEAF_SIGNATURE: UNTRUSTED,
    UNABLE_TO_GET_ISSUER_CERT: UNTRUSTED,
    UNABLE_TO_GET_ISSUER_CERT_LOCALLY: UNTRUSTED,
    CERT_UNTRUSTED: UNTRUSTED,
    INVALID_CA: UNTRUSTED,
    SELF_SIGNED_CERT_IN_CHAIN: 'chains up to a self-signed authority the runner does not trust',
    DEPTH_ZERO_SELF_SIGNED_CERT: 'is self-signed',
    CERT_SIGNATURE_FAILURE: 'has a signature that does not verify',
    CERT_REVOKED: 'has been revoked',
    CERT_HAS_EXPIRED: 'has expired',
    CERT_NOT_YET_VALID: 'is not valid yet',
    ERR_TLS_CERT_ALTNAME_INVALID: 'is for a different host name',
};
const CLOCK_CODES = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID']);
/** Transient ones are retried by src/core/retry.ts (through `cause`); ENOTFOUND is not. */
const CONNECTION = {
    ECONNRESET: 'the connection was reset',
    ECONNREFUSED: 'the connection was refused',
    ECONNABORTED: 'the connection was aborted',
    EPIPE: 'the connection closed while the request was sent',
    ETIMEDOUT: 'the connection timed out',
    EAI_AGAIN: 'the host name could not be looked up just now',
    ENOTFOUND: 'the host name does not resolve',
    ENETUNREACH: 'the network is unreachable',
    EHOSTUNREACH: 'the host is unreachable',
    UND_ERR_SOCKET: 'the connection closed unexpectedly',
    UND_ERR_CLOSED: 'the connection closed unexpectedly',
    UND_ERR_PRX_CONN: 'the connection through the proxy closed unexpectedly',
    UND_ERR_CONNECT_TIMEOUT: 'connecting took too long',
    UND_ERR_HEADERS_TIMEOUT: 'no answer came for too long',
    UND_ERR_BODY_TIMEOUT: 'the transfer stalled',
    UND_ERR_RES_CONTENT_LENGTH_MISMATCH: 'the response ended before its announced length',
    ERR_STREAM_PREMATURE_CLOSE: 'the response ended early',
};
/** Awaits `work`; a transport failure comes out as a NetworkError about `target`'s host. */
async function overTransport(target, peer, proxy, work) {
    try {
        return await work();
    }
    catch (error) {
        throw transportError(error, target, peer, proxy);
    }
}
/** A NetworkError for a failure this module recognises; anything else is returned unchanged. */
function transportError(error, target, peer, proxy) {
    if (error instanceof errors/* ActionError */.lZ || !(error instanceof Error))
        return error;
    const explained = explain(chain(error), target, peer, proxy);
    if (!explained)
        return error;
    return new errors/* NetworkError */.Dr(`The connection to ${describePeer(target, peer)} failed: ${explained}`, { cause: error });
}
function explain(errors, target, peer, proxy) {
    const tls = errors.find((e) => Object.hasOwn(CERTIFICATE, codeOf(e)));
    if (tls)
        return certificateProblem(codeOf(tls), target, peer);
    const handshake = errors.find((e) => /^ERR_SSL_/.test(codeOf(e)) || codeOf(e) === 'EPROTO');
    if (handshake) {
        return (`the TLS handshake failed (${codeOf(handshake)}). ${peer === 'api' ? "Check that 'api-url' is an https URL of the Prolific API and that" : 'Check that'} ` +
            'no proxy in between interferes, then run the workflow again.');
    }
    const proxyStatus = errors.map(proxyRefusal).find((status) => status !== undefined);
    if (proxyStatus !== undefined)
        return proxyProblem(proxyStatus, target, proxy);
    const broken = errors.find((e) => e.name === 'HTTPParserError' || codeOf(e) === 'UND_ERR_HEADERS_OVERFLOW');
    if (broken) {
        return (`the server or a proxy in between sent a broken response (${brokenDetail(broken)}). Run the workflow ` +
            `again; if this keeps happening, check any proxy between the runner and ${target.hostname}.`);
    }
    const connection = errors.find((e) => Object.hasOwn(CONNECTION, codeOf(e)));
    if (!connection)
        return undefined;
    const code = codeOf(connection);
    const fix = code === 'ENOTFOUND'
        ? `Check ${peer === 'api' ? "'api-url' and " : ''}the runner's DNS and proxy settings`
        : "Check the runner's network and proxy settings if this persists";
    return `${CONNECTION[code]} (${code}). ${fix}, then run the workflow again.`;
}
function certificateProblem(code, target, peer) {
    const first = CLOCK_CODES.has(code)
        ? "Check the runner's clock. "
        : code === 'ERR_TLS_CERT_ALTNAME_INVALID' && peer === 'api'
            ? "Check 'api-url'. "
            : '';
    return (`the TLS certificate of ${target.hostname} ${CERTIFICATE[code]} (${code}). ${first}If the runner reaches the ` +
        "internet through a TLS-inspecting proxy, give Node that proxy's CA certificate: set " +
        "NODE_EXTRA_CA_CERTS=/path/to/ca.pem in the step's or the runner's environment, then run the workflow again.");
}
function proxyProblem(status, target, proxy) {
    const { name, value } = proxyFor(target.protocol, proxy);
    const where = `the proxy in ${name}${proxyHost(value)}`;
    if (status === 407) {
        return (`${where} answered 407 Proxy Authentication Required. Check the proxy credentials in ${name} ` +
            '(http://user:password@host:port, with special characters percent-encoded), then run the workflow again.');
    }
    return (`${where} refused to connect to ${target.hostname} (HTTP ${status}). Check that the proxy allows ` +
        `connections to ${target.hostname}, then run the workflow again.`);
}
/** The status of a proxy's refusal: undici words CONNECT and plain-request refusals differently. */
function proxyRefusal(error) {
    if (codeOf(error) === 'UND_ERR_INVALID_ARG' && error.message === 'Proxy Authentication Required (407)')
        return 407;
    if (codeOf(error) !== 'UND_ERR_ABORTED')
        return undefined;
    const match = /^Proxy response \((\d{3})\) !== 200/.exec(error.message);
    return match ? Number(match[1]) : undefined;
}
function brokenDetail(error) {
    if (codeOf(error) === 'UND_ERR_HEADERS_OVERFLOW')
        return 'response headers over the size limit';
    // undici's own reason, e.g. "Invalid character in Content-Length"; kept only if it is plain words.
    const reason = /\(([A-Za-z0-9 ,.\-/]{1,80})\)$/.exec(error.message)?.[1];
    return reason ? `not valid HTTP: ${reason}` : 'not valid HTTP';
}
function describePeer(target, peer) {
    return peer === 'api' ? `the Prolific API at ${target.host}` : `the download host ${target.host}`;
}
function proxyHost(value) {
    return value && URL.canParse(value) ? ` (${new URL(value).host})` : '';
}
function chain(error) {
    const errors = [];
    for (let current = error; current instanceof Error && errors.length < 5; current = current.cause) {
        errors.push(current);
    }
    return errors;
}
function codeOf(error) {
    const code = error.code;
    return typeof code === 'string' ? code : '';
}

;// CONCATENATED MODULE: ./src/download/download.ts











/** A refused link (403) is refreshed at most this many times before the step fails. */
const MAX_URL_REFRESHES = 3;
/** Interrupted transfers are resumed or restarted at most this many times in all. */
const MAX_TRANSFER_ATTEMPTS = 12;
/**
 * Streams the archive to `tempPath`, hashing it on the way. The one retry policy drives it all:
 * transient failures are retried, resuming with Range where the server allows, and a refused
 * link is renewed through the export job.
 */
async function downloadArchive(job, first, tempPath, options) {
    // Participant data: readable by this user only.
    const file = await (0,promises_.open)(tempPath, 'w', 0o600);
    // SHA-256 runs on the second core while this thread receives and writes.
    const hash = new HashWorker();
    const progress = new DownloadProgress(hash, options.tap);
    const retry = { ...options.retry, maxAttempts: MAX_TRANSFER_ATTEMPTS };
    let ready = first;
    const freshLink = {
        of: errors/* LinkRefused */.b_,
        limit: MAX_URL_REFRESHES,
        renew: async (refused) => {
            options.log(`The download link was refused (${refused.message}); asking Prolific for a fresh one.`);
            ready = await job.refresh(ready);
            assertSafeUrl(ready.url);
        },
        exhausted: (refused, refreshes) => new errors/* HttpError */.j$(`The download link was refused ${refreshes + 1} times, even with fresh links from Prolific: ` +
            `${refused.message}. Check that the runner's clock is right and that no proxy alters the request, ` +
            'then run the workflow again.', refused.status),
    };
    try {
        assertSafeUrl(ready.url);
        await withRetry('downloading the archive', () => fetchOnce(ready.url, file, progress, options), retry, freshLink);
        // A restart writes from 0 over an earlier attempt's bytes; drop whatever lies past the end.
        await file.truncate(progress.bytes);
        return { bytes: progress.bytes, sha256: await hash.digest(), ready };
    }
    finally {
        await Promise.all([file.close(), hash.close()]);
    }
}
function assertSafeUrl(url) {
    if (url.protocol === 'https:' || (url.protocol === 'http:' && (0,input_parsers/* isLoopbackHost */.cW)(url.hostname)))
        return;
    throw new errors/* ActionError */.lZ(`Prolific gave a download link over ${url.protocol.replace(':', '')}, which is refused: ` +
        'participant data is only downloaded over https.');
}
async function fetchOnce(url, file, progress, { dispatcher, proxy, retry, clock, log }) {
    const resuming = progress.bytes > 0 && progress.etag !== undefined;
    // No Authorization (the token must never reach storage), nothing but the Range we need.
    const headers = resuming
        ? { range: `bytes=${progress.bytes}-`, 'if-range': progress.etag ?? '' }
        : {};
    const response = await overTransport(url, 'download', proxy, () => (0,undici/* request */.Em)(url, { method: 'GET', dispatcher, signal: retry.deadline.signal, headers }));
    const status = response.statusCode;
    if (status === 206 && resuming && contentRangeStart(response.headers['content-range']) === progress.bytes) {
        log(`Resuming the download at byte ${progress.bytes}.`);
    }
    else if (status === 200) {
        if (progress.bytes > 0)
            log('The server sent the whole archive again; restarting the download.');
        // No await before the body is read: undici may drop bytes that arrive meanwhile.
        progress.restart(resumableEtag(response.headers), Number(response.headers['content-length']) || undefined);
    }
    else {
        const body = await overTransport(url, 'download', proxy, () => readCapped(response.body));
        // A range we cannot use: start over on the next attempt rather than fail.
        const unusableRange = status === 206 || status === 416;
        if (unusableRange)
            progress.restart(undefined, undefined);
        const Refusal = unusableRange ? errors/* RangeNotHonoured */.xH : status === 403 ? errors/* LinkRefused */.b_ : errors/* HttpError */.j$;
        throw new Refusal(`the download link answered HTTP ${status}: ${describeStorageError(body)}`, status, retryAfterMs(response.headers['retry-after'], clock.now()));
    }
    const sink = progressSink(file, progress);
    try {
        await (0,external_node_stream_promises_.pipeline)(response.body, sink);
    }
    catch (error) {
        await sink.settled();
        throw transportError(error, url, 'download', proxy);
    }
    if (progress.total !== undefined && progress.bytes !== progress.total) {
        throw new errors/* TransferInterrupted */.UJ(progress.bytes, progress.total);
    }
}
/** Only a strong ETag may go in If-Range (RFC 9110 13.1.5), and only if ranges are offered. */
function resumableEtag(headers) {
    const etag = headers.etag;
    if (typeof etag !== 'string' || etag.startsWith('W/') || headers['accept-ranges'] !== 'bytes')
        return undefined;
    return etag;
}
function contentRangeStart(header) {
    const match = /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(typeof header === 'string' ? header : '');
    return match ? Number(match[1]) : undefined;
}

;// CONCATENATED MODULE: ./src/pipeline/stale-downloads.ts



/*
 * A download is written to `.<zip name>.<8 hex>.part` beside the ZIP and renamed into place once
 * valid. A run the runner killed (SIGKILL after a cancel, a lost runner) leaves that file behind,
 * and it holds participant data: the next run for the same `path` removes it.
 */
const PART = /^\.(.+)\.[0-9a-f]{8}\.part$/;
/** A fresh temporary name beside the ZIP. */
function partPath(zipPath) {
    return (0,external_node_path_.join)((0,external_node_path_.dirname)(zipPath), `.${(0,external_node_path_.basename)(zipPath)}.${(0,external_node_crypto_.randomBytes)(4).toString('hex')}.part`);
}
/**
 * Removes the temporary files of earlier runs beside `zipPath`: those of the same file name, and,
 * where the name is the default `<id>-export-<time>.zip`, those of the same ID's default names.
 * Returns how many were removed.
 */
async function removeStaleDownloads(zipPath, targetId) {
    const folder = (0,external_node_path_.dirname)(zipPath);
    const name = (0,external_node_path_.basename)(zipPath);
    const defaultName = new RegExp(`^${targetId}-export-\\d{8}-\\d{6}\\.zip$`);
    const sameTarget = (zip) => zip === name || (defaultName.test(name) && defaultName.test(zip));
    const names = await (0,promises_.readdir)(folder).catch(() => []);
    const stale = names.filter((entry) => {
        const zip = PART.exec(entry)?.[1];
        return zip !== undefined && sameTarget(zip);
    });
    await Promise.all(stale.map((entry) => (0,promises_.rm)((0,external_node_path_.join)(folder, entry), { force: true })));
    return stale.length;
}

// EXTERNAL MODULE: ./src/report/summary.ts
var summary = __webpack_require__(57994);
;// CONCATENATED MODULE: ./src/pipeline/place-archive.ts










/**
 * Request → download → validate → (extract) → rename into `path`. Everything happens in a
 * temporary file beside the target (so the rename is atomic and never crosses file systems),
 * which is removed whatever happens: `path` only ever holds a complete, valid archive.
 */
async function placeArchive(context) {
    const { settings, phases, log } = context;
    await (0,promises_.mkdir)((0,external_node_path_.dirname)(settings.zipPath), { recursive: true });
    const stale = await removeStaleDownloads(settings.zipPath, settings.targetId);
    if (stale > 0)
        log.info(`Removed ${stale} incomplete download(s) that an earlier, stopped run left beside the ZIP.`);
    const tempPath = partPath(settings.zipPath);
    (0,scratch/* trackScratch */.yx)(tempPath);
    try {
        const ready = await phases.run('Request the export', () => context.job.ready());
        // The archive is validated as it arrives; the Validate phase then only waits for the scan's last step.
        const tap = new ScanningTap({ ...archiveRules(settings), deadline: context.deadline });
        const download = await phases.run('Download', async () => {
            log.info(`Downloading from ${ready.url.origin} to ${tempPath}, validating as the bytes arrive.`);
            try {
                const { dispatcher, proxy, retry, clock } = context;
                const options = { dispatcher, proxy, retry, clock, log: (m) => log.info(m), tap };
                const done = await downloadArchive(context.job, ready, tempPath, options);
                log.info(`Downloaded ${(0,summary/* formatBytes */.z3)(done.bytes)} (${done.bytes} bytes), SHA-256 ${done.sha256}.`);
                return done;
            }
            catch (error) {
                tap.abandon();
                throw error;
            }
        });
        const archive = await phases.run('Validate', async () => validate(tempPath, context, await tap.finish(download.bytes)));
        const target = settings.extractPath;
        if (target) {
            await phases.run('Extract', async () => {
                log.info(`Extracted ${await extractArchive(tempPath, target, context.deadline)} file(s) into ${target}.`);
            });
        }
        await (0,promises_.rename)(tempPath, settings.zipPath);
        log.info(`Saved the validated archive as ${settings.zipPath}.`);
        return {
            kind: settings.kind,
            targetId: settings.targetId,
            zipPath: settings.zipPath,
            extractPath: target,
            archive,
            sizeBytes: download.bytes,
            sha256: download.sha256,
            exportId: download.ready.exportId,
            reused: download.ready.reused,
        };
    }
    finally {
        await (0,promises_.rm)(tempPath, { force: true });
        (0,scratch/* untrackScratch */.hg)(tempPath);
    }
}
async function validate(tempPath, { settings, deadline, log }, scanned) {
    let report;
    if ('report' in scanned) {
        report = scanned.report;
    }
    else {
        log.info(`Reading the archive again to validate it: ${scanned.deferred}, which the check during the download leaves to a full pass.`);
        report = await validateArchive(tempPath, { ...archiveRules(settings), deadline });
    }
    log.info(`The archive is valid: ${report.entries} entries, ${report.submissions} submission(s), ` +
        (report.tasks === undefined ? '' : `${report.tasks} task(s), `) +
        `${report.files} file(s), ${report.instructions ?? 'unknown'} instruction(s), ` +
        `${(0,summary/* formatBytes */.z3)(report.uncompressedBytes)} uncompressed; every entry's CRC-32 checked.`);
    const coverage = report.taskResponses && (0,task_coverage/* coverageFigures */.k1)(report.taskResponses);
    if (coverage?.min !== undefined) {
        log.info(`Responses per task: min ${coverage.min}, median ${coverage.median}, max ${coverage.max} over ${coverage.tasks} task(s).`);
    }
    for (const warning of report.warnings)
        log.warning(warning);
    return report;
}
/** What the archive is checked against, the same during the download and from disk. */
function archiveRules(settings) {
    return {
        strict: settings.strict,
        kind: settings.kind,
        extract: settings.extractPath !== undefined,
        limits: settings.archiveLimits,
    };
}

;// CONCATENATED MODULE: ./package.json
const package_namespaceObject = {"rE":"1.0.0"};
;// CONCATENATED MODULE: ./src/core/version.ts
// The action's name and version, from package.json (ncc inlines the JSON into dist/), so a
// release bumps one place. Prolific asks API clients to identify themselves.

/** `prolific-export-action/<version>`: the User-Agent of every Prolific API call. */
const USER_AGENT = `prolific-export-action/${package_namespaceObject.rE}`;

;// CONCATENATED MODULE: ./src/prolific/client.ts









/** An answer of the export endpoints is a few hundred bytes; a job list a few KiB. */
const MAX_ANSWER_BYTES = 1_048_576;
/** The export endpoints of the Prolific API, each call under the one retry policy. */
class ProlificClient {
    options;
    constructor(options) {
        this.options = options;
    }
    async requestExport(targetId, filter) {
        const query = new URLSearchParams();
        if (filter.studyId)
            query.set('study_id', filter.studyId);
        if (filter.from)
            query.set('from', filter.from);
        if (filter.to)
            query.set('to', filter.to);
        const { status, body } = await this.call('POST', this.exportPath(targetId), query, 'requesting the export');
        return { httpStatus: status, state: parseState(body, status, 'POST', this.exportPath(targetId)) };
    }
    async getExport(targetId, exportId) {
        const path = `${this.exportPath(targetId)}/${pathSegment(exportId)}`;
        const { status, body } = await this.call('GET', path, undefined, 'polling the export');
        return parseState(body, status, 'GET', path);
    }
    /** 'unsupported' where the server has no such route (the older API). */
    async deleteExport(targetId, exportId) {
        const path = `${this.exportPath(targetId)}/${pathSegment(exportId)}`;
        try {
            await this.call('DELETE', path, undefined, 'deleting the export job');
            return 'deleted';
        }
        catch (error) {
            if (error instanceof errors/* HttpError */.j$ && (error.status === 404 || error.status === 405))
                return 'unsupported';
            throw error;
        }
    }
    /** Every export job of the target, most recent first (newer API). */
    async listExports(targetId) {
        const { status, body } = await this.call('GET', this.exportPath(targetId), undefined, 'listing export jobs');
        const parsed = ExportJobList.safeParse(parseJson(body));
        if (!parsed.success) {
            throw new errors/* ActionError */.lZ(`Prolific API answered HTTP ${status} to GET ${this.exportPath(targetId)} with a job list this action does not understand.`);
        }
        return parsed.data;
    }
    exportPath(targetId) {
        const resource = this.options.kind === 'batch' ? 'batches' : 'collections';
        return `/api/v1/data-collection/${resource}/${pathSegment(targetId)}/export`;
    }
    call(method, path, query, what) {
        const { apiUrl, token, dispatcher, proxy, retry, clock } = this.options;
        const url = new URL(apiUrl.href);
        url.pathname = `${apiUrl.pathname.replace(/\/+$/, '')}${path}`;
        if (query)
            url.search = query.toString();
        return withRetry(what, async () => {
            const [response, body] = await overTransport(url, 'api', proxy, async () => {
                const answer = await (0,undici/* request */.Em)(url, {
                    method,
                    dispatcher,
                    signal: retry.deadline.signal,
                    headers: { authorization: `Token ${token}`, accept: 'application/json', 'user-agent': USER_AGENT },
                });
                return [answer, await readBody(answer.body, MAX_ANSWER_BYTES)];
            });
            if (response.statusCode >= 400) {
                throw new errors/* HttpError */.j$(`Prolific API answered HTTP ${response.statusCode} to ${method} ${path}: ` +
                    `${describeErrorBody(body.text).replace(/\.+$/, '')}. ${hint(response.statusCode, method, this.options.kind)}`.trimEnd(), response.statusCode, retryAfterMs(response.headers['retry-after'], clock.now()));
            }
            if (body.cut) {
                throw new errors/* ActionError */.lZ(`Prolific API answered HTTP ${response.statusCode} to ${method} ${path} with more than ` +
                    `${MAX_ANSWER_BYTES / 1_048_576} MiB, far more than an export status or a job list holds. ` +
                    "Check 'api-url' points at the Prolific API.");
            }
            return { status: response.statusCode, body: body.text };
        }, retry);
    }
}
/**
 * A value as exactly one path segment: encoded, and never empty, `.` or `..`, which URL parsing
 * would resolve (also as `%2e%2e`) into a request for another resource.
 */
function pathSegment(value) {
    if (/^(?:\.|%2e){0,2}$/i.test(value)) {
        throw new errors/* ActionError */.lZ(`Refusing to send a request for the path segment ${(0,outside_text/* quoteOutside */.YM)(value)}: it would name another resource. ` +
            'Please report this with the action version.');
    }
    return encodeURIComponent(value);
}
function parseJson(body) {
    try {
        return JSON.parse(body);
    }
    catch {
        return undefined;
    }
}
function parseState(body, status, method, path) {
    let json;
    try {
        json = JSON.parse(body);
    }
    catch {
        throw new errors/* ActionError */.lZ(`Prolific API answered HTTP ${status} to ${method} ${path} with a body that is not JSON: ${(0,outside_text/* neutralise */.$0)(body)}. ` +
            "Check 'api-url' points at the Prolific API.");
    }
    const parsed = ExportStatus.safeParse(json);
    if (parsed.success)
        return parsed.data;
    const issue = parsed.error.issues[0];
    throw new errors/* ActionError */.lZ(`Prolific API answered HTTP ${status} to ${method} ${path} with an export status this action does not ` +
        `understand (${(0,outside_text/* neutralise */.$0)(issue?.path.join('.') || 'body', 80)}: ${(0,outside_text/* neutralise */.$0)(issue?.message ?? '', 120)}). ` +
        'The API may have changed, or something between it and the runner altered the answer: ' +
        'please report this with the action version.');
}
function hint(status, method, kind) {
    switch (status) {
        case 400:
            return "Check the 'study-id', 'from' and 'to' inputs.";
        case 401:
            return 'Check that the token secret holds a valid Prolific API token.';
        case 403:
            return `The token's account needs access to the workspace that owns this ${kind}.`;
        case 404:
            return method === 'POST' ? `Check '${kind}-id': no such ${kind} is visible to this token.` : '';
        case 429:
            return 'Prolific is rate-limiting this token.';
        default:
            return status >= 500 ? 'Prolific had trouble on its side.' : '';
    }
}

;// CONCATENATED MODULE: ./src/prolific/slots.ts


/** The newer API keeps at most this many export jobs per batch or collection. */
const JOB_SLOTS = 10;
/**
 * The POST, and what to do when the API refuses it because every export-job slot is taken
 * (its status and words are not documented: a 409, or a refusal that speaks of a limit). With
 * `prune-exports`, the retry policy renews the slot list: the oldest finished jobs are deleted —
 * never a generating one, never more than needed — and the request is made once more; otherwise
 * the step fails saying how to free a slot.
 */
async function requestWithSlot(client, targetId, filter, { kind, pruneExports, deadline, log }) {
    const request = async () => {
        try {
            return await client.requestExport(targetId, filter);
        }
        catch (error) {
            throw isSlotLimit(error) ? new errors/* NoFreeSlot */.wf(error) : error;
        }
    };
    // One attempt each: the client's call has had its transient retries already.
    return withRetry('requesting the export', request, { deadline, log, maxAttempts: 1 }, {
        of: errors/* NoFreeSlot */.wf,
        limit: pruneExports ? 1 : 0,
        renew: () => pruneOldest(client, targetId, kind, log),
        // Pruned and still full: the API's own refusal, as it answered.
        exhausted: ({ refusal }, pruned) => pruned > 0
            ? refusal
            : new errors/* ActionError */.lZ(`${refusal.message} The ${kind} has no free export-job slot (${JOB_SLOTS} at most): delete its old export jobs, ` +
                "or set 'prune-exports: true' to let the action delete the oldest finished ones."),
    });
}
/** How a refusal for full slots may be worded: "limit", "maximum", "too many", "at most 10 export jobs"… */
const SLOT_WORDING = /\blimit(?:ed|s)?\b|\bmaximum\b|\btoo many\b|\bat most\b|\bexceed|\bslots?\b/i;
function isSlotLimit(error) {
    if (!(error instanceof errors/* HttpError */.j$))
        return false;
    if (error.status === 409)
        return true;
    return [400, 403, 422].includes(error.status) && SLOT_WORDING.test(error.message);
}
async function pruneOldest(client, targetId, kind, log) {
    const jobs = await client.listExports(targetId);
    const needed = Math.max(1, jobs.length - (JOB_SLOTS - 1));
    // Oldest first; a job without a (readable) date counts as the oldest of all.
    const finished = jobs
        .filter((job) => job.status === 'complete' || job.status === 'failed')
        .map((job) => ({ job, at: createdAt(job) }))
        .sort((a, b) => a.at - b.at)
        .map(({ job }) => job);
    if (finished.length === 0) {
        throw new errors/* ActionError */.lZ(`The ${kind} has no free export-job slot and all ${jobs.length} of its jobs are still generating: ` +
            'nothing can be deleted safely. Wait for them to finish, then run the workflow again.');
    }
    const doomed = finished.slice(0, needed);
    for (const job of doomed) {
        if ((await client.deleteExport(targetId, job.export_id)) === 'unsupported') {
            throw new errors/* ActionError */.lZ(`The ${kind} has no free export-job slot, and this API has no route to delete export jobs, so ` +
                "'prune-exports' cannot free one. Delete old export jobs in Prolific, then run the workflow again.");
        }
    }
    log(`Deleted ${doomed.length} finished export job(s) of ${jobs.length} to free a slot (prune-exports is true).`);
}
/** When the job was created, in ms; an undated job sorts before every dated one. */
function createdAt(job) {
    const at = Date.parse(job.created_at ?? '');
    return Number.isFinite(at) ? at : Number.MIN_SAFE_INTEGER;
}

;// CONCATENATED MODULE: ./src/prolific/export-job.ts



/** A `failed` export is requested again at most this many more times. */
const FAILED_EXPORT_RETRIES = 2;
/** Request, poll, re-request a failed export, and refresh an expired download URL. */
class ExportJob {
    options;
    requests = 0;
    polls = 0;
    created = new Set();
    failed = new Set();
    constructor(options) {
        this.options = options;
    }
    async ready() {
        return this.untilNotFailed(() => this.request());
    }
    /** A fresh URL for the same export: GET the job again, or POST again where there is no id. */
    async refresh(current) {
        if (current.exportId === '')
            return this.ready();
        return this.untilNotFailed(async () => {
            const state = await this.options.client.getExport(this.options.targetId, current.exportId);
            return this.settle(state, current.reused, current.exportId);
        });
    }
    /** Jobs this run's requests were answered with (202), failed ones included. */
    createdIds() {
        return [...this.created];
    }
    /** Jobs that ended `failed`: useless, but each holds one of the batch's 10 slots. */
    failedIds() {
        return [...this.failed].filter((id) => this.created.has(id));
    }
    /** Counts for the log and the summary. */
    stats() {
        return { requests: this.requests, polls: this.polls };
    }
    /**
     * Runs `first`; a job that ends `failed` is renewed by the retry policy: the export is requested
     * again, with no wait (the API gives no reason, and time is not known to help).
     */
    untilNotFailed(first) {
        const { deadline, log, kind, targetId } = this.options;
        let attempt = first;
        // One attempt each: the client's calls have had their transient retries already.
        return withRetry('requesting the export', () => attempt(), { deadline, log, maxAttempts: 1 }, {
            of: errors/* ExportJobFailed */.h3,
            limit: FAILED_EXPORT_RETRIES,
            renew: async ({ exportId }) => {
                log(`Prolific reported export ${exportId || ''} as failed; requesting it again.`.replace('  ', ' '));
                attempt = () => this.request();
            },
            exhausted: (_, renewals) => new errors/* ExportFailedError */.Qf(`Prolific reported the export of ${kind} ${targetId} as failed ${renewals + 1} times in a row ` +
                '(the API gives no reason). Try again later; if it keeps failing, contact Prolific support ' +
                'with the batch ID.'),
        });
    }
    async request() {
        const { client, targetId, filter, log } = this.options;
        this.requests += 1;
        const { httpStatus, state } = await requestWithSlot(client, targetId, filter, this.options);
        if (httpStatus !== 200 && state.export_id)
            this.created.add(state.export_id);
        log(httpStatus === 200
            ? 'Prolific answered with an export that already exists.'
            : `Prolific accepted the export request (HTTP ${httpStatus}, job ${jobId(state) || 'without an id'}).`);
        return this.settle(state, httpStatus === 200, jobId(state));
    }
    /** Polls until the job is no longer generating; a `failed` one is thrown for the policy to renew. */
    async settle(state, reused, exportId) {
        const { client, targetId, pollIntervalMs, deadline, log } = this.options;
        let current = state;
        while (current.status === 'generating') {
            await deadline.sleep(pollIntervalMs, `waiting for Prolific to generate export ${exportId}`);
            this.polls += 1;
            current = await client.getExport(targetId, exportId);
            if (this.polls % 10 === 0 && current.status === 'generating') {
                log(`Export ${exportId} is still generating after ${this.polls} polls.`);
            }
        }
        if (current.status === 'failed') {
            if (exportId)
                this.failed.add(exportId);
            throw new errors/* ExportJobFailed */.h3(exportId);
        }
        this.maskUrl(current.url);
        const id = current.export_id ?? exportId;
        log(`Export ${id || '(no id)'} is ready${current.expires_at ? `; its link expires at ${current.expires_at}` : ''}.`);
        return { url: new URL(current.url), exportId: id, reused };
    }
    maskUrl(href) {
        const { mask } = this.options;
        const url = new URL(href);
        mask(href);
        if (url.search.length > 1)
            mask(url.search.slice(1));
        // The signing parameters on their own too, in case a line shows one decoded.
        for (const [name, value] of url.searchParams)
            if (SECRET_PARAMETER.test(name) && value)
                mask(value);
    }
}
/** X-Amz-Signature, X-Amz-Security-Token, X-Amz-Credential, Azure's sig, X-Goog-Signature... */
const SECRET_PARAMETER = /signature|^sig$|token|credential|key/i;
function jobId(state) {
    return state.export_id ?? '';
}

;// CONCATENATED MODULE: ./src/pipeline/export-jobs.ts

/** Frees the batch's export-job slots this run used. Never fails the step: the data is safe. */
async function deleteJobs(client, targetId, ids, log) {
    for (const id of ids) {
        try {
            const outcome = await client.deleteExport(targetId, id);
            if (outcome === 'unsupported')
                return log.info('This API has no route to delete export jobs; nothing to clean up.');
            log.info(`Deleted export job ${id}.`);
        }
        catch (error) {
            log.warning(`Could not delete export job ${id}: ${(0,errors/* messageOf */.bD)(error)}. It still holds one of the batch's 10 export slots.`);
        }
    }
}
/** The filters of the request, for its log line: ` (study …, from …, to …)`, or nothing. */
function describeFilter(filter) {
    const parts = [
        filter.studyId && `study ${filter.studyId}`,
        filter.from && `from ${filter.from}`,
        filter.to && `to ${filter.to}`,
    ].filter(Boolean);
    return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}

;// CONCATENATED MODULE: ./src/pipeline/coverage-gate.ts


/**
 * `min-responses-per-task`: every task of the batch has at least that many responses. A task
 * whose responses cannot be counted fails the gate: readiness that cannot be shown is not
 * readiness.
 */
function tooFewPerTask(result, { minResponsesPerTask }) {
    const coverage = result.archive.taskResponses;
    if (minResponsesPerTask === 0 || coverage === undefined)
        return undefined;
    const kept = `It is kept at ${result.zipPath} and the outputs are set.`;
    const below = (0,task_coverage/* tasksBelow */.Qg)(coverage, minResponsesPerTask);
    if (below === undefined) {
        return new errors/* ActionError */.lZ(`min-responses-per-task (${minResponsesPerTask}) cannot be checked: ${coverage.untold} task record(s) of ` +
            `responses-by-task.jsonl have no 'responses' array to count (first on line ${coverage.firstUntoldLine}). ${kept}`);
    }
    if (below === 0)
        return undefined;
    const { tasks, min } = (0,task_coverage/* coverageFigures */.k1)(coverage);
    return new errors/* ActionError */.lZ(`${below} of ${tasks} task(s) have fewer responses than min-responses-per-task (${minResponsesPerTask}); ` +
        `the fewest has ${min}. ${kept}`);
}

;// CONCATENATED MODULE: ./src/pipeline/tables-phase.ts

/**
 * `tables`: made from the ZIP once it is in place. A failure leaves no tables and becomes one
 * of the export's problems: the ZIP is valid and kept, uploaded and reported as usual.
 */
async function makeTables(placed, settings, { phases, deadline, log }) {
    const request = settings.tables;
    if (!request)
        return { path: undefined };
    try {
        // Loaded only when asked for: the format libraries are not needed otherwise.
        const { buildTables } = await __webpack_require__.e(/* import() */ 708).then(__webpack_require__.bind(__webpack_require__, 94708));
        const { zipPath, kind } = placed;
        const made = await phases.run('Make the tables', async () => {
            const tables = await buildTables({ zipPath, kind, request, strict: settings.strict, deadline });
            for (const warning of tables.warnings)
                log.warning(warning);
            const { responses, instructions, files } = tables.rows;
            log.info(`Made the tables (${request.formats.join(', ')}) in ${tables.path}: ${responses} response(s), ` +
                `${instructions} instruction(s), ${files} file(s).`);
            return tables;
        });
        return { path: made.path };
    }
    catch (error) {
        if (!(error instanceof errors/* ActionError */.lZ))
            throw error;
        return { path: undefined, problem: error };
    }
}
/** The second artifact, named as the ZIP's with `-tables` in place of `.zip`: uploaded only where the ZIP was. */
async function uploadTablesArtifact(tablesPath, settings, { phases, env, log }) {
    const request = settings.artifact;
    if (!tablesPath || !request)
        return {};
    try {
        const artifact = await phases.run('Upload the tables', async () => {
            const { uploadTables } = await __webpack_require__.e(/* import() */ 108).then(__webpack_require__.bind(__webpack_require__, 82108));
            const uploaded = await uploadTables(tablesPath, request, env, log);
            if (uploaded)
                log.info(`Uploaded artifact '${uploaded.name}' (id ${uploaded.id}).`);
            return uploaded;
        });
        return artifact ? { artifact } : {};
    }
    catch (error) {
        if (!(error instanceof errors/* UploadError */.oW))
            throw error;
        return { problem: error };
    }
}

;// CONCATENATED MODULE: ./src/pipeline/export-target.ts















/**
 * One export, as its phases: the archive requested, downloaded, validated and put in place; the
 * export jobs it used freed; the artifact uploaded; the gates (`min-submissions`,
 * `min-responses-per-task`) checked. A failure before the archive is in place is thrown; after
 * it, it is one of the problems, and the result stays.
 */
async function exportTarget(settings, deps, log) {
    // From the injected environment: a proxy variable that is not a URL fails before any request.
    const proxy = readProxyEnvironment(deps.env);
    const stallMs = stallTimeoutMs(settings.timeoutMs);
    const dispatcher = deps.createDispatcher?.(stallMs) ?? createDispatcher(proxy, stallMs);
    try {
        const phases = new Phases(deps.clock, log);
        const deadline = new core_deadline/* Deadline */.B(deps.clock, settings.timeoutMs, deps.cancel);
        const info = (message) => log.info(message);
        const retry = { deadline, log: info };
        // The token goes to the API client, and nowhere else.
        const { token, ...rest } = settings;
        const { kind, apiUrl, targetId, pruneExports, filter, pollIntervalMs } = rest;
        const client = new ProlificClient({ kind, apiUrl, token, dispatcher, proxy, retry, clock: deps.clock });
        const job = new ExportJob({
            client,
            kind,
            targetId,
            pruneExports,
            filter,
            pollIntervalMs,
            deadline,
            mask: keep,
            log: info,
        });
        if (rest.extractPath)
            await assertExtractTarget(rest.extractPath);
        log.info(`Requesting an export of ${kind} ${targetId} from ${apiUrl.origin}${describeFilter(filter)}.`);
        const placed = await placeArchive({
            settings: rest,
            log,
            job,
            phases,
            deadline,
            retry,
            dispatcher,
            proxy,
            clock: deps.clock,
        }).catch(async (error) => {
            // Failed jobs are useless; a finished one is kept so the export can still be looked at.
            if (rest.deleteExport)
                await deleteJobs(client, targetId, job.failedIds(), log);
            throw error;
        });
        if (rest.deleteExport && job.createdIds().length > 0) {
            await phases.run('Delete the export job', () => deleteJobs(client, targetId, job.createdIds(), log));
        }
        const tables = await makeTables(placed, rest, { phases, deadline, log });
        // The timeout or a cancel that stopped the tables stops the export too: nothing is sent after it.
        const stopped = tables.problem instanceof errors/* DeadlineError */.j3;
        const steps = { phases, env: deps.env, log, stopped };
        const { result, problems } = await upload({ ...placed, tablesPath: tables.path }, rest, steps);
        const gates = [tooFewSubmissions(result, rest), tooFewPerTask(result, rest)];
        return { settings: rest, result, problems: [tables.problem, ...problems, ...gates].filter(isProblem) };
    }
    finally {
        await dispatcher.close().catch(() => undefined);
    }
}
async function upload(placed, settings, { phases, env, log, stopped }) {
    const changed = settings.previousDigest !== placed.archive.contentDigest;
    const result = { ...placed, changed, artifact: undefined, artifactNote: '', phases: phases.times };
    if (!changed)
        log.info('The content digest equals previous-digest: the export is unchanged.');
    const request = settings.artifact;
    if (!request)
        return { result: { ...result, artifactNote: 'not uploaded (upload-artifact is false)' }, problems: [] };
    if (stopped)
        return { result: { ...result, artifactNote: 'not uploaded (the step was stopped)' }, problems: [] };
    if (!changed) {
        return { result: { ...result, artifactNote: 'not uploaded (unchanged since previous-digest)' }, problems: [] };
    }
    let artifact;
    try {
        artifact = await phases.run('Upload the artifact', async () => {
            const uploaded = await (0,artifact_artifact/* uploadZip */.xR)(settings.zipPath, request, env, log);
            if (uploaded)
                log.info(`Uploaded artifact '${uploaded.name}' (id ${uploaded.id}).`);
            return uploaded;
        });
    }
    catch (error) {
        if (!(error instanceof errors/* UploadError */.oW))
            throw error;
        return { result: { ...result, artifactNote: 'upload failed' }, problems: [error] };
    }
    const tables = await uploadTablesArtifact(result.tablesPath, settings, { phases, env, log });
    const artifactNote = artifact ? '' : 'not uploaded (not running inside GitHub Actions)';
    return { result: { ...result, artifact, tablesArtifact: tables.artifact, artifactNote }, problems: [tables.problem] };
}
function tooFewSubmissions(result, { minSubmissions }) {
    const { submissions } = result.archive;
    if (submissions >= minSubmissions)
        return undefined;
    return new errors/* ActionError */.lZ(`The archive holds ${submissions} submission record(s), fewer than min-submissions (${minSubmissions}). ` +
        `It is kept at ${result.zipPath} and the outputs are set.`);
}
function isProblem(problem) {
    return problem !== undefined;
}
/** Masked by the runner in what it shows, and redacted from outside text before we show any. */
function keep(secret) {
    core/* setSecret */.Pq(secret);
    (0,outside_text/* registerSecret */.cl)(secret);
}
/** The problems of one export as the one sentence the step reports; undefined when there are none. */
function problemsText({ problems }) {
    return problems.length === 0 ? undefined : problems.map((problem) => problem.message).join(' ');
}


/***/ }),

/***/ 95960:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   hP: () => (/* binding */ addTaskCoverage)
/* harmony export */ });
/* unused harmony exports histogramBuckets, bar, coverageLine */
/* harmony import */ var _archive_task_coverage_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(96508);

/** More bars than this and the histogram is no longer taken in at a glance. */
const MOST_BARS = 10;
/** The longest bar, in block characters. */
const BAR_WIDTH = 24;
/**
 * The tasks binned by their response count, from the fewest to the most: one bar per count
 * where there are at most MOST_BARS of them, else MOST_BARS bars of equal width. Empty bars stay,
 * so the gaps show.
 */
function histogramBuckets(counts) {
    const first = counts[0]?.responses;
    const last = counts.at(-1)?.responses;
    if (first === undefined || last === undefined)
        return [];
    const width = Math.ceil((last - first + 1) / MOST_BARS);
    const buckets = [];
    for (let low = first; low <= last; low += width) {
        buckets.push({ low, high: Math.min(low + width - 1, last), tasks: 0 });
    }
    for (const { responses, tasks } of counts) {
        const bucket = buckets[Math.floor((responses - first) / width)];
        if (bucket)
            bucket.tasks += tasks;
    }
    return buckets;
}
/** A bar in proportion to the fullest one; a bar with any task shows at least one block. */
function bar(tasks, most) {
    if (tasks === 0 || most === 0)
        return '';
    return '█'.repeat(Math.max(1, Math.round((tasks / most) * BAR_WIDTH)));
}
/** One sentence with min, median and max, and how many tasks are below the minimum where one is asked for. */
function coverageLine(coverage, minimum) {
    const { tasks, min, median, max } = (0,_archive_task_coverage_js__WEBPACK_IMPORTED_MODULE_0__/* .coverageFigures */ .k1)(coverage);
    if (coverage.untold > 0) {
        return (`${coverage.untold} of ${tasks} task record(s) have no 'responses' array, so the responses per task ` +
            'cannot be told.');
    }
    if (min === undefined || max === undefined || median === undefined)
        return 'No tasks, so no responses per task.';
    const below = minimum > 0 ? ` ${(0,_archive_task_coverage_js__WEBPACK_IMPORTED_MODULE_0__/* .tasksBelow */ .Qg)(coverage, minimum)} below min-responses-per-task (${minimum}).` : '';
    return `Over ${tasks} task(s): min ${min}, median ${median}, max ${max}.${below}`;
}
/** The distribution of responses per task as a heading, one line and a table of bars: counts only. */
function addTaskCoverage(summary, coverage, minimum, title = 'Responses per task') {
    summary.addHeading(title, 3).addRaw(`<p>${coverageLine(coverage, minimum)}</p>`, true);
    if (coverage.untold > 0)
        return;
    const buckets = histogramBuckets(coverage.counts);
    if (buckets.length === 0)
        return;
    const most = Math.max(...buckets.map((bucket) => bucket.tasks));
    summary.addTable([
        [
            { data: 'Responses', header: true },
            { data: 'Tasks', header: true },
            { data: '', header: true },
        ],
        ...buckets.map(({ low, high, tasks }) => [
            low === high ? String(low) : `${low}–${high}`,
            String(tasks),
            bar(tasks, most),
        ]),
    ]);
}


/***/ }),

/***/ 57994:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   ZD: () => (/* binding */ escapeHtml),
/* harmony export */   fR: () => (/* binding */ buildSummary),
/* harmony export */   fe: () => (/* binding */ appendSummary),
/* harmony export */   z3: () => (/* binding */ formatBytes)
/* harmony export */ });
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(51455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(48161);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_os__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(77094);
/* harmony import */ var _core_deadline_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(56343);
/* harmony import */ var _runner_outside_text_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(63353);
/* harmony import */ var _histogram_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(95960);






/** Counts, size, digest, artifact, responses per task and timings: nothing that identifies a participant. */
function buildSummary(result, failure, minResponsesPerTask = 0) {
    const { archive } = result;
    const summary = _actions_core__WEBPACK_IMPORTED_MODULE_2__/* .summary */ .z.addHeading(`Prolific export of ${result.kind} ${result.targetId}`, 2);
    if (failure)
        summary.addRaw(`<p><strong>Step failed:</strong> ${escapeHtml(failure)}</p>`, true);
    summary.addTable([
        [
            { data: 'Item', header: true },
            { data: 'Value', header: true },
        ],
        ['Submissions', String(archive.submissions)],
        ['Tasks', archive.tasks === undefined ? 'n/a (collection)' : String(archive.tasks)],
        ['Files', String(archive.files)],
        ['Instructions', archive.instructions === undefined ? 'unknown' : String(archive.instructions)],
        ['Size', `${formatBytes(result.sizeBytes)} (${result.sizeBytes} bytes)`],
        ['SHA-256', `<code>${result.sha256}</code>`],
        ['Export job', result.exportId ? `<code>${escapeHtml(result.exportId)}</code>` : 'none (finished export)'],
        ['Reused existing export', result.reused ? 'yes' : 'no'],
        ['Content digest', `<code>${result.archive.contentDigest}</code>${result.changed ? '' : ' (unchanged)'}`],
        ['Artifact', artifactCell(result)],
        ...(result.tablesPath ? [['Tables', tablesCell(result)]] : []),
    ]);
    if (archive.taskResponses)
        (0,_histogram_js__WEBPACK_IMPORTED_MODULE_4__/* .addTaskCoverage */ .hP)(summary, archive.taskResponses, minResponsesPerTask);
    if (archive.warnings.length > 0) {
        summary.addHeading('Warnings', 3).addList(archive.warnings.map(escapeHtml));
    }
    summary.addHeading('Time per phase', 3).addTable([
        [
            { data: 'Phase', header: true },
            { data: 'Time', header: true },
        ],
        ...result.phases.map((phase) => [escapeHtml(phase.name), (0,_core_deadline_js__WEBPACK_IMPORTED_MODULE_3__/* .formatDuration */ .a)(phase.ms)]),
    ]);
    return summary;
}
/**
 * Appends a summary to the step's summary file (GITHUB_STEP_SUMMARY of the injected environment),
 * as core.summary.write() does, but to the file this run names rather than the first one the
 * process saw; nothing where the runner gives no such file.
 */
async function appendSummary(summary, env) {
    const text = summary.stringify();
    summary.emptyBuffer();
    if (env.GITHUB_STEP_SUMMARY)
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.appendFile)(env.GITHUB_STEP_SUMMARY, `${text}${node_os__WEBPACK_IMPORTED_MODULE_1__.EOL}`, 'utf8');
}
/** The tables' artifact where they were uploaded, else their folder on the runner. */
function tablesCell(result) {
    const { tablesArtifact, tablesPath = '' } = result;
    return tablesArtifact ? artifactCell({ ...result, artifact: tablesArtifact }) : escapeHtml(tablesPath);
}
function artifactCell(result) {
    const { artifact } = result;
    if (!artifact)
        return escapeHtml(result.artifactNote);
    const label = `${escapeHtml(artifact.name)} (artifact ${escapeHtml(artifact.id)}${artifact.encrypted ? ', encrypted with age' : ''})`;
    return artifact.url ? `<a href="${escapeHtml(artifact.url)}">${label}</a>` : label;
}
function formatBytes(bytes) {
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let value = bytes;
    let unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
        value /= 1024;
        unit += 1;
    }
    return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}
/** Text for the summary's HTML: inert first (no control characters, no runner commands), then escaped. */
function escapeHtml(text) {
    return (0,_runner_outside_text_js__WEBPACK_IMPORTED_MODULE_5__/* .neutralise */ .$0)(text, Infinity).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);
}


/***/ }),

/***/ 20544:
/***/ ((module, __unused_webpack_exports, __webpack_require__) => {

module.exports = __webpack_require__.p + "98f3868992dd735c2b6b.ts";

/***/ })

};
