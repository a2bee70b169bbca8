export const id = 506;
export const ids = [506];
export const modules = {

/***/ 13506:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  report: () => (/* binding */ report)
});

// EXTERNAL MODULE: ./src/core/errors.ts
var errors = __webpack_require__(74296);
// EXTERNAL MODULE: ./src/pipeline/export-target.ts + 38 modules
var export_target = __webpack_require__(95577);
// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 13 modules
var core = __webpack_require__(77094);
// EXTERNAL MODULE: ./src/runner/outside-text.ts
var outside_text = __webpack_require__(63353);
// EXTERNAL MODULE: ./src/archive/task-coverage.ts
var task_coverage = __webpack_require__(96508);
;// CONCATENATED MODULE: ./src/report/task-outputs.ts

function coverageValues({ settings, result }) {
    const coverage = result?.archive.taskResponses;
    if (!coverage)
        return { minTaskResponses: undefined, maxTaskResponses: undefined, tasksBelowMinimum: undefined, untold: false };
    const { min, max } = (0,task_coverage/* coverageFigures */.k1)(coverage);
    const minimum = settings.minResponsesPerTask;
    return {
        minTaskResponses: min,
        maxTaskResponses: max,
        tasksBelowMinimum: minimum === 0 ? undefined : (0,task_coverage/* tasksBelow */.Qg)(coverage, minimum),
        untold: coverage.untold > 0,
    };
}
/** Several exports' values: the min of the mins, the max of the maxes, the sum of the counts; empty where one cannot be told. */
function combinedCoverage(finished) {
    const placed = finished.filter((one) => one.result?.archive.taskResponses !== undefined);
    const each = placed.map(coverageValues);
    const untold = each.some((values) => values.untold);
    const defined = (pick) => each.map(pick).filter((value) => value !== undefined);
    const mins = defined((values) => values.minTaskResponses);
    const maxes = defined((values) => values.maxTaskResponses);
    const below = defined((values) => values.tasksBelowMinimum);
    const asked = finished.some((one) => one.settings.minResponsesPerTask > 0);
    return {
        minTaskResponses: untold || mins.length === 0 ? undefined : Math.min(...mins),
        maxTaskResponses: untold || maxes.length === 0 ? undefined : Math.max(...maxes),
        tasksBelowMinimum: untold || !asked || placed.length === 0 ? undefined : below.reduce((sum, n) => sum + n, 0),
        untold,
    };
}
/** The window each export sent; with several, the value they all sent, else empty. */
function sharedWindow(finished) {
    const only = (values) => (values.every((value) => value === values[0]) ? (values[0] ?? '') : '');
    return {
        from: only(finished.map((one) => one.settings.filter.from ?? '')),
        to: only(finished.map((one) => one.settings.filter.to ?? '')),
    };
}

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
    MinTaskResponses: 'min-task-responses',
    MaxTaskResponses: 'max-task-responses',
    TasksBelowMinimum: 'tasks-below-minimum',
    WindowFrom: 'window-from',
    WindowTo: 'window-to',
    TablesPath: 'tables-path',
    Results: 'results',
};
/** The coverage outputs, empty where there is no value. */
function setCoverageOutputs(values) {
    core/* setOutput */.uH(Outputs.MinTaskResponses, values.minTaskResponses ?? '');
    core/* setOutput */.uH(Outputs.MaxTaskResponses, values.maxTaskResponses ?? '');
    core/* setOutput */.uH(Outputs.TasksBelowMinimum, values.tasksBelowMinimum ?? '');
}
/** The filter values the request sent (one export's, or the value all of several sent), empty where none was. */
function setWindowOutputs(finished) {
    const { from, to } = sharedWindow(finished);
    core/* setOutput */.uH(Outputs.WindowFrom, from);
    core/* setOutput */.uH(Outputs.WindowTo, to);
}
/** One export's outputs, every one of them, from what it placed and uploaded. */
function setExportOutputs(one) {
    const { result } = one;
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
    setCoverageOutputs(coverageValues(one));
}
/** The per-export outputs, as one object of `results`. */
function outputsOf(one) {
    const { settings, result } = one;
    const problem = (0,export_target/* problemsText */.u)(one);
    const archive = result?.archive;
    const coverage = coverageValues(one);
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
        [Outputs.MinTaskResponses]: coverage.minTaskResponses ?? null,
        [Outputs.MaxTaskResponses]: coverage.maxTaskResponses ?? null,
        [Outputs.TasksBelowMinimum]: coverage.tasksBelowMinimum ?? null,
        [Outputs.WindowFrom]: settings.filter.from ?? '',
        [Outputs.WindowTo]: settings.filter.to ?? '',
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
    setCoverageOutputs(combinedCoverage(finished));
}

// EXTERNAL MODULE: ./src/report/summary.ts
var report_summary = __webpack_require__(57994);
// EXTERNAL MODULE: ./src/core/deadline.ts
var deadline = __webpack_require__(56343);
// EXTERNAL MODULE: ./src/report/histogram.ts
var histogram = __webpack_require__(95960);
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
    summary.addTable([header.map((data) => ({ data, header: true })), ...rows]);
    for (const { settings, result } of finished) {
        const coverage = result?.archive.taskResponses;
        if (!coverage)
            continue;
        (0,histogram/* addTaskCoverage */.hP)(summary, coverage, settings.minResponsesPerTask, `Responses per task: ${(0,report_summary/* escapeHtml */.ZD)(settings.targetId)}`);
    }
    return summary;
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
            setExportOutputs({ ...one, result: one.result });
            setWindowOutputs(exported);
            await (0,report_summary/* appendSummary */.fe)((0,report_summary/* buildSummary */.fR)(one.result, problem, one.settings.minResponsesPerTask), env);
        }
        return problem === undefined ? undefined : new errors/* ActionError */.lZ(problem);
    }
    setManyOutputs(exported);
    setWindowOutputs(exported);
    await (0,report_summary/* appendSummary */.fe)(buildManySummary(exported), env);
    const failed = exported.filter((each) => each.problems.length > 0);
    if (failed.length === 0)
        return undefined;
    return new errors/* ActionError */.lZ(`${failed.length} of ${exported.length} exports failed: ` +
        failed.map((each) => `${each.settings.targetId}: ${(0,export_target/* problemsText */.u)(each)}`).join(' | '));
}


/***/ })

};
