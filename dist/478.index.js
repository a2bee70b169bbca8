export const id = 478;
export const ids = [478];
export const modules = {

/***/ 35478:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   exportAll: () => (/* binding */ exportAll)
/* harmony export */ });
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(77094);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(74296);
/* harmony import */ var _runner_log_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(47708);
/* harmony import */ var _export_target_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(95577);




/**
 * Every export of the step; one ID is the case of one. At most `concurrency` run at once
 * (workers take the next ID only when one is done, so the limit holds for all the work in
 * flight). A failing export does not stop the others: its failure is its problem.
 */
async function exportAll({ exports, concurrency }, deps) {
    const several = exports.length > 1;
    if (several) {
        const kinds = exports[0]?.kind === 'collection' ? 'collections' : 'batches';
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq((0,_runner_log_js__WEBPACK_IMPORTED_MODULE_2__/* .inert */ .tJ)(`Exporting ${exports.length} ${kinds}, at most ${concurrency} at a time.`));
    }
    const finished = new Array(exports.length);
    let next = 0;
    const worker = async () => {
        for (let index = next++; index < exports.length; index = next++) {
            const settings = exports[index];
            if (!settings)
                continue;
            // Several exports cannot share the log's groups: each line carries its ID instead.
            const log = several ? (0,_runner_log_js__WEBPACK_IMPORTED_MODULE_2__/* .prefixedLog */ .Qc)(settings.targetId) : _runner_log_js__WEBPACK_IMPORTED_MODULE_2__/* .jobLog */ .Wh;
            finished[index] = await (0,_export_target_js__WEBPACK_IMPORTED_MODULE_3__/* .exportTarget */ .c)(settings, deps, log).catch((error) => {
                const problem = asProblem(error);
                if (several)
                    log.info(`Failed: ${problem.message}`);
                const { token, ...withoutToken } = settings;
                return { settings: withoutToken, problems: [problem] };
            });
        }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, exports.length) }, worker));
    return finished;
}
/** A typed failure as it is; anything else is a bug, reported as one, with its stack for debugging. */
function asProblem(error) {
    if (error instanceof _core_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ActionError */ .lZ)
        return error;
    (0,_runner_log_js__WEBPACK_IMPORTED_MODULE_2__/* .debug */ .Yz)(error instanceof Error ? (error.stack ?? '') : '');
    return new _core_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .UnexpectedError */ .gR(error);
}


/***/ })

};
