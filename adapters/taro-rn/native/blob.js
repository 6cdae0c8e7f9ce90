// React Native's Android BlobModule and FileReaderModule (react-native 0.73.11,
// ReactAndroid/src/main/java/com/facebook/react/modules/blob/BlobModule.java and
// FileReaderModule.java): a store of byte arrays by blob id, the networking handlers the blob
// module installs, and the reader that decodes a blob as text or a data: url.
'use strict'

// A native module's promise settles on a later turn, when the bridge delivers the answer.
const later = (work) =>
  new Promise((resolve, reject) =>
    setImmediate(() => {
      try {
        resolve(work())
      } catch (error) {
        reject(error)
      }
    }),
  )

function blobModules() {
  const blobs = new Map()
  // BlobModule.store names a blob with UUID.randomUUID(); here the ids of one app count up in
  // the same shape, so that what a case observes is the same on every run.
  let stored = 0
  const nextId = () => `00000000-0000-4000-8000-${(++stored).toString(16).padStart(12, '0')}`
  const store = (bytes, blobId = nextId()) => {
    blobs.set(blobId, Buffer.from(bytes))
    return blobId
  }
  // BlobModule.resolve(blobId, offset, size): size -1 is "to the end"; an unknown id is null.
  const resolve = (blob) => {
    const data = blobs.get(blob.blobId)
    if (!data) return null
    const offset = blob.offset || 0
    const size = blob.size === -1 || blob.size === undefined ? data.length - offset : blob.size
    return data.subarray(offset, offset + size)
  }
  // What BlobModule.addNetworkingHandler() hands the networking module.
  const handlers = {
    installed: false,
    // NetworkingRequestBodyHandler: a {blob} body, typed by the request's content-type or
    // application/octet-stream (BlobModule.java:99-121).
    requestBody(data, contentType) {
      if (!data || !data.blob) return null
      const type = data.type ? data.type : contentType == null ? 'application/octet-stream' : contentType
      return { contentType: type, bytes: resolve(data.blob) || Buffer.alloc(0) }
    },
    // NetworkingResponseHandler: a 'blob' response is stored whole and answered as
    // {blobId, offset, size} — no type (BlobModule.java:123-139).
    responseData(responseType, bytes) {
      if (responseType !== 'blob') return null
      return { blobId: store(bytes), offset: 0, size: bytes.length }
    },
  }
  const BlobModule = {
    // No blob_provider_authority resource in a plain app: no constants (BlobModule.java:151-163).
    getConstants: () => ({}),
    addNetworkingHandler() {
      handlers.installed = true
    },
    addWebSocketHandler() {},
    removeWebSocketHandler() {},
    sendOverSocket() {},
    // createFromParts: 'blob' parts by reference, 'string' parts as UTF-8 (BlobModule.java:344-369).
    createFromParts(parts, blobId) {
      const chunks = parts.map((part) => {
        if (part.type === 'blob') return resolve(part.data) || Buffer.alloc(0)
        if (part.type === 'string') return Buffer.from(String(part.data), 'utf8')
        throw new Error(`Invalid type for blob: ${part.type}`)
      })
      store(Buffer.concat(chunks), blobId)
    },
    release(blobId) {
      blobs.delete(blobId)
    },
  }
  const FileReaderModule = {
    // new String(bytes, encoding): Java's decoder replaces malformed input and keeps a byte-order
    // mark; an unknown charset rejects (FileReaderModule.java:37-59).
    readAsText(blob, encoding) {
      return later(() => {
        const bytes = resolve(blob)
        if (!bytes) throw new Error('The specified blob is invalid')
        if (/^(iso-8859-1|iso8859_1|latin1|l1)$/i.test(encoding)) return bytes.toString('latin1')
        let decoder
        try {
          decoder = new TextDecoder(encoding, { ignoreBOM: true })
        } catch {
          throw new Error(encoding) // java.io.UnsupportedEncodingException's message
        }
        return decoder.decode(bytes)
      })
    },
    // data:TYPE;base64,… with application/octet-stream for an untyped blob (FileReaderModule.java:62-95).
    readAsDataURL(blob) {
      return later(() => {
        const bytes = resolve(blob)
        if (!bytes) throw new Error('The specified blob is invalid')
        return `data:${blob.type ? blob.type : 'application/octet-stream'};base64,${bytes.toString('base64')}`
      })
    },
  }
  return { BlobModule, FileReaderModule, handlers }
}

module.exports = { blobModules }
