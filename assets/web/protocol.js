// The version of the WebSocket protocol this page was written for (docs/protocol.md §4,
// `welcome.protocol`; keha-desk's is keha/protocol.hpp). A server that speaks a newer one may
// send what this page would misread, so the page stops and asks to be reloaded: the reload
// fetches the page that matches the server.
export const PROTOCOL = 1;

// Whether a welcome comes from a server speaking a newer protocol than this page knows. A
// welcome without the field is from a server older than the field, which this page reads.
export function speaksNewerProtocol(welcome, known = PROTOCOL) {
  const spoken = welcome?.protocol;
  return Number.isInteger(spoken) && spoken > known;
}
