export const id = 685;
export const ids = [685];
export const modules = {

/***/ 58685:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  report: () => (/* binding */ report)
});

// EXTERNAL MODULE: ./src/core/errors.ts
var errors = __webpack_require__(74296);
// EXTERNAL MODULE: ./src/pipeline/export-target.ts + 35 modules
var export_target = __webpack_require__(76478);
// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 13 modules
var core = __webpack_require__(77094);
// EXTERNAL MODULE: ./src/runner/outside-text.ts
var outside_text = __webpack_require__(63353);
;// CONCATENATED MODULE: ./src/report/outputs.ts



/** Output names exactly as in action.yml. */
const Outputs = {
    Path: 'path',
    ExtractPath: 'extract-path',
    SubmissionCount: 'submission-count',
    TaskCount: 'task-count',
    FileCount: 'file-count',
    InstructionCount: 'instruction-count',
    SizeBytes: 'size-bytes',
    Sha256: 'sha256',
    ExportId: 'export-id',
    Reused: 'reused',
    ArtifactId: 'artifact-id',
    ArtifactUrl: 'artifact-url',
    ArtifactDigest: 'artifact-digest',
    ContentDigest: 'content-digest',
    Changed: 'changed',
    TablesPath: 'tables-path',
    Results: 'results',
};
/** One export's outputs, every one of them, from what it placed and uploaded. */
function setExportOutputs(result) {
    const { archive, artifact } = result;
    core/* setOutput */.uH(Outputs.Path, result.zipPath);
    core/* setOutput */.uH(Outputs.ExtractPath, result.extractPath ?? '');
    core/* setOutput */.uH(Outputs.TablesPath, result.tablesPath ?? '');
    core/* setOutput */.uH(Outputs.SubmissionCount, archive.submissions);
    core/* setOutput */.uH(Outputs.TaskCount, archive.tasks ?? '');
    core/* setOutput */.uH(Outputs.FileCount, archive.files);
    core/* setOutput */.uH(Outputs.InstructionCount, archive.instructions ?? '');
    core/* setOutput */.uH(Outputs.SizeBytes, result.sizeBytes);
    core/* setOutput */.uH(Outputs.Sha256, result.sha256);
    core/* setOutput */.uH(Outputs.ExportId, result.exportId);
    core/* setOutput */.uH(Outputs.Reused, result.reused);
    core/* setOutput */.uH(Outputs.ContentDigest, archive.contentDigest);
    core/* setOutput */.uH(Outputs.Changed, result.changed);
    core/* setOutput */.uH(Outputs.ArtifactId, artifact?.id ?? '');
    core/* setOutput */.uH(Outputs.ArtifactUrl, artifact?.url ?? '');
    core/* setOutput */.uH(Outputs.ArtifactDigest, artifact?.digest ?? '');
}
/** The per-export outputs, as one object of `results`. */
function outputsOf(one) {
    const { settings, result } = one;
    const problem = (0,export_target/* problemsText */.u)(one);
    const archive = result?.archive;
    return {
        id: settings.targetId,
        kind: settings.kind,
        status: problem ? 'failed' : 'success',
        error: problem === undefined ? null : (0,outside_text/* neutralise */.$0)(problem, Infinity),
        [Outputs.Path]: result?.zipPath ?? '',
        [Outputs.ExtractPath]: result?.extractPath ?? '',
        [Outputs.TablesPath]: result?.tablesPath ?? '',
        [Outputs.SubmissionCount]: archive?.submissions ?? null,
        [Outputs.TaskCount]: archive?.tasks ?? null,
        [Outputs.FileCount]: archive?.files ?? null,
        [Outputs.InstructionCount]: archive?.instructions ?? null,
        [Outputs.SizeBytes]: result?.sizeBytes ?? null,
        [Outputs.Sha256]: result?.sha256 ?? '',
        [Outputs.ExportId]: result?.exportId ?? '',
        [Outputs.Reused]: result?.reused ?? null,
        [Outputs.ArtifactId]: result?.artifact?.id ?? '',
        [Outputs.ArtifactUrl]: result?.artifact?.url ?? '',
        [Outputs.ArtifactDigest]: result?.artifact?.digest ?? '',
        [Outputs.ContentDigest]: archive?.contentDigest ?? '',
        [Outputs.Changed]: result?.changed ?? null,
    };
}
/** Several exports: `results` holds each one's outputs; the counts and size are totals. */
function setManyOutputs(finished) {
    core/* setOutput */.uH(Outputs.Results, JSON.stringify(finished.map(outputsOf)));
    const placed = finished.flatMap((one) => (one.result ? [one.result] : []));
    // A total of counts that exist for none of the exports (tasks of collections) stays empty.
    const total = (pick) => {
        const counts = placed.map(pick).filter((count) => count !== undefined);
        return counts.length === 0 ? '' : counts.reduce((sum, count) => sum + count, 0);
    };
    core/* setOutput */.uH(Outputs.SubmissionCount, total((result) => result.archive.submissions));
    core/* setOutput */.uH(Outputs.TaskCount, total((result) => result.archive.tasks));
    core/* setOutput */.uH(Outputs.FileCount, total((result) => result.archive.files));
    core/* setOutput */.uH(Outputs.SizeBytes, total((result) => result.sizeBytes));
}

// EXTERNAL MODULE: ./src/report/summary.ts
var report_summary = __webpack_require__(57994);
// EXTERNAL MODULE: ./src/core/deadline.ts
var deadline = __webpack_require__(56343);
;// CONCATENATED MODULE: ./src/report/summary-many.ts




/** One row per export: counts, size, digest, artifact, time; no participant data. */
function buildManySummary(finished) {
    const failed = finished.filter((one) => one.problems.length > 0).length;
    const kinds = finished[0]?.settings.kind === 'collection' ? 'collections' : 'batches';
    const summary = core/* summary */.z.addHeading(`Prolific export of ${finished.length} ${kinds}`, 2);
    if (failed > 0)
        summary.addRaw(`<p><strong>${failed} of ${finished.length} failed.</strong></p>`, true);
    const header = ['ID', 'Status', 'Submissions', 'Tasks', 'Files', 'Size', 'SHA-256', 'Artifact', 'Time'];
    const rows = finished.map((one) => {
        const { settings, result } = one;
        const problem = (0,export_target/* problemsText */.u)(one);
        const archive = result?.archive;
        const time = result ? (0,deadline/* formatDuration */.a)(result.phases.reduce((sum, phase) => sum + phase.ms, 0)) : '';
        return [
            (0,report_summary/* escapeHtml */.ZD)(settings.targetId),
            problem ? `failed: ${(0,report_summary/* escapeHtml */.ZD)(problem)}` : 'ok',
            String(archive?.submissions ?? ''),
            String(archive?.tasks ?? ''),
            String(archive?.files ?? ''),
            result ? (0,report_summary/* formatBytes */.z3)(result.sizeBytes) : '',
            result ? `<code>${result.sha256.slice(0, 12)}…</code>` : '',
            result?.artifact
                ? `<a href="${(0,report_summary/* escapeHtml */.ZD)(result.artifact.url)}">${(0,report_summary/* escapeHtml */.ZD)(result.artifact.name)}</a>`
                : (0,report_summary/* escapeHtml */.ZD)(result?.artifactNote ?? ''),
            time,
        ];
    });
    return summary.addTable([header.map((data) => ({ data, header: true })), ...rows]);
}

;// CONCATENATED MODULE: ./src/report/report.ts





/**
 * What the step tells of its exports: the outputs, the job summary, and the failure to fail the
 * step with (undefined when all went well). One export reports its own outputs; several report
 * `results` and totals.
 */
async function report(exported, env) {
    const [one] = exported;
    if (exported.length === 1 && one) {
        const problem = (0,export_target/* problemsText */.u)(one);
        if (one.result) {
            setExportOutputs(one.result);
            await (0,report_summary/* appendSummary */.fe)((0,report_summary/* buildSummary */.fR)(one.result, problem), env);
        }
        return problem === undefined ? undefined : new errors/* ActionError */.lZ(problem);
    }
    setManyOutputs(exported);
    await (0,report_summary/* appendSummary */.fe)(buildManySummary(exported), env);
    const failed = exported.filter((each) => each.problems.length > 0);
    if (failed.length === 0)
        return undefined;
    return new errors/* ActionError */.lZ(`${failed.length} of ${exported.length} exports failed: ` +
        failed.map((each) => `${each.settings.targetId}: ${(0,export_target/* problemsText */.u)(each)}`).join(' | '));
}


/***/ })

};
