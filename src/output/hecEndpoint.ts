/** Where HEC events and acknowledgement queries go, from the URL the user gave. */
export interface HecEndpoint {
  event: URL;
  ack: URL;
}

const EVENT_PATH = '/services/collector/event';

/**
 * Accepts the server (https://splunk:8088), a path prefix behind a proxy, /services/collector or
 * the event endpoint itself. Throws an Error naming --hec-url; the CLI turns it into a usage error.
 */
export function hecEndpointOf(raw: string): HecEndpoint {
  let url: URL;
  try {
    url = new URL(raw);
  } catch (cause) {
    throw new Error(`--hec-url: expected an http(s) URL such as https://splunk.example.com:8088, got "${raw}"`, { cause });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`--hec-url: expected an http or https URL, got "${url.protocol}"`);
  if (url.username || url.password) throw new Error('--hec-url: must not hold credentials; the token is read from SPLUNK_HEC_TOKEN');
  if (url.search || url.hash) throw new Error(`--hec-url: takes no query or fragment, got "${url.search}${url.hash}"`);
  const path = url.pathname.replace(/\/+$/, '');
  if (/\/services\/collector\/(raw|ack|health)(\/.*)?$/.test(path)) {
    throw new Error(`--hec-url: events go to ${EVENT_PATH}, got "${url.pathname}"`);
  }
  const eventPath = path.endsWith(EVENT_PATH) ? path
    : path.endsWith('/services/collector') ? `${path}/event`
      : `${path}${EVENT_PATH}`;
  const event = new URL(url.href);
  event.pathname = eventPath;
  const ack = new URL(url.href);
  ack.pathname = eventPath.replace(/\/event$/, '/ack');
  return { event, ack };
}

/** The URL as messages print it: no credentials or query can be in it (hecEndpointOf refuses them). */
export function displayUrl(u: URL): string {
  return `${u.origin}${u.pathname}`;
}
