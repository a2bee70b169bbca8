export const id = 855;
export const ids = [855];
export const modules = {

/***/ 86683:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   B: () => (/* binding */ Deadline),
/* harmony export */   a: () => (/* binding */ formatDuration)
/* harmony export */ });
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(83916);

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

/***/ 28855:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   buildSummary: () => (/* binding */ buildSummary),
/* harmony export */   escapeHtml: () => (/* binding */ escapeHtml),
/* harmony export */   formatBytes: () => (/* binding */ formatBytes),
/* harmony export */   writeSummary: () => (/* binding */ writeSummary)
/* harmony export */ });
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(77094);
/* harmony import */ var _deadline_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(86683);
/* harmony import */ var _outside_text_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(34230);



/** Counts, size, digest, artifact and timings: nothing that identifies a participant. */
function buildSummary(result, failure) {
    const { archive } = result;
    const summary = _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .summary */ .z.addHeading(`Prolific export of ${result.kind} ${result.targetId}`, 2);
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
    ]);
    if (archive.warnings.length > 0) {
        summary.addHeading('Warnings', 3).addList(archive.warnings.map(escapeHtml));
    }
    summary.addHeading('Time per phase', 3).addTable([
        [
            { data: 'Phase', header: true },
            { data: 'Time', header: true },
        ],
        ...result.phases.map((phase) => [escapeHtml(phase.name), (0,_deadline_js__WEBPACK_IMPORTED_MODULE_1__/* .formatDuration */ .a)(phase.ms)]),
    ]);
    return summary;
}
async function writeSummary(result, failure) {
    if (!process.env.GITHUB_STEP_SUMMARY)
        return;
    await buildSummary(result, failure).write();
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
    return (0,_outside_text_js__WEBPACK_IMPORTED_MODULE_2__/* .neutralise */ .$0)(text, Infinity).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);
}


/***/ })

};
