import { describe, expect, it } from 'vitest';
import { buildInclude, INSTALLED_FILES_LIST, installedFilesList, nsisString, UNINSTALL_KEY } from '../../../packaging/windows/nsis-include';

const include = buildInclude(
  {
    productName: 'NHI Card Bridge',
    version: '0.1.0',
    publisher: 'NHI Card Bridge contributors',
    stageDirectory: '/build/stage',
    outputFile: '/build/setup.exe',
    firefoxAddonUrl: 'https://addons.example/nhi',
    uninstallKey: UNINSTALL_KEY,
  },
  ['nhi-card.exe', 'node_modules/koffi/index.cjs', 'node_modules/koffi/src/koffi/index.cjs', 'tw.nhi_card_bridge.chromium.json'],
);

/** The body of one `!macro NAME` ... `!macroend`. */
function macro(name: string): string[] {
  const lines = include.split('\n');
  const start = lines.indexOf(`!macro ${name}`);
  expect(start, name).toBeGreaterThanOrEqual(0);
  return lines.slice(start + 1, lines.indexOf('!macroend', start)).map((line) => line.trim());
}

describe('the generated NSIS include', () => {
  it('escapes NSIS strings', () => {
    expect(nsisString('a "b" $c')).toBe('"a $\\"b$\\" $$c"');
    expect(() => nsisString('two\nlines')).toThrow();
  });

  it('installs every staged file into its directory', () => {
    expect(macro('NHI_INSTALL_FILES')).toEqual([
      'SetOutPath "$INSTDIR"',
      'File "/build/stage/nhi-card.exe"',
      'File "/build/stage/tw.nhi_card_bridge.chromium.json"',
      'SetOutPath "$INSTDIR\\node_modules\\koffi"',
      'File "/build/stage/node_modules/koffi/index.cjs"',
      'SetOutPath "$INSTDIR\\node_modules\\koffi\\src\\koffi"',
      'File "/build/stage/node_modules/koffi/src/koffi/index.cjs"',
      'SetOutPath "$INSTDIR"',
    ]);
  });

  it('uninstalls exactly those files, then their directories deepest first (never recursively)', () => {
    const lines = macro('NHI_UNINSTALL_FILES');
    expect(lines.filter((line) => line.startsWith('Delete'))).toHaveLength(4);
    expect(lines.filter((line) => line.startsWith('RMDir'))).toEqual([
      'RMDir "$INSTDIR\\node_modules\\koffi\\src\\koffi"',
      'RMDir "$INSTDIR\\node_modules\\koffi\\src"',
      'RMDir "$INSTDIR\\node_modules\\koffi"',
      'RMDir "$INSTDIR\\node_modules"',
    ]);
    expect(include).not.toMatch(/RMDir \/r/);
  });

  it('writes the per-user plan to HKCU with the manifest beside the executable', () => {
    expect(macro('NHI_WRITE_REGISTRY_USER')).toContain(
      'WriteRegStr HKCU "Software\\Google\\Chrome\\NativeMessagingHosts\\tw.nhi_card_bridge" "" "$INSTDIR\\tw.nhi_card_bridge.chromium.json"',
    );
    expect(macro('NHI_WRITE_REGISTRY_SYSTEM').every((line) => line.startsWith('WriteRegStr HKLM '))).toBe(true);
  });

  it('removes each key it wrote, and parents only when left empty, never a shared root', () => {
    const lines = macro('NHI_DELETE_REGISTRY_USER');
    expect(lines).toContain('DeleteRegKey HKCU "Software\\Mozilla\\NativeMessagingHosts\\tw.nhi_card_bridge"');
    expect(lines).toContain('DeleteRegKey /ifempty HKCU "Software\\Mozilla\\NativeMessagingHosts"');
    expect(lines).toContain('DeleteRegKey /ifempty HKCU "Software\\Google"');
    expect(lines.some((line) => /"Software(\\\\Microsoft|\\\\Wow6432Node)?"$/.test(line))).toBe(false);
    const unconditional = lines.filter((line) => line.startsWith('DeleteRegKey HKCU'));
    expect(unconditional).toHaveLength(6);
  });

  it('carries the version for the file properties', () => {
    expect(include).toContain('!define VI_VERSION "0.1.0.0"');
  });

  it('names the installed-files list the next version reads', () => {
    expect(include).toContain(`!define INSTALLED_FILES_LIST "${INSTALLED_FILES_LIST}"`);
  });
});

describe('the installed-files list', () => {
  it('lists each file once, Windows paths relative to the install folder, itself included', () => {
    const list = installedFilesList(['nhi-card.exe', 'node_modules/koffi/index.cjs', 'nhi-card.exe']);
    expect(list).toBe('installed-files.txt\r\nnhi-card.exe\r\nnode_modules\\koffi\\index.cjs\r\n');
  });
});
