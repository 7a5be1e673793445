/** The 忘記註冊密碼 replica: read the card the legacy way, then the back end mails a reset link. */
import { wireForgotPassword } from './lib-forgot-password';
import { LegacyReadError, readCardLegacy } from './lib-nhiicc';

wireForgotPassword(readCardLegacy, (error) => (error instanceof LegacyReadError ? error.code : undefined));
