// The page's side of the worker protocol: each request gets an id; the promise settles with the
// reply carrying that id, and progress messages for it go to the request's callback.

export class WorkerClient {
  constructor(url) {
    this.worker = new Worker(url, { type: 'module' });
    this.nextId = 1;
    this.pending = new Map();
    this.worker.onmessage = (event) => this.receive(event.data);
    // A worker that fails to start (no WebAssembly SIMD, a missing file) fails every request.
    this.worker.onerror = (event) => {
      const message = event.message || 'the worker failed to start';
      for (const { reject } of this.pending.values()) reject(new Error(message));
      this.pending.clear();
      this.failure = message;
    };
  }

  /** Sends a request; resolves with its result, rejects with an Error carrying its message. */
  request(type, payload = {}, onProgress = null, transfer = []) {
    if (this.failure) return Promise.reject(new Error(this.failure));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, onProgress });
      this.worker.postMessage({ ...payload, type, id }, transfer);
    });
  }

  /** Asks a running training to stop; its request then resolves with cancelled: true. */
  cancel() {
    this.worker.postMessage({ type: 'cancel' });
  }

  receive(message) {
    const entry = this.pending.get(message.id);
    if (!entry) return;
    if (message.progress) {
      if (entry.onProgress) entry.onProgress(message.progress);
      return;
    }
    this.pending.delete(message.id);
    if ('error' in message) entry.reject(new Error(message.error));
    else entry.resolve(message.result);
  }
}
