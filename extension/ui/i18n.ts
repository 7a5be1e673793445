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
  document.documentElement.lang = browser.i18n.getUILanguage();
}

/** True when the extension's UI is in Chinese (zh-TW and any other zh variant). */
export function uiLanguageIsChinese(): boolean {
  return browser.i18n.getUILanguage().toLowerCase().startsWith('zh');
}
