/** The part of postject's API the Windows build uses (the package ships no types). */
declare module 'postject' {
  export function inject(
    filename: string,
    resourceName: string,
    resourceData: Buffer,
    options?: { readonly sentinelFuse?: string; readonly overwrite?: boolean },
  ): Promise<void>;
}
