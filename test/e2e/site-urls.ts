/** The replica pages' URLs, on their production origins. */
import { ECPA_HOST, EVIL_HOST, MODERN_HOST, NHI_HOST, SPOOFER_HOST } from '../site/site-hosts';

export const URLS = {
  forgotPassword: `https://${NHI_HOST}/services/forgot-password`,
  ecpaLogin: `https://${ECPA_HOST}/login`,
  modern: `https://${MODERN_HOST}/`,
  evil: `https://${EVIL_HOST}/`,
  /** The untrusted site with a trusted page (the probe on NHI_HOST) in a frame. */
  evilFramingTrusted: `https://${EVIL_HOST}/frames-trusted-page`,
  insecureProbe: `http://${NHI_HOST}/probe`,
  sandboxedFrame: `https://${NHI_HOST}/sandboxed-frame`,
  /** An untrusted site's page that spoofs our channel from inside a trusted page, and its script. */
  spoofingFrame: `https://${SPOOFER_HOST}/spoofing-frame`,
  spoofingFrameScript: `https://${SPOOFER_HOST}/assets/spoofing-frame.js`,
  /** A page with no script on a trusted origin: the harness waits there for the extension. */
  blank: `https://${NHI_HOST}/blank`,
  /** A page that opens the component socket at its load event and asks for GetVersion. */
  firstUse: `https://${NHI_HOST}/first-use`,
  /** A page that loads frames of its own origin one by one and times their first script (bench). */
  injectCostTrusted: `https://${NHI_HOST}/inject-cost`,
  /** The same page on an untrusted origin, where the extension injects nothing. */
  injectCostUntrusted: `https://${EVIL_HOST}/inject-cost`,
} as const;

export const ORIGINS = {
  nhi: `https://${NHI_HOST}`,
  ecpa: `https://${ECPA_HOST}`,
  modern: `https://${MODERN_HOST}`,
  spoofer: `https://${SPOOFER_HOST}`,
} as const;
