export const id = 720;
export const ids = [720];
export const modules = {

/***/ 96720:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   parquetTable: () => (/* binding */ parquetTable)
/* harmony export */ });
/* harmony import */ var hyparquet_writer__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(83732);
/* harmony import */ var hyparquet_writer__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(7855);
/* harmony import */ var _cells_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(78788);
/* harmony import */ var _private_file_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(38949);



/**
 * A row group is written every ROW_GROUP_ROWS rows or once the text buffered passes
 * ROW_GROUP_CHARS, whichever comes first: what memory holds of a table, whatever its length.
 */
const ROW_GROUP_ROWS = 20_000;
const ROW_GROUP_CHARS = 16 << 20;
/** The encoded bytes are handed to the file in pieces of about this size. */
const FLUSH_BYTES = 1 << 20;
/** hyparquet-writer's buffer, emptied into our file (0600, created exclusively) as it fills. */
class FileByteWriter extends hyparquet_writer__WEBPACK_IMPORTED_MODULE_1__/* .ByteWriter */ .U {
    file;
    constructor(file) {
        super(FLUSH_BYTES);
        this.file = file;
    }
    ensure(size) {
        if (this.index > FLUSH_BYTES)
            this.drain();
        super.ensure(size);
    }
    finish() {
        this.drain();
    }
    drain() {
        this.file.write(new Uint8Array(this.buffer, 0, this.index));
        this.index = 0;
    }
}
/** Optional columns throughout: every field may be missing from a record. */
function schemaOf(columns) {
    const schema = [{ name: 'root', num_children: columns.length }];
    for (const { name, type } of columns) {
        const repetition_type = 'OPTIONAL';
        if (type === 'list') {
            schema.push({ name, repetition_type, converted_type: 'LIST', num_children: 1 }, { name: 'list', repetition_type: 'REPEATED', num_children: 1 }, { name: 'element', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type });
        }
        else if (type === 'string')
            schema.push({ name, type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type });
        else if (type === 'int')
            schema.push({ name, type: 'INT64', repetition_type });
        else if (type === 'double')
            schema.push({ name, type: 'DOUBLE', repetition_type });
        else
            schema.push({ name, type: 'BOOLEAN', repetition_type });
    }
    return schema;
}
/** A cell as hyparquet-writer takes it: BigInt for INT64, a list's values as text (JSON for the rest). */
function parquetCell(cell, column) {
    if (cell === null)
        return null;
    if (column.type === 'int')
        return BigInt(cell);
    if (column.type === 'list')
        return cell.map(_cells_js__WEBPACK_IMPORTED_MODULE_2__/* .textOf */ .b6);
    return cell;
}
function parquetTable(path, columns) {
    const file = new _private_file_js__WEBPACK_IMPORTED_MODULE_0__/* .PrivateFile */ .o(path);
    let writer;
    try {
        writer = new hyparquet_writer__WEBPACK_IMPORTED_MODULE_3__/* .ParquetWriter */ .o({
            writer: new FileByteWriter(file),
            schema: schemaOf(columns),
            createdBy: 'prolific-export-action',
        });
    }
    catch (error) {
        file.close();
        throw error;
    }
    let buffered = columns.map(() => []);
    let rows = 0;
    let chars = 0;
    const flush = () => {
        if (rows === 0)
            return;
        const columnData = columns.map((column, at) => ({ name: column.name, data: buffered[at] ?? [] }));
        void writer.write({ columnData, rowGroupSize: rows });
        buffered = columns.map(() => []);
        rows = 0;
        chars = 0;
    };
    return {
        add(row) {
            columns.forEach((column, at) => {
                const value = parquetCell(row[at] ?? null, column);
                if (typeof value === 'string')
                    chars += value.length;
                else if (Array.isArray(value))
                    for (const element of value)
                        chars += element.length;
                buffered[at]?.push(value);
            });
            rows += 1;
            if (rows >= ROW_GROUP_ROWS || chars >= ROW_GROUP_CHARS)
                flush();
        },
        close() {
            try {
                flush();
                void writer.finish();
            }
            finally {
                file.close();
            }
        },
        discard: () => file.close(),
    };
}


/***/ }),

/***/ 38949:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   o: () => (/* binding */ PrivateFile)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(73024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);

/**
 * A new file only this user can read (participant data), refused if anything is there already.
 * Closed once: a second close could hit a descriptor number the process has reused since.
 */
class PrivateFile {
    fd;
    open = true;
    constructor(path) {
        this.fd = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.openSync)(path, 'wx', 0o600);
    }
    write(bytes) {
        let written = 0;
        while (written < bytes.length)
            written += (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.writeSync)(this.fd, bytes, written, bytes.length - written);
    }
    close() {
        if (!this.open)
            return;
        this.open = false;
        (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.closeSync)(this.fd);
    }
}


/***/ })

};
