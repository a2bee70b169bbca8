export const id = 125;
export const ids = [125];
export const modules = {

/***/ 32125:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  exportMany: () => (/* binding */ exportMany)
});

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 13 modules
var core = __webpack_require__(77094);
// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(83916);
// EXTERNAL MODULE: ./src/export-one.ts + 42 modules
var export_one = __webpack_require__(3360);
// EXTERNAL MODULE: ./src/log.ts
var src_log = __webpack_require__(25625);
// EXTERNAL MODULE: ./src/outputs.ts
var outputs = __webpack_require__(7729);
// EXTERNAL MODULE: ./src/deadline.ts
var deadline = __webpack_require__(86683);
// EXTERNAL MODULE: ./src/summary.ts
var src_summary = __webpack_require__(28855);
;// CONCATENATED MODULE: ./src/summary-many.ts



/** One row per export: counts, size, digest, artifact, time; no participant data. */
function buildManySummary(finished) {
    const failed = finished.filter((one) => one.problem).length;
    const kinds = finished[0]?.settings.kind === 'collection' ? 'collections' : 'batches';
    const summary = core/* summary */.z.addHeading(`Prolific export of ${finished.length} ${kinds}`, 2);
    if (failed > 0)
        summary.addRaw(`<p><strong>${failed} of ${finished.length} failed.</strong></p>`, true);
    const header = ['ID', 'Status', 'Submissions', 'Tasks', 'Files', 'Size', 'SHA-256', 'Artifact', 'Time'];
    const rows = finished.map(({ settings, result, problem }) => {
        const archive = result?.archive;
        const time = result ? (0,deadline/* formatDuration */.a)(result.phases.reduce((sum, phase) => sum + phase.ms, 0)) : '';
        return [
            (0,src_summary.escapeHtml)(settings.targetId),
            problem ? `failed: ${(0,src_summary.escapeHtml)(problem)}` : 'ok',
            String(archive?.submissions ?? ''),
            String(archive?.tasks ?? ''),
            String(archive?.files ?? ''),
            result ? (0,src_summary.formatBytes)(result.sizeBytes) : '',
            result ? `<code>${result.sha256.slice(0, 12)}…</code>` : '',
            result?.artifact
                ? `<a href="${(0,src_summary.escapeHtml)(result.artifact.url)}">${(0,src_summary.escapeHtml)(result.artifact.name)}</a>`
                : (0,src_summary.escapeHtml)(result?.artifactNote ?? ''),
            time,
        ];
    });
    return summary.addTable([header.map((data) => ({ data, header: true })), ...rows]);
}
async function writeManySummary(finished) {
    if (!process.env.GITHUB_STEP_SUMMARY)
        return;
    await buildManySummary(finished).write();
}

;// CONCATENATED MODULE: ./src/export-many.ts






/**
 * Several IDs: each exported into its own ZIP and artifact, at most `concurrency` at a time
 * (workers take the next ID only when one is done, so the limit holds for all the work in
 * flight). A failing export does not stop the others; the step fails once all have finished.
 */
async function exportMany({ exports, concurrency }, deps) {
    core/* info */.pq((0,src_log/* inert */.tJ)(`Exporting ${exports.length} ${exports[0]?.kind === 'collection' ? 'collections' : 'batches'}, at most ${concurrency} at a time.`));
    const finished = new Array(exports.length);
    let next = 0;
    const worker = async () => {
        for (let index = next++; index < exports.length; index = next++) {
            const settings = exports[index];
            const log = (0,src_log/* prefixedLog */.Qc)(settings.targetId);
            finished[index] = await (0,export_one.exportOne)(settings, deps, { log, setOutputs: false }).catch((error) => {
                if (!(error instanceof errors/* ActionError */.lZ))
                    core/* debug */.Yz((0,src_log/* inert */.tJ)(error instanceof Error ? (error.stack ?? '') : ''));
                const problem = error instanceof errors/* ActionError */.lZ ? error.message : `Unexpected error: ${(0,errors/* messageOf */.bD)(error)}.`;
                log.info(`Failed: ${problem}`);
                return { settings, problem };
            });
        }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, exports.length) }, worker));
    (0,outputs/* setManyOutputs */.MA)(finished);
    await writeManySummary(finished);
    const failed = finished.filter((one) => one.problem);
    if (failed.length === 0)
        return undefined;
    return new errors/* ActionError */.lZ(`${failed.length} of ${finished.length} exports failed: ` +
        failed.map((one) => `${one.settings.targetId}: ${one.problem}`).join(' | '));
}


/***/ })

};
