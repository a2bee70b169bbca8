import { createHash } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
/** Hashes slices of `ring` in the order they are posted and acknowledges each one. */
export function serveHashes(port, ring) {
    let hash = createHash('sha256');
    port.on('message', (message) => {
        switch (message.type) {
            case 'data':
                hash.update(ring.subarray(message.start, message.start + message.length));
                port.postMessage({ type: 'ack', bytes: message.length });
                break;
            case 'reset':
                hash = createHash('sha256');
                break;
            case 'digest':
                port.postMessage({ type: 'digest', hex: hash.digest('hex') });
                hash = createHash('sha256');
                break;
        }
    });
}
function isHashThreadData(data) {
    return typeof data === 'object' && data !== null && 'hashRing' in data && data.hashRing instanceof SharedArrayBuffer;
}
// Started as HashWorker's thread (and not merely imported, say by a test): serve the ring.
const data = workerData;
if (parentPort && isHashThreadData(data))
    serveHashes(parentPort, new Uint8Array(data.hashRing));
