/**
 * The card reads behind GetBasic, SecureGetBasicWithParam and EnCrypt, each in one serialized
 * `withCard` call that SELECTs first (so a reader whose card is not an NHI card is skipped).
 * The basic data and termination flag come from the insertion's memo once the card gave them.
 * Failures carry the numeric code of the read that failed.
 */
import { NhiCard } from '../card/nhi-card';
import type { ReaderService } from '../pcsc/reader-service';
import type { BasicCsvSource } from './basic-csv';
import { atStep } from './legacy-error-codes';
import { LegacyCode } from '../protocol/nhiicc';

/** Reads the basic-data record (8011 on failure) and the termination flag (8010 on failure). */
export async function readBasicCsvSource(readers: ReaderService): Promise<BasicCsvSource> {
  return readers.withCard(async (session, _reader, memo) => {
    const knownRecord = memo.peek('basicRecord');
    const knownFlag = memo.peek('hcTerminationFlag');
    if (knownRecord !== undefined && knownFlag !== undefined) return { record: knownRecord, terminationFlag: knownFlag };
    const card = new NhiCard(session);
    await card.select();
    const record = await memo.remember('basicRecord', () => atStep(LegacyCode.BasicData, 'reading the basic data', () => card.readBasicRecord()));
    const terminationFlag = await memo.remember('hcTerminationFlag', () =>
      atStep(LegacyCode.HcData, 'reading the HC card data', () => card.readHcTerminationFlag()),
    );
    return { record, terminationFlag };
  });
}

/** Reads the 12-byte card id (8001 on failure). */
export async function readCardId(readers: ReaderService): Promise<Uint8Array> {
  return readers.withCard(async (session) => {
    const card = new NhiCard(session);
    await card.select();
    return atStep(LegacyCode.CardIdRead, 'reading the card id', () => card.readCardId());
  });
}
