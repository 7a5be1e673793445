/** The virtual NHI card: vpcd codec, pure card behaviour, socket client and profiles. */
export { cardAuthAnswer } from '../card-auth.js';
export { fromHex, parseCommandApdu, toHex, type ParsedCommand } from './command-apdu.js';
export { HEALTH_PROFESSIONAL_ATR, NHI_AID, NHI_ATR, NhiCardBehaviour, Sw, type NhiCardOptions } from './nhi-card.js';
export {
  BASIC_RECORD_BYTES,
  cardProfileSchema,
  encodeBasicRecord,
  encodeCardId,
  encodeHcData,
  loadCardProfile,
  parseCardProfile,
  type CardProfile,
} from './profile.js';
export {
  VirtualCard,
  type ApduLogEntry,
  type ControlLogEntry,
  type VirtualCardFaults,
  type VirtualCardOptions,
  type VpcdAddress,
} from './virtual-card.js';
export { classifyVpcdPayload, encodeVpcdFrame, VpcdControl, VpcdFrameDecoder, type VpcdMessage } from './vpcd-codec.js';
