/** UI text from _locales (en, zh_TW): a lookup and a pass over `data-i18n` attributes. */
import browser from 'webextension-polyfill';

/** The localized message, or the key itself when it is missing (visible, so it gets fixed). */
export function t(key: string, substitutions?: string | string[]): string {
  return browser.i18n.getMessage(key, substitutions) || key;
}

/** Fills every `[data-i18n]` element's text, and `[data-i18n-placeholder]` placeholders. */
export function localizePage(root: ParentNode = document): void {
  for (const element of root.querySelectorAll<HTMLElement>('[data-i18n]')) {
    const key = element.dataset.i18n;
    if (key !== undefined) element.textContent = t(key);
  }
  for (const element of root.querySelectorAll<HTMLInputElement>('[data-i18n-placeholder]')) {
    const key = element.dataset.i18nPlaceholder;
    if (key !== undefined) element.placeholder = t(key);
  }
  document.documentElement.lang = uiLanguage();
}

/**
 * The language of the UI text actually shown (the _locales file the browser chose), so dates,
 * lists and service names match the words around them even when the browser reports another.
 */
export function uiLanguage(): string {
  return t('uiLanguage');
}

/** True when the extension's UI text is Chinese. */
export function uiLanguageIsChinese(): boolean {
  return uiLanguage().toLowerCase().startsWith('zh');
}
