/** The _locales key that names each card field, and the groups the consent prompt shows them in. */
import type { CardField } from '../shared/card-fields';
import { t } from './i18n';

const FIELD_KEYS: Record<CardField, string> = {
  cardNumber: 'fieldCardNumber',
  name: 'fieldName',
  idNumber: 'fieldIdNumber',
  birthDate: 'fieldBirthDate',
  sex: 'fieldSex',
  issueDate: 'fieldIssueDate',
  cardStatus: 'fieldCardStatus',
  cardIdDerived: 'fieldCardIdDerived',
  cardAuthentication: 'fieldCardAuthentication',
};

/** The consent prompt's groups, in the order people read them: who you are, then checks on the card. */
const FIELD_GROUPS: readonly { readonly titleKey: string; readonly fields: readonly CardField[] }[] = [
  { titleKey: 'consentIdentityGroup', fields: ['name', 'idNumber', 'birthDate', 'sex', 'cardNumber', 'issueDate'] },
  { titleKey: 'consentChecksGroup', fields: ['cardStatus', 'cardIdDerived', 'cardAuthentication'] },
];

/** The field's name in the UI language. */
export function fieldLabel(field: CardField): string {
  return t(FIELD_KEYS[field]);
}

/** The groups that hold any of `fields`, each with only those fields, in display order. */
export function groupFields(fields: readonly CardField[]): { titleKey: string; fields: CardField[] }[] {
  return FIELD_GROUPS.map((group) => ({ titleKey: group.titleKey, fields: group.fields.filter((field) => fields.includes(field)) })).filter(
    (group) => group.fields.length > 0,
  );
}
