/** The card holder's identity as the bridge hands it out (the `nhi-card read --json` shape, minus `reader`). */
export interface CardIdentity {
  /** 12 ASCII digits printed on the card. */
  readonly cardNumber: string;
  /** Holder's name decoded from Big5 (HKSCS/ETEN aware), padding removed. */
  readonly name: string;
  /** National ID or resident certificate number, e.g. A123456789. */
  readonly idNumber: string;
  /** Gregorian birth date, YYYY-MM-DD. */
  readonly birthDate: string;
  readonly sex: 'M' | 'F';
  /** Gregorian card issue date, YYYY-MM-DD. */
  readonly issueDate: string;
}

/** The parsed 57-byte basic-data record: the identity plus the raw forms the legacy protocol replays. */
export interface BasicRecord extends CardIdentity {
  /** Birth date exactly as stored: ROC YYYMMDD (7 ASCII digits). */
  readonly birthRoc: string;
  /** Issue date exactly as stored: ROC YYYMMDD. */
  readonly issueRoc: string;
  /** The 20 name bytes as stored on the card (Big5), for byte-exact legacy replies. */
  readonly nameBytes: Uint8Array;
}
