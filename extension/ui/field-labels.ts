/** The _locales key that names each card field in the consent prompt and options page. */
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

/** The field's name in the UI language. */
export function fieldLabel(field: CardField): string {
  return t(FIELD_KEYS[field]);
}
