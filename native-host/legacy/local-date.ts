/** The machine-local calendar dates the obfuscation keys are built from (they change at local midnight). */

function parts(date: Date): { year: string; month: string; day: string } {
  return {
    year: String(date.getFullYear()).padStart(4, '0'),
    month: String(date.getMonth() + 1).padStart(2, '0'),
    day: String(date.getDate()).padStart(2, '0'),
  };
}

/** The local date as YYYYMMDD (EnCrypt's key). */
export function localYyyymmdd(date: Date): string {
  const { year, month, day } = parts(date);
  return `${year}${month}${day}`;
}

/** The local date as MMDDYYYY (SecureGetBasic's DES key). */
export function localMmddyyyy(date: Date): string {
  const { year, month, day } = parts(date);
  return `${month}${day}${year}`;
}
