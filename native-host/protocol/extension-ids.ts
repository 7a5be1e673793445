import { STORE_EXTENSION_IDS } from './store-extension-ids';

/**
 * The identities of our extension, which the host accepts as callers and the host manifests name.
 * The Chromium ID is fixed by the public `key` in manifest.json (sha256 of the DER key, first 32
 * hex digits mapped 0-f -> a-p); the Firefox ID is the gecko id in the derived manifest.
 */
export const CHROME_EXTENSION_ID = 'mecobjddhnmfnommomaakgamodoelpee';

/** The public key that fixes CHROME_EXTENSION_ID (base64 DER SubjectPublicKeyInfo). */
export const CHROME_EXTENSION_KEY =
  'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAzt3touqHPaffGM6iyjNIAswknA99mmyxbAmU7e0rlEMZob15yHXwfs1Lq3dORF9rMohfrzAd4ppDquidrxv7opgw/NLklVgfiSTYU7Iayc5DlrRIHwG2wgpwfi6i3BDz6jTupGIHAr4hEbeCecf5vWTKM6jovpeoTuEdXkVDWCY7hGnGmxxSHAZG2s89OwSKAZ7jAvc0kWQhOODVwlyi3sgslLX+5AGuz5ua8+7XcT6DKQKiBYZABCCfR2eqSnuXPwDGPdKP4wAIsVKwg12Gc6udOv5yHQ8uDN9TiYr1BOjxw3n65YY11NXu8Au15HBZFznHC6EZEW5hfHXiW6hd1QIDAQAB';

export const GECKO_EXTENSION_ID = 'nhi-card-bridge@nhi-card-bridge.tw';

/** Every Chromium-family ID of our extension: the development ID (fixed by the key) and the store IDs. */
export const CHROMIUM_EXTENSION_IDS: readonly string[] = [
  ...new Set([CHROME_EXTENSION_ID, ...STORE_EXTENSION_IDS.chromeWebStore, ...STORE_EXTENSION_IDS.edgeAddOns]),
];

/** Every gecko ID of our extension: the one in our manifest and any listed for addons.mozilla.org. */
export const GECKO_EXTENSION_IDS: readonly string[] = [...new Set([GECKO_EXTENSION_ID, ...STORE_EXTENSION_IDS.firefoxAddOns])];

/** The native messaging host name registered with every browser. */
export const NATIVE_HOST_NAME = 'tw.nhi_card_bridge';
