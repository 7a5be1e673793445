/**
 * The "allow"s that last until the browser closes, listed with a revoke button: the options page
 * and the popup both show them, so a grant is never invisible.
 */
import { callBackground } from './background-client';
import { element, joinList, replaceChildren } from './dom';
import { fieldLabel } from './field-labels';
import { t } from './i18n';

/** Fills `target` with this session's grants (or "none") and re-fills it after each revoke. */
export async function showSessionGrants(target: HTMLElement): Promise<void> {
  const { sessionGrants } = await callBackground('consentList', {});
  if (sessionGrants.length === 0) {
    replaceChildren(target, element('p', { className: 'muted', text: t('noSessionGrants'), testId: 'no-session-grants' }));
    return;
  }
  replaceChildren(
    target,
    ...sessionGrants.map((grant) => {
      const row = element('div', { className: 'grant-row', testId: 'session-grant' });
      row.dataset.origin = grant.origin;
      const text = element('span');
      text.append(element('span', { className: 'origin-small', text: grant.origin }), element('span', { className: 'what', text: joinList(grant.fields.map(fieldLabel)) }));
      const revoke = element('button', { text: t('revokeButton'), testId: 'revoke-session-grant' });
      revoke.addEventListener('click', () => {
        revoke.disabled = true;
        void callBackground('consentRevoke', { origin: grant.origin }).finally(() => showSessionGrants(target));
      });
      row.append(text, revoke);
      return row;
    }),
  );
}
