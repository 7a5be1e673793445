/** Paths of the extension's own pages inside the built extension (as the manifest names them). */
export const CONSENT_PAGE = 'extension/ui/consent.html';
export const OPTIONS_PAGE = 'extension/ui/options.html';
export const POPUP_PAGE = 'extension/ui/popup.html';
export const WELCOME_PAGE = 'extension/ui/welcome.html';
