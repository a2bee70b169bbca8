export const id = 108;
export const ids = [108];
export const modules = {

/***/ 82108:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   uploadTables: () => (/* binding */ uploadTables)
/* harmony export */ });
/* unused harmony exports TABLES_SUFFIX, tablesArtifactName */
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(51455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(48161);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_os__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(74296);
/* harmony import */ var _artifact_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(87386);





/** The tables' artifact is named after the ZIP's (`artifact-name`), with this after it. */
const TABLES_SUFFIX = '-tables';
/**
 * Uploads the tables folder as a second artifact (see tablesArtifactName), which the library
 * zips as it does any folder. With `encrypt-to`, each table is encrypted with age on its own
 * (`responses.parquet.age`, …), as the ZIP is, so nothing readable leaves the runner and the
 * same identity opens both. Returns undefined outside GitHub Actions (the ZIP's upload says so).
 */
async function uploadTables(tablesPath, { name: zipArtifact, retentionDays, overwrite, encryptTo }, env, log) {
    if (!env.ACTIONS_RUNTIME_TOKEN)
        return undefined;
    const name = tablesArtifactName(zipArtifact);
    const folder = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.mkdtemp)((0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(env.RUNNER_TEMP || (0,node_os__WEBPACK_IMPORTED_MODULE_1__.tmpdir)(), 'prolific-tables-'));
    try {
        const files = [];
        for (const table of (await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.readdir)(tablesPath)).sort()) {
            const source = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(tablesPath, table);
            const target = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(folder, encryptTo ? `${table}.age` : table);
            if (encryptTo)
                await (await Promise.all(/* import() */[__webpack_require__.e(539), __webpack_require__.e(315)]).then(__webpack_require__.bind(__webpack_require__, 20315))).encryptFile(source, target, encryptTo);
            else
                await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.link)(source, target).catch(() => (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.copyFile)(source, target));
            files.push(target);
        }
        if (encryptTo)
            log.info(`Encrypted ${files.length} table file(s) with age for ${encryptTo.length} recipient(s).`);
        const response = await (0,_artifact_js__WEBPACK_IMPORTED_MODULE_4__/* .sendArtifact */ .fn)(name, files, folder, { skipArchive: false, retentionDays, overwrite }, log);
        const id = String(response.id ?? '');
        return { id, name, url: (0,_artifact_js__WEBPACK_IMPORTED_MODULE_4__/* .artifactUrl */ .Wk)(id, env), digest: response.digest ?? '', encrypted: encryptTo !== undefined };
    }
    catch (error) {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .UploadError */ .oW(`Uploading the tables artifact '${name}' failed: ${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .messageOf */ .bD)(error)}. The tables are kept at ${tablesPath} ` +
            'and the ZIP and its artifact are not affected; re-run the job to try the upload again.');
    }
    finally {
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.rm)(folder, { recursive: true, force: true });
    }
}
/** The ZIP's artifact name without `.zip`, plus `-tables`: as the folder is named after the ZIP. */
function tablesArtifactName(zipArtifact) {
    return `${zipArtifact.replace(/\.zip$/i, '')}${TABLES_SUFFIX}`;
}


/***/ })

};
