export const id = 315;
export const ids = [315];
export const modules = {

/***/ 20315:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   encryptFile: () => (/* binding */ encryptFile),
/* harmony export */   parseRecipients: () => (/* binding */ parseRecipients)
/* harmony export */ });
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(77598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(73024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(51455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(57075);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_3___default = /*#__PURE__*/__webpack_require__.n(node_stream__WEBPACK_IMPORTED_MODULE_3__);
/* harmony import */ var node_stream_promises__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(46466);
/* harmony import */ var node_stream_promises__WEBPACK_IMPORTED_MODULE_4___default = /*#__PURE__*/__webpack_require__.n(node_stream_promises__WEBPACK_IMPORTED_MODULE_4__);
/* harmony import */ var age_encryption__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(81539);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(74296);







/**
 * `encrypt-to`: the validated ZIP is uploaded as an age file (age-encryption.org/v1), so the
 * plain ZIP never leaves the runner. Only public recipients are taken; there is no passphrase
 * mode, since a passphrase in a workflow file would sit next to the ciphertext it protects.
 */
const INPUT = 'encrypt-to';
const ACCEPTED = 'one age recipient per line (or comma-separated): an X25519 public key such as age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p, or a post-quantum age1pq1… key; blank lines and # comments are ignored';
function shown(value) {
    return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
}
function why(value) {
    // A pasted identity is a secret: say what it is without echoing it into the job log.
    if (/AGE-(SECRET-KEY|PLUGIN)-/i.test(value)) {
        return 'is an age identity (a secret key), not a recipient: use the age1… public key that `age-keygen -y` prints for it (and replace the key if it is written in the workflow file)';
    }
    const reason = /^(ssh-|ecdsa-)/.test(value)
        ? 'is an SSH public key, which this action does not take'
        : 'is not a valid age recipient (wrong prefix, bech32 checksum or key length)';
    return `${shown(value)} ${reason}`;
}
/**
 * Split the raw input into recipients, each checked by age-encryption's own parser (the one
 * `Encrypter.addRecipient` runs: bech32 checksum, HRP and key length), so a bad key fails here,
 * before any request is made, rather than after the export has been downloaded.
 */
function parseRecipients(raw) {
    const lines = raw.split(/\r?\n/);
    const recipients = new Set();
    lines.forEach((line, index) => {
        // `#` never occurs in bech32, so a comment may also follow a key on the same line.
        for (const part of line.replace(/#.*/, '').split(',')) {
            const value = part.trim();
            if (value === '')
                continue;
            try {
                // Also accepts the tagged (age1tag1…, age1tagpq1…) recipients of hardware-key plugins.
                new age_encryption__WEBPACK_IMPORTED_MODULE_5__/* .Encrypter */ .T7().addRecipient(value);
            }
            catch {
                throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_6__/* .InputError */ .dz(`Input '${INPUT}' line ${index + 1}: ${why(value)}. Expected ${ACCEPTED}.`);
            }
            recipients.add(value);
        }
    });
    if (recipients.size === 0) {
        const where = lines.length === 1 ? 'its only line is' : `all ${lines.length} lines are`;
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_6__/* .InputError */ .dz(`Input '${INPUT}' is set but lists no recipient: ${where} blank or a comment. Expected ${ACCEPTED}.`);
    }
    return [...recipients];
}
/**
 * Encrypt `source` to `target` (mode 0o600) for every recipient, as a stream: the library
 * works in 64 KiB STREAM chunks and both ends apply backpressure, so memory stays flat
 * whatever the ZIP's size. The digest is taken of the ciphertext on its way to disk, which is
 * the file that gets uploaded, so `artifact-digest` describes what a downloader receives.
 */
async function encryptFile(source, target, recipients) {
    if (recipients.length === 0)
        throw new Error('encryptFile needs at least one recipient');
    const encrypter = new age_encryption__WEBPACK_IMPORTED_MODULE_5__/* .Encrypter */ .T7();
    for (const recipient of recipients)
        encrypter.addRecipient(recipient);
    // A file left over from an earlier attempt would keep its mode; 'wx' then guarantees 0o600.
    await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.rm)(target, { force: true });
    const plainSize = (await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.stat)(source)).size;
    // ReadableStream.from pulls one 64 KiB read at a time, only when the encrypter asks for it
    // (Readable.toWeb pre-reads, and once buffered whole files: nodejs/node#46347).
    const ciphertext = await encrypter.encrypt(ReadableStream.from((0,node_fs__WEBPACK_IMPORTED_MODULE_1__.createReadStream)(source)));
    const hash = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256');
    let bytes = 0;
    const measure = new node_stream__WEBPACK_IMPORTED_MODULE_3__.Transform({
        transform(chunk, _encoding, done) {
            hash.update(chunk);
            bytes += chunk.length;
            done(null, chunk);
        },
    });
    try {
        await (0,node_stream_promises__WEBPACK_IMPORTED_MODULE_4__.pipeline)(node_stream__WEBPACK_IMPORTED_MODULE_3__.Readable.fromWeb(ciphertext), measure, (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.createWriteStream)(target, { flags: 'wx', mode: 0o600 }));
        // The ZIP was validated before this step: a size change means it was not what got encrypted.
        if (bytes !== ciphertext.size(plainSize)) {
            throw new Error(`${source} changed while it was being encrypted (${bytes} bytes of ciphertext written)`);
        }
    }
    catch (error) {
        // Never leave a truncated age file where an upload step could pick it up.
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.rm)(target, { force: true });
        throw error;
    }
    return { bytes, sha256: hash.digest('hex') };
}


/***/ })

};
